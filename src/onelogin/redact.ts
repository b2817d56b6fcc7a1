/**
 * Keeps secrets out of everything the client records. Two layers: Authorization values are
 * replaced wholesale, and every known secret (tokens, client id/secret) is scrubbed from any text,
 * so a server that echoes a header back still cannot make a token show up in the panel or the log.
 */
export const REDACTED = '<redacted>';

/** "••••" plus at most the last 4 characters, and only for long values. */
export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `••••${secret.slice(-4)}` : '••••';
}

/** The redacted form of an Authorization header value. */
export function redactAuthorization(value: string): string {
  const scheme = /^\s*(bearer:?|basic)\s*/i.exec(value);
  if (scheme) return `${scheme[1]} ${maskSecret(value.slice(scheme[0].length))}`;
  if (/client_id\s*:/i.test(value)) return `client_id:${REDACTED}, client_secret:${REDACTED}`;
  return REDACTED;
}

/** Remembers secret values and scrubs them from text. Values shorter than 4 characters are not tracked. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private known = 0;

  /** Grows when a new secret is learnt: anything scrubbed before may hold it in clear, so caches of scrubbed text key on it. */
  get version(): number {
    return this.known;
  }

  add(...values: (string | undefined)[]): void {
    for (const v of values) {
      // Every call adds the stored credentials again: a known one needs no new spellings.
      if (!v || v.length < 4 || this.secrets.has(v)) continue;
      this.known++;
      this.secrets.add(v);
      // As it appears inside a JSON string, when that differs (quotes, backslashes, control characters, "\/").
      const escaped = JSON.stringify(v).slice(1, -1);
      this.secrets.add(escaped);
      this.secrets.add(escaped.replace(/\//g, '\\/'));
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  scrubHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of Object.keys(headers)) out[k] = this.scrubHeader(k, headers[k]);
    return out;
  }

  /** One header value as it may be shown: Authorization in redacted form, any other with known secrets scrubbed. */
  scrubHeader(name: string, value: string): string {
    return name.toLowerCase() === 'authorization' ? redactAuthorization(value) : this.scrub(value);
  }
}

// What the panel, cURL and the export show: request headers and bodies with their secrets replaced.

const SENSITIVE_REQUEST_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
/** A value already in redacted form: "<redacted>", or a scheme plus "••••" and at most 4 characters. */
const ALREADY_REDACTED = /^(?:[A-Za-z_:]+\s+)?(?:••••\S{0,4}|<redacted>)$|client_id:<redacted>/;

/** Request headers safe to show: credentials-bearing headers only in redacted form. */
export function sanitizeRequestHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = String(value);
    if (!SENSITIVE_REQUEST_HEADERS.has(name.toLowerCase()) || ALREADY_REDACTED.test(v)) {
      out[name] = v;
    } else {
      out[name] = name.toLowerCase() === 'authorization' ? redactAuthorization(v) : REDACTED;
    }
  }
  return out;
}

const SENSITIVE_JSON_KEYS = /("(?:access_token|refresh_token|id_token|client_secret|clientSecret|accessToken|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/**
 * Defense in depth on top of the client's scrubbing: the values of token-bearing JSON keys are
 * replaced, so even a token response recorded unscrubbed never reaches the webview or its saved state.
 */
export function redactBodyText(text: string): string {
  return text.includes('"') ? text.replace(SENSITIVE_JSON_KEYS, `$1"${REDACTED}"`) : text;
}

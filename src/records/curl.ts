/**
 * "Copy as cURL": a shell command that repeats one recorded exchange. Built from the redacted exchange
 * only, with placeholders where credentials go (`<access_token>`, `<client_id>`, `<client_secret>`), so
 * the command never carries a secret; the caller's scrubber runs over the result once more. Every
 * value is quoted for the chosen shell: a POSIX shell (sh, bash, zsh), PowerShell, or Windows cmd.exe.
 * Pure and `vscode`-free.
 */
import { REDACTED, redactBodyText } from '../onelogin/redact';
import type { CurlShell } from './curlShells';

/** The fields of an exchange (or its panel view) a cURL command needs. */
export interface CurlSource {
  method: string;
  origin: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
}

const ACCESS_TOKEN_PLACEHOLDER = '<access_token>';
const CLIENT_ID_PLACEHOLDER = '<client_id>';
const CLIENT_SECRET_PLACEHOLDER = '<client_secret>';
const OTP_PLACEHOLDER = '<one_time_code>';

/** Headers curl sets itself, or that would make the copy behave differently (compressed output). */
const DROPPED = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'transfer-encoding']);
const CREDENTIAL_HEADERS = new Set(['proxy-authorization', 'cookie', 'x-api-key']);

/** Quotes a value for a POSIX shell: '…' with each ' written as '\''. NUL bytes cannot be passed and are dropped. */
export function shellQuote(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, `'\\''`)}'`;
}

/** "content-type" → "Content-Type". */
export function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Whether the exchange is a token request (its Authorization carries client credentials). */
function isTokenRequest(x: Pick<CurlSource, 'path' | 'requestHeaders'>): boolean {
  if (/^\/auth\/oauth2\//.test(x.path)) return true;
  const auth = Object.entries(x.requestHeaders).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
  return /client_id\s*:/i.test(auth);
}

/**
 * The Authorization value with placeholders: `Bearer <access_token>`, or for the token call the
 * documented `client_id:<client_id>, client_secret:<client_secret>` (Basic when that was used).
 */
export function placeholderAuthorization(value: string, tokenRequest: boolean): string {
  if (/^\s*basic\b/i.test(value)) return `Basic base64(${CLIENT_ID_PLACEHOLDER}:${CLIENT_SECRET_PLACEHOLDER})`;
  if (tokenRequest || /client_id\s*:/i.test(value)) return `client_id:${CLIENT_ID_PLACEHOLDER}, client_secret:${CLIENT_SECRET_PLACEHOLDER}`;
  return `Bearer ${ACCESS_TOKEN_PLACEHOLDER}`;
}

/** Request headers with every credential replaced by its placeholder (for cURL and exports). */
export function placeholderHeaders(x: Pick<CurlSource, 'path' | 'requestHeaders'>): Record<string, string> {
  const token = isTokenRequest(x);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(x.requestHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') out[name] = placeholderAuthorization(String(value), token);
    else if (CREDENTIAL_HEADERS.has(lower)) out[name] = REDACTED;
    else out[name] = String(value);
  }
  return out;
}

/** The recorded request body with the OTP placeholder, token-bearing JSON keys redacted. */
export function placeholderBody(body: string): string {
  return redactBodyText(body).replace(/("otp"\s*:\s*)"<redacted>"/g, `$1"${OTP_PLACEHOLDER}"`);
}

/** The shells "Copy as cURL" writes for. */

export interface CurlOptions {
  /** Runs over the finished command (the extension passes SecretScrubber.scrub with the stored credentials). */
  scrub?: (text: string) => string;
  /** Default 'posix'. */
  shell?: CurlShell;
}

/** PowerShell: '…' with each ' doubled (no expansion inside single quotes). NUL dropped. */
export function powershellQuote(value: string): string {
  return `'${value.replace(/\0/g, '').replace(/'/g, "''")}'`;
}

/**
 * cmd.exe: the argument in ^"…^" with every character cmd or the C runtime would read specially
 * escaped: backslashes before a quote doubled and the quote written \" (C runtime rules), then a ^
 * before anything but plain characters (cmd rules, so & | < > ( ) ^ % ! stay literal), %X as %^X
 * (no variable expansion), newlines as ^ + two newlines. The scheme DevTools' "Copy as cURL (cmd)"
 * uses, plus the backslash rule. NUL dropped.
 */
export function cmdQuote(value: string): string {
  const c = value
    .replace(/\0/g, '')
    .replace(/(\\*)"/g, '$1$1\\"')
    .replace(/(\\+)$/, '$1$1')
    .replace(/[^a-zA-Z0-9\s_\-:=+~'/.,?;()*`]/g, '^$&')
    .replace(/%(?=[a-zA-Z0-9_])/g, '%^')
    .replace(/\r?\n/g, '^\n\n');
  return `^"${c}^"`;
}

/**
 * `curl 'https://host/api/2/…' -X GET -H 'Authorization: Bearer <access_token>' -H 'Accept: application/json'`
 * (and `--data-raw '…'` when the request had a body). One line, so it pastes into any POSIX shell.
 */
export function curlCommand(x: CurlSource, opts: CurlOptions = {}): string {
  const shell = opts.shell ?? 'posix';
  const quote = shell === 'powershell' ? powershellQuote : shell === 'cmd' ? cmdQuote : shellQuote;
  const method = x.method.toUpperCase();
  // PowerShell 5.1 aliases `curl` to Invoke-WebRequest: curl.exe is the real one (Windows 10+).
  const parts = [shell === 'powershell' ? 'curl.exe' : 'curl', quote(`${x.origin}${x.path}`), '-X', /^[A-Z]{1,16}$/.test(method) ? method : quote(method)];
  const headers = placeholderHeaders(x);
  for (const [name, value] of Object.entries(headers)) {
    if (DROPPED.has(name.toLowerCase())) continue;
    parts.push('-H', quote(`${headerName(name)}: ${value}`));
  }
  let command: string;
  const body = x.requestBody !== undefined && x.requestBody !== '' ? placeholderBody(x.requestBody) : undefined;
  if (body !== undefined && shell === 'powershell') {
    // Windows PowerShell drops the " inside arguments to native programs (and 7.3+ does not), so the
    // body goes through stdin instead, the same in both.
    command = `${powershellQuote(body)} | ${parts.join(' ')} --data-binary '@-'`;
  } else {
    if (body !== undefined) parts.push('--data-raw', quote(body));
    command = parts.join(' ');
  }
  return opts.scrub ? opts.scrub(command) : command;
}

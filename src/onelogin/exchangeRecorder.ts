/**
 * Records one request and its reply as an Exchange, verbatim but scrubbed: the panel and the log show
 * exactly what went over the wire, and never a token or a client secret.
 */
import type { AxiosResponse } from 'axios';
import type { Exchange } from './exchange';
import type { SecretScrubber } from './redact';
import { excerpt, parseJson, parseRateLimit, type JsonParse } from './responses';

/** A response of any HTTP status, recorded, with its exchange not yet published. */
export interface HttpResult {
  exchange: Exchange;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed after secrets were scrubbed: what may be shown. */
  json: JsonParse;
  /** The body parsed as received; only for reading a minted token, never recorded. */
  rawJson: JsonParse;
}

export class ExchangeRecorder {
  /** The request headers last recorded, scrubbed: every poll sends the same ones, so they are redacted once. */
  private lastSent: { raw: Record<string, unknown>; recorded: Readonly<Record<string, string>>; version: number } | undefined;

  /** `nextId` is the client module's: a reloaded client starts its ids afresh (see lastExchangeId there). */
  constructor(
    private readonly origin: string,
    private readonly scrubber: SecretScrubber,
    private readonly maxResponseBytes: number,
    private readonly nextId: () => number,
  ) {}

  /** The exchange of a request about to leave; `body` is the body as it may be recorded. */
  start(method: string, path: string, body: Record<string, unknown> | undefined): Exchange {
    return {
      id: this.nextId(),
      startedAt: new Date().toISOString(),
      method,
      origin: this.origin,
      path,
      requestHeaders: {},
      requestBody: body ? this.scrubber.scrub(JSON.stringify(body)) : undefined,
      responseHeaders: {},
      bodyText: '',
      bodyTruncated: false,
      isJson: false,
      durationMs: 0,
      sizeBytes: 0,
    };
  }

  /** Records a reply; `secretsIn` names the secrets the reply itself carries (a minted token). */
  response(exchange: Exchange, response: AxiosResponse<string>, secretsIn?: (json: unknown) => (string | undefined)[]): HttpResult {
    const raw = typeof response.data === 'string' ? response.data : '';
    const rawJson = parseJson(raw);
    if (secretsIn && rawJson.ok) this.scrubber.add(...secretsIn(rawJson.value));
    const text = this.scrubber.scrub(raw);
    const json = text === raw ? rawJson : parseJson(text);
    const headers = flattenHeaders(response.headers, this.scrubber);
    exchange.requestHeaders = this.requestHeaders(sentHeaders(response.request) ?? {});
    exchange.status = response.status;
    exchange.statusText = response.statusText;
    exchange.responseHeaders = headers;
    exchange.bodyText = text;
    exchange.isJson = json.ok;
    exchange.json = json.ok ? json.value : undefined;
    exchange.sizeBytes = Buffer.byteLength(raw, 'utf8');
    // Quoted in log lines and error messages: one plain line (the panel still shows the raw header).
    exchange.requestId = headers['x-request-id'] === undefined ? undefined : excerpt(headers['x-request-id'], 100) || undefined;
    exchange.rateLimit = parseRateLimit(headers);
    return { exchange, status: response.status, headers, text, json, rawJson };
  }

  /** Records the headers of a request that got no reply: those Node sent, else `fallback`. */
  failedRequest(exchange: Exchange, request: unknown, fallback: Record<string, unknown>): void {
    exchange.requestHeaders = this.requestHeaders(sentHeaders(request) ?? fallback);
  }

  /**
   * A reply cut at the size limit still had a status and headers: record them, and the body as cut with
   * its size (Content-Length, else at least the limit), so the panel shows "cut", not "No response".
   */
  cutResponse(exchange: Exchange, request: unknown): void {
    const res = (request as { res?: { statusCode?: unknown; statusMessage?: unknown; headers?: unknown } } | undefined)?.res;
    if (!res || typeof res.statusCode !== 'number') return;
    const headers = flattenHeaders(res.headers, this.scrubber);
    exchange.status = res.statusCode;
    if (typeof res.statusMessage === 'string') exchange.statusText = res.statusMessage;
    exchange.responseHeaders = headers;
    exchange.bodyTruncated = true;
    const length = Number(headers['content-length']);
    exchange.sizeBytes = Number.isSafeInteger(length) && length > this.maxResponseBytes ? length : this.maxResponseBytes;
    exchange.requestId = headers['x-request-id'] === undefined ? undefined : excerpt(headers['x-request-id'], 100) || undefined;
    exchange.rateLimit = parseRateLimit(headers);
  }

  /**
   * The headers as sent, scrubbed. Polls send the same headers every time: the previous record is shared
   * (frozen) while they and the known secrets are unchanged, instead of redacting them again per request.
   */
  private requestHeaders(raw: Record<string, unknown>): Readonly<Record<string, string>> {
    const last = this.lastSent;
    if (last && last.version === this.scrubber.version && sameRecord(last.raw, raw)) return last.recorded;
    const recorded = Object.freeze(flattenHeaders(raw, this.scrubber));
    this.lastSent = { raw, recorded, version: this.scrubber.version };
    return recorded;
  }
}

/**
 * Flattens a headers object (axios's AxiosHeaders, Node's) into lowercase name -> string value, scrubbed
 * in the same pass when a scrubber is given. AxiosHeaders keeps each header as an own property, so it is
 * read directly (its toJSON() would copy them once more).
 */
function flattenHeaders(headers: unknown, scrubber?: SecretScrubber): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const source = headers as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    const v = source[k];
    if (v === undefined || v === null || v === false) continue; // what AxiosHeaders.toJSON() drops
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.map(String).join(', ') : String(v);
    out[name] = scrubber ? scrubber.scrubHeader(name, value) : value;
  }
  return out;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** The headers Node actually sent, from the ClientRequest axios exposes (lowercase names; not flattened). */
function sentHeaders(request: unknown): Record<string, unknown> | undefined {
  const getHeaders = (request as { getHeaders?: unknown } | undefined)?.getHeaders;
  if (typeof getHeaders !== 'function') return undefined;
  const sent: unknown = (getHeaders as () => unknown).call(request);
  return sent && typeof sent === 'object' ? (sent as Record<string, unknown>) : undefined;
}

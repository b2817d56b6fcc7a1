/**
 * Turns OneLogin's bodies into plain data. The API is inconsistent, so every documented form is
 * accepted: status bodies as a one-element array or an object, ids as numbers or strings, and three
 * error shapes (plus a fourth from other OneLogin APIs, and bodies that are not JSON at all).
 */
import { OneLoginError, type OneLoginErrorKind } from './errors';
import type { RateLimitInfo } from './exchange';
import type { VerificationStatus } from './types';

export type JsonParse = { ok: true; value: unknown } | { ok: false };

const NOT_BLANK = /\S/;

export function parseJson(text: string): JsonParse {
  if (!NOT_BLANK.test(text)) return { ok: false }; // trim() would copy the whole body to tell
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An id as OneLogin sends it (string or number) as a string; undefined when absent. */
export function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The record a body carries: the object itself, the first element of an array, or `data` of a v1 wrapper. */
export function singleRecord(body: unknown): Obj | undefined {
  if (Array.isArray(body)) return isObj(body[0]) ? body[0] : undefined;
  if (isObj(body)) {
    if (Array.isArray(body.data) || isObj(body.data)) return singleRecord(body.data);
    return body;
  }
  return undefined;
}

/** A list body: an array, or `data` of a wrapper. */
export function recordList(body: unknown): Obj[] | undefined {
  if (Array.isArray(body)) return body.filter(isObj);
  if (isObj(body) && Array.isArray(body.data)) return body.data.filter(isObj);
  return undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const STATUSES: readonly VerificationStatus[] = ['pending', 'accepted', 'rejected'];

/** The verification status body, normalised. Throws invalidResponse when it is not one. */
export function parseVerificationStatus(body: unknown): { id?: string; status: VerificationStatus; deviceId?: string } {
  const record = singleRecord(body);
  if (!record) {
    throw new OneLoginError('invalidResponse', `OneLogin's reply did not contain a verification (expected [{"id","status","device_id"}] or an object), got ${describeJson(body)}.`);
  }
  const raw = typeof record.status === 'string' ? record.status.trim().toLowerCase() : undefined;
  const status = STATUSES.find((s) => s === raw);
  if (!status) {
    throw new OneLoginError('invalidResponse', `OneLogin's reply has an unknown verification status ${quoteValue(record.status ?? null)}; expected pending, accepted or rejected.`);
  }
  return { id: idString(record.id), status, deviceId: idString(record.device_id) };
}

/** A value from a reply, quoted for a message: JSON, on one plain line, at most 60 characters. */
function quoteValue(v: unknown): string {
  try {
    return excerpt(JSON.stringify(v) ?? String(v), 60);
  } catch {
    return 'nested too deep to quote';
  }
}

function describeJson(body: unknown): string {
  if (Array.isArray(body)) return body.length === 0 ? 'an empty array' : 'an array without an object';
  if (body === null) return 'null';
  return `a JSON ${typeof body}`;
}

/** Longest server-provided message quoted in an error (the full body stays in the exchange). */
const MAX_SERVER_MESSAGE = 300;

/** Server text fit for a notification or a log line: one line, no control or bidi characters, capped. */
function plain(text: string | undefined, max = MAX_SERVER_MESSAGE): string | undefined {
  return text === undefined ? undefined : excerpt(text, max);
}

/**
 * The message an error body carries, from any of OneLogin's error shapes, as one plain line of at most
 * 300 characters: the server (or a proxy) must not be able to forge log lines or flood a notification.
 */
export function serverMessage(body: unknown): { message?: string; name?: string } {
  const raw = rawServerMessage(body);
  const out: { message?: string; name?: string } = {};
  const message = plain(raw.message);
  const name = plain(raw.name, 60);
  if (message) out.message = message;
  if (name) out.name = name;
  return out;
}

function rawServerMessage(body: unknown): { message?: string; name?: string } {
  if (!isObj(body)) return {};
  // Shape 1 (and the success wrapper): {"status":{"error":true,"code":401,"type":"Unauthorized","message":"..."}}
  if (isObj(body.status)) {
    return { message: str(body.status.message), name: str(body.status.type) };
  }
  // Shape 2: {"statusCode":404,"name":"NotFound","message":"..."}; also {"message":..., "errors":[{field, message:[...]}]}
  const parts: string[] = [];
  const message = str(body.message) ?? str(body.error_description) ?? str(body.error);
  if (message) parts.push(message);
  if (Array.isArray(body.errors)) {
    for (const e of body.errors) {
      if (!isObj(e)) continue;
      const text = Array.isArray(e.message) ? e.message.filter((m) => typeof m === 'string').join('; ') : str(e.message);
      if (text) parts.push(e.field ? `${String(e.field)}: ${text}` : text);
    }
  }
  return { message: parts.length ? parts.join(' — ') : undefined, name: str(body.name) };
}

/** A 200 can still carry shape 1 with error:true; this reads the code it claims. */
export function embeddedErrorCode(body: unknown): number | undefined {
  if (isObj(body) && isObj(body.status) && body.status.error === true) {
    return typeof body.status.code === 'number' ? body.status.code : 500;
  }
  return undefined;
}

export function kindForStatus(status: number): OneLoginErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  return 'invalidResponse';
}

/** Control characters (C0, DEL, C1), bidi overrides/isolates and line separators: never quoted as they are. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** Printable ASCII words with single spaces between them: what excerpt() would return unchanged. */
const ALREADY_PLAIN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/** Up to 120 characters of a body, on one plain line (no control or bidi characters), for error messages. */
export function excerpt(text: string, max = 120): string {
  if (text.length <= max && ALREADY_PLAIN.test(text)) return text; // an x-request-id on every exchange
  const flat = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function headerNumber(headers: Record<string, string>, name: string): number | undefined {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function parseRateLimit(headers: Record<string, string>): RateLimitInfo | undefined {
  const info: RateLimitInfo = {
    limit: headerNumber(headers, 'x-ratelimit-limit'),
    remaining: headerNumber(headers, 'x-ratelimit-remaining'),
    resetSeconds: headerNumber(headers, 'x-ratelimit-reset'),
  };
  return info.limit === undefined && info.remaining === undefined && info.resetSeconds === undefined ? undefined : info;
}

/**
 * How long a 429 asks us to wait, in ms: Retry-After (seconds or an HTTP date), else X-RateLimit-Reset
 * (seconds until the window resets), else undefined (the caller backs off on its own).
 */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    // An HTTP date is on the server's clock: measure it against the reply's own Date header, so a
    // skewed local clock cannot turn 30 s into 330 s (or into 0). Without a Date header: the local clock.
    const serverNow = headers.date ? Date.parse(headers.date) : Number.NaN;
    if (!Number.isNaN(date)) return Math.max(0, date - (Number.isNaN(serverNow) ? now : serverNow));
  }
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (reset !== undefined && reset >= 0) return Math.round(reset * 1000);
  return undefined;
}

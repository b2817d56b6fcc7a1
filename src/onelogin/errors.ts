/**
 * The one error type the API layer throws. `kind` says what went wrong in terms a caller can act on;
 * `message` is written for a person and never holds a token, a secret or a raw axios error.
 */
export type OneLoginErrorKind =
  | 'auth' // 401: token missing, wrong, expired or revoked; or client credentials rejected
  | 'forbidden' // 403: the API credential lacks the scope for this call
  | 'notFound' // 404: unknown user, verification or device
  | 'rateLimited' // 429
  | 'server' // 5xx
  | 'network' // connection refused, reset, DNS failure, ...
  | 'timeout' // no complete answer within the request timeout
  | 'invalidResponse' // not JSON, wrong shape, too large, a redirect
  | 'invalidInput' // caught before any request: bad id, bad base URL, missing credentials
  | 'cancelled'; // the caller's AbortSignal fired

export interface OneLoginErrorDetails {
  httpStatus?: number;
  /** `x-request-id` of the failed response, for support tickets. */
  requestId?: string;
  /** For 429: how long the server asked us to wait (Retry-After, else X-RateLimit-Reset), in ms. */
  retryAfterMs?: number;
  /** Network error code such as ECONNREFUSED. */
  code?: string;
  /**
   * Proven that OneLogin did nothing: the request was never sent, or it answered 4xx with an error body.
   * Anything else (a timeout, a reset, a 5xx, an unreadable 2xx) may mean the call was carried out.
   */
  refused?: boolean;
}

/** Marks every OneLoginError, whichever bundle's copy of this class made it (see Symbol.hasInstance). */
const BRAND: unique symbol = Symbol.for('onelogin-mfa.OneLoginError');

export class OneLoginError extends Error {
  /**
   * The client is its own bundle (dist/client.js, loaded on the first request) with its own copy of this
   * class: `instanceof` checks the brand, so an error thrown there is a OneLoginError here too.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly kind: OneLoginErrorKind;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly refused: boolean;

  constructor(kind: OneLoginErrorKind, message: string, details: OneLoginErrorDetails = {}) {
    super(message);
    this.name = 'OneLoginError';
    this.kind = kind;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
    this.refused = details.refused === true;
  }

  /** A plain, serialisable copy (for events, webview messages and command results). */
  toJSON(): SerializedOneLoginError {
    return {
      kind: this.kind,
      message: this.message,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
    };
  }
}

export interface SerializedOneLoginError {
  kind: OneLoginErrorKind;
  message: string;
  httpStatus?: number;
  requestId?: string;
  retryAfterMs?: number;
  /** A machine-readable reason within the kind, e.g. NO_CREDENTIALS or INVALID_BASE_URL. */
  code?: string;
  /** For a poll ended by the rate limit: epoch ms (local clock) when OneLogin said the limit resets. */
  resetAt?: number;
}

/** Errors that polling cannot fix by trying again. */
function isPermanent(kind: OneLoginErrorKind): boolean {
  return kind === 'auth' || kind === 'forbidden' || kind === 'notFound' || kind === 'invalidInput' || kind === 'cancelled';
}

/** HTTP statuses that say the request itself is wrong: sending it again gets the same answer. */
const PERMANENT_STATUSES: readonly number[] = [400, 405, 409, 410, 413, 415, 422];

/** Like isPermanent(kind), but also by HTTP status: 400, 409, 422 … are never retried. */
export function isPermanentError(e: { kind: OneLoginErrorKind; httpStatus?: number }): boolean {
  return isPermanent(e.kind) || (e.httpStatus !== undefined && PERMANENT_STATUSES.includes(e.httpStatus));
}

export function isOneLoginError(e: unknown): e is OneLoginError {
  return e instanceof OneLoginError;
}

/** An error as command results carry it: what a person or a calling extension can act on, no stack. */
export interface ResultError {
  kind: OneLoginErrorKind;
  message: string;
  /** e.g. NO_CREDENTIALS, INVALID_BASE_URL, INVALID_ID, INVALID_ARGUMENT. */
  code?: string;
  httpStatus?: number;
  requestId?: string;
}

export function toResultError(e: unknown): ResultError {
  if (isOneLoginError(e)) {
    const r: ResultError = { kind: e.kind, message: e.message };
    if (e.code) r.code = e.code;
    if (e.httpStatus !== undefined) r.httpStatus = e.httpStatus;
    if (e.requestId) r.requestId = e.requestId;
    return r;
  }
  // Not a OneLoginError: a bug. Its message is not shown verbatim (it could come from anywhere).
  return { kind: 'invalidResponse', message: 'Unexpected internal error; see the "OneLogin MFA" log for details.', code: 'INTERNAL' };
}

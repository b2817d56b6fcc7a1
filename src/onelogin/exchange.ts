/**
 * One HTTP request and its response, recorded exactly as they happened, for the panel and the log.
 * Invariant: nothing in an Exchange holds a token, a client secret or an Authorization value;
 * the client redacts before it records.
 */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** Seconds until the window resets (X-RateLimit-Reset). */
  resetSeconds?: number;
}

export interface Exchange {
  /** Unique within the process, increasing. */
  id: number;
  /** ISO time the request was sent. */
  startedAt: string;
  method: string;
  /** Origin of the base URL, e.g. https://acme.onelogin.com (never userinfo). */
  origin: string;
  /** Path and query, e.g. /api/2/mfa/users/42/verifications/406f... */
  path: string;
  /** Request headers as sent, with Authorization replaced by a redacted form. */
  requestHeaders: Record<string, string>;
  /** Request body as sent (JSON text), redacted; undefined for GET. */
  requestBody?: string;
  /** HTTP status; undefined when no response arrived (network error, timeout, cancel). */
  status?: number;
  statusText?: string;
  responseHeaders: Record<string, string>;
  /** Response body text exactly as received (after redaction of known secrets); '' when empty. */
  bodyText: string;
  /** True when bodyText was cut (the body was larger than the size limit). */
  bodyTruncated: boolean;
  /** The parsed body when it is JSON. */
  json?: unknown;
  /** Whether the body parsed as JSON. */
  isJson: boolean;
  durationMs: number;
  /** Response body size in bytes as received. */
  sizeBytes: number;
  requestId?: string;
  rateLimit?: RateLimitInfo;
  /** Set when the exchange failed: the error kind and its message. */
  error?: { kind: string; message: string };
  /** The tenant whose client made it (set by the client provider; the client itself knows only its host). */
  tenant?: string;
}

export type ExchangeListener = (exchange: Exchange) => void;

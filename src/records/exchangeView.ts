/**
 * One recorded HTTP exchange as it is shown and exported: redacted, with the body capped. The panel, the
 * export and Copy as cURL all read this shape.
 */
export interface ExchangeView {
  /** The panel's own id (not Exchange.id: those restart after a reload). */
  id: number;
  startedAt: string;
  method: string;
  origin: string;
  /** The tenant whose client made it, when not "default". */
  tenant?: string;
  path: string;
  status?: number;
  statusText?: string;
  durationMs: number;
  /** Response body size in bytes as received. */
  sizeBytes: number;
  requestId?: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseHeaders: Record<string, string>;
  /** The body to show: JSON re-indented (whitespace only), anything else verbatim; possibly cut. */
  body: string;
  bodyKind: 'json' | 'text' | 'empty';
  /** Set when `body` is shorter than the full body: how much is shown of how much. */
  bodyCut?: { shownChars: number; totalChars: number };
  /** True when not even the preview was sent (snapshot size budget); "Open in editor" still works. */
  bodyOmitted?: boolean;
  /** True when the client itself stopped reading the body at its size limit. */
  bodyTruncatedByClient: boolean;
  error?: { kind: string; message: string };
  rateLimit?: { limit?: number; remaining?: number; resetSeconds?: number };
  /** Restored from the panel's saved state after a reload: only the preview exists. */
  restored?: boolean;
}

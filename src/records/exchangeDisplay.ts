/**
 * A recorded exchange as the panel and the export show it: redacted again (defence in depth on top of
 * the client's scrubbing), the JSON body re-indented, the body cut at a size cap.
 */
import type { Exchange } from '../onelogin/exchange';
import { redactBodyText, sanitizeRequestHeaders } from '../onelogin/redact';
import type { ExchangeView } from './exchangeView';
import { LIMITS } from './exchangeLogConstants';
import { prettyJsonText } from './jsonLayout';

export interface BodyForDisplay {
  body: string;
  bodyKind: ExchangeView['bodyKind'];
  bodyCut?: ExchangeView['bodyCut'];
}

/** The body as the panel shows it: JSON re-indented when it fits the cap, else verbatim; cut at the cap. */
export function displayBody(bodyText: string, isJson: boolean, capChars: number): BodyForDisplay {
  if (bodyText === '') return { body: '', bodyKind: 'empty' };
  let text = bodyText;
  if (isJson && bodyText.length <= capChars) {
    const pretty = prettyJsonText(bodyText, capChars);
    if (pretty !== undefined && pretty.length <= capChars) text = pretty;
  }
  const kind = isJson ? 'json' : 'text';
  if (text.length <= capChars) return { body: text, bodyKind: kind };
  // Do not split a surrogate pair.
  let cut = capChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { body: text.slice(0, cut), bodyKind: kind, bodyCut: { shownChars: cut, totalChars: text.length } };
}

/**
 * The view of an exchange. `safeBody` is `ex.bodyText` already passed through `redactBodyText`, for a
 * caller that keeps the redacted body too (the log), so a body is redacted once.
 */
export function toExchangeView(
  ex: Exchange,
  id: number,
  capChars: number = LIMITS.previewChars,
  safeBody: string = redactBodyText(ex.bodyText ?? ''),
): ExchangeView {
  const view: ExchangeView = {
    id,
    startedAt: ex.startedAt,
    method: ex.method,
    origin: ex.origin,
    path: ex.path,
    durationMs: ex.durationMs,
    sizeBytes: ex.sizeBytes,
    requestHeaders: sanitizeRequestHeaders(ex.requestHeaders ?? {}),
    responseHeaders: { ...(ex.responseHeaders ?? {}) },
    ...displayBody(safeBody, ex.isJson, capChars),
    bodyTruncatedByClient: ex.bodyTruncated,
  };
  if (ex.tenant !== undefined) view.tenant = ex.tenant;
  if (ex.status !== undefined) view.status = ex.status;
  if (ex.statusText) view.statusText = ex.statusText;
  if (ex.requestId) view.requestId = ex.requestId;
  if (ex.requestBody !== undefined) view.requestBody = redactBodyText(ex.requestBody);
  if (ex.error) view.error = { kind: ex.error.kind, message: ex.error.message };
  if (ex.rateLimit) view.rateLimit = { ...ex.rateLimit };
  return view;
}

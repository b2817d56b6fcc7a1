/**
 * Exporting the recorded exchanges: a JSON array (this extension's own shape) or a HAR 1.2 log that
 * browser dev tools and HTTP tools open. Built from the panel's redacted views; credentials become the
 * same placeholders as "Copy as cURL", token-bearing JSON keys are redacted again, and the caller's
 * scrubber runs over every string (defense in depth: the exchanges are redacted by contract already).
 * Pure and `vscode`-free.
 */
import type { ExchangeView } from './exchangeView';
import { redactBodyText, sanitizeRequestHeaders } from '../onelogin/redact';
import { placeholderBody, placeholderHeaders } from './curl';

export type ExportFormat = 'json' | 'har';

export interface ExportItem {
  view: ExchangeView;
  /** The full response body (redacted), when still held; else the view's preview is exported. */
  fullBody?: string;
}

export interface ExportOptions {
  scrub?: (text: string) => string;
  /** HAR `log.creator`. */
  creator?: { name: string; version: string };
}

/** Applies `fn` to every string in a JSON-like value (keys included). */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fn(k)] = mapStrings(v, fn);
    return out;
  }
  return value;
}

interface Prepared {
  view: ExchangeView;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  body: string;
  bodyComplete: boolean;
}

function prepare(item: ExportItem): Prepared {
  const v = item.view;
  const requestHeaders = placeholderHeaders({ path: v.path, requestHeaders: sanitizeRequestHeaders(v.requestHeaders) });
  const full = item.fullBody !== undefined;
  const out: Prepared = {
    view: v,
    url: `${v.origin}${v.path}`,
    requestHeaders,
    body: redactBodyText(full ? (item.fullBody as string) : v.body),
    bodyComplete: full || (!v.bodyCut && !v.bodyOmitted && !v.restored),
  };
  if (v.requestBody !== undefined) out.requestBody = placeholderBody(v.requestBody);
  return out;
}

function finish(value: unknown, opts: ExportOptions): string {
  const scrubbed = opts.scrub ? mapStrings(value, opts.scrub) : value;
  return `${JSON.stringify(scrubbed, null, 2)}\n`;
}

/** Oldest first, by the panel's ids. */
function ordered(items: readonly ExportItem[]): ExportItem[] {
  return [...items].sort((a, b) => a.view.id - b.view.id);
}

function exportJsonValue(items: readonly ExportItem[]): Record<string, unknown>[] {
  return ordered(items).map((item) => {
    const p = prepare(item);
    const v = p.view;
    const row: Record<string, unknown> = {
      startedAt: v.startedAt,
      method: v.method,
      url: p.url,
      requestHeaders: p.requestHeaders,
    };
    if (p.requestBody !== undefined) row.requestBody = p.requestBody;
    if (v.status !== undefined) row.status = v.status;
    if (v.statusText) row.statusText = v.statusText;
    row.responseHeaders = { ...v.responseHeaders };
    row.body = p.body;
    row.bodyKind = v.bodyKind;
    row.bodyComplete = p.bodyComplete;
    row.durationMs = v.durationMs;
    row.sizeBytes = v.sizeBytes;
    if (v.requestId) row.requestId = v.requestId;
    if (v.tenant) row.tenant = v.tenant;
    if (v.rateLimit) row.rateLimit = { ...v.rateLimit };
    if (v.error) row.error = { ...v.error };
    return row;
  });
}

/** The exchanges as a JSON array, oldest first. */
export function exportJson(items: readonly ExportItem[], opts: ExportOptions = {}): string {
  return finish(exportJsonValue(items), opts);
}

const header = (headers: Record<string, string>): { name: string; value: string }[] => Object.entries(headers).map(([name, value]) => ({ name, value: String(value) }));

function contentType(headers: Record<string, string>): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
}

function queryString(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

export function exportHarValue(items: readonly ExportItem[], opts: ExportOptions = {}): Record<string, unknown> {
  const creator = opts.creator ?? { name: 'onelogin-mfa-verify', version: '0' };
  const entries = ordered(items).map((item) => {
    const p = prepare(item);
    const v = p.view;
    const time = Math.max(0, Math.round(v.durationMs));
    const request: Record<string, unknown> = {
      method: v.method,
      url: p.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: header(p.requestHeaders),
      queryString: queryString(p.url),
      headersSize: -1,
      bodySize: p.requestBody !== undefined ? Buffer.byteLength(p.requestBody, 'utf8') : 0,
    };
    if (p.requestBody !== undefined) request.postData = { mimeType: contentType(p.requestHeaders) ?? 'application/json', text: p.requestBody };
    const responded = v.status !== undefined;
    const content: Record<string, unknown> = {
      size: v.sizeBytes,
      mimeType: contentType(v.responseHeaders) ?? (responded ? 'x-unknown' : ''),
      text: p.body,
    };
    if (!p.bodyComplete) content.comment = 'Only part of the body was still held when the log was exported.';
    const response: Record<string, unknown> = {
      status: v.status ?? 0,
      statusText: v.statusText ?? '',
      httpVersion: responded ? 'HTTP/1.1' : '',
      cookies: [],
      headers: header(v.responseHeaders),
      content,
      redirectURL: v.responseHeaders.location ?? '',
      headersSize: -1,
      bodySize: responded ? v.sizeBytes : -1,
    };
    if (v.error) response._error = `${v.error.kind}: ${v.error.message}`;
    const entry: Record<string, unknown> = {
      startedDateTime: v.startedAt,
      time,
      request,
      response,
      cache: {},
      timings: { send: 0, wait: time, receive: 0 },
    };
    const notes = [v.tenant ? `tenant ${v.tenant}` : '', v.requestId ? `x-request-id ${v.requestId}` : ''].filter(Boolean);
    if (notes.length) entry.comment = notes.join('; ');
    return entry;
  });
  return { log: { version: '1.2', creator: { ...creator }, entries } };
}

/** The exchanges as a HAR 1.2 document. */
export function exportHar(items: readonly ExportItem[], opts: ExportOptions = {}): string {
  return finish(exportHarValue(items, opts), opts);
}

export function exportLog(format: ExportFormat, items: readonly ExportItem[], opts: ExportOptions = {}): string {
  return format === 'har' ? exportHar(items, opts) : exportJson(items, opts);
}

/** `onelogin-mfa-exchanges-2026-11-29T10-02-00.har` */
export function defaultExportName(format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().replace(/\..*$/, '').replace(/:/g, '-');
  return `onelogin-mfa-exchanges-${stamp}.${format}`;
}

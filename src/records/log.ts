/**
 * What the "OneLogin MFA" log channel says about each exchange: method, URL path, status, timing, size
 * and x-request-id. Never headers or bodies, so no token or secret can reach the log even if a server
 * echoes one. No runtime `vscode` import: `vscode.LogOutputChannel` satisfies `LogSink`.
 */
import type { Exchange } from '../onelogin/exchange';

export const LOG_CHANNEL_NAME = 'OneLogin MFA';

export interface LogSink {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Strips a query string: ids live in the path, and a query is never needed in the log. */
function pathOnly(path: string): string {
  const q = path.search(/[?#]/);
  return q === -1 ? path : `${path.slice(0, q)}?…`;
}

export function formatExchange(ex: Exchange): string {
  const target = `${ex.method} ${ex.origin}${pathOnly(ex.path)}`;
  const outcome =
    ex.status !== undefined ? `${ex.status}${ex.statusText ? ` ${ex.statusText}` : ''}` : `no response (${ex.error?.kind ?? 'error'})`;
  const parts = [`${target} → ${outcome}`, `${Math.round(ex.durationMs)} ms`];
  if (ex.status !== undefined) parts.push(formatBytes(ex.sizeBytes));
  if (ex.requestId) parts.push(`x-request-id ${ex.requestId}`);
  if (ex.rateLimit?.remaining !== undefined) {
    parts.push(`rate limit ${ex.rateLimit.remaining}${ex.rateLimit.limit !== undefined ? `/${ex.rateLimit.limit}` : ''} left`);
  }
  if (ex.error) parts.push(`${ex.error.kind}: ${ex.error.message}`);
  return parts.join(', ');
}

export function logExchange(log: LogSink, ex: Exchange): void {
  const line = formatExchange(ex);
  if (ex.error || ex.status === undefined || ex.status >= 400) log.warn(line);
  else log.info(line);
}

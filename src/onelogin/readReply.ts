/**
 * Reads a reply the transport returned: the JSON body or list a call needs, the server's message, and a
 * refusal (a non-2xx status, a redirect, or an error code inside a 2xx) as a OneLoginError that says
 * what to check.
 */
import { OneLoginError } from './errors';
import { embeddedErrorCode, excerpt, kindForStatus, recordList, retryAfterMs, serverMessage } from './responses';
import type { HttpResult, RequestSpec } from './transport';

/** Hints that make an error message actionable, per call. */
export interface CallContext {
  notFound?: string;
  auth?: string;
}

/** The JSON body of a successful response; invalidResponse when there is none. */
export function jsonOf(res: HttpResult, allowEmpty = false): unknown {
  if (res.json.ok) return res.json.value;
  if (allowEmpty && res.text.trim() === '') return undefined;
  throw new OneLoginError('invalidResponse', `OneLogin answered HTTP ${res.status} but the body is ${describeBody(res)}, not JSON. A proxy or gateway may be in the way; check the base URL.`, { httpStatus: res.status });
}

/** The records of a list reply; invalidResponse when it is not a list. */
export function listOf(res: HttpResult): Record<string, unknown>[] {
  const list = recordList(jsonOf(res));
  if (!list) throw new OneLoginError('invalidResponse', 'OneLogin\'s reply is not a list.', { httpStatus: res.status });
  return list;
}

/** The message OneLogin put in its reply, if any. */
export function messageOf(res: HttpResult): string | undefined {
  return res.json.ok ? serverMessage(res.json.value).message : undefined;
}

/** Throws the OneLoginError a reply means, unless it is a 2xx without an error code inside. */
export function throwIfError(res: HttpResult, spec: Pick<RequestSpec, 'method' | 'path'>, context: CallContext): void {
  const embedded = res.json.ok ? embeddedErrorCode(res.json.value) : undefined;
  if (res.status >= 200 && res.status < 300 && embedded === undefined) return;
  const status = embedded ?? res.status;
  const baseDetails = { httpStatus: res.status, requestId: res.exchange.requestId };
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.location ? ` to ${safeOrigin(res.headers.location)}` : '';
    throw new OneLoginError('invalidResponse', `OneLogin answered ${spec.method} ${spec.path} with a redirect (HTTP ${res.status})${location}. Redirects are not followed, so the token is never sent elsewhere; check the base URL.`, baseDetails);
  }
  const kind = kindForStatus(status);
  const { message, name } = res.json.ok ? serverMessage(res.json.value) : {};
  const said = message ? `HTTP ${status}${name ? ` ${name}` : ''}: ${message}` : `HTTP ${status}, ${describeBody(res)}`;
  // Only a 4xx that carries an error body proves OneLogin refused the call (a proxy's page does not).
  const refused = res.status >= 400 && res.status < 500 && (message !== undefined || embedded !== undefined);
  const details = { ...baseDetails, refused };
  switch (kind) {
    case 'auth':
      throw new OneLoginError(kind, `OneLogin refused the credentials (${said}). ${context.auth ?? 'Set a new access token or API client credentials; the API credential needs the "Manage All" scope.'}`, details);
    case 'forbidden':
      throw new OneLoginError(kind, `OneLogin does not allow this call with these credentials (${said}). The API credential needs the "Manage All" scope.`, details);
    case 'notFound':
      throw new OneLoginError(kind, `${context.notFound ?? `OneLogin found nothing at ${spec.path}.`} (${said})`, details);
    case 'rateLimited': {
      const wait = retryAfterMs(res.headers);
      const hint = wait !== undefined ? ` It asks to wait ${Math.ceil(wait / 1000)} s.` : '';
      throw new OneLoginError(kind, `OneLogin's rate limit is reached (${said}).${hint}`, { ...details, retryAfterMs: wait });
    }
    case 'server':
      throw new OneLoginError(kind, `OneLogin had a server error (${said}). Try again shortly${status === 500 ? '; if it persists, the API credential\'s owner may have been deleted' : ''}.`, details);
    default:
      throw new OneLoginError(kind, `OneLogin answered ${spec.method} ${spec.path} with ${said}.`, details);
  }
}

/** `e` with the reply's x-request-id added, which OneLogin support asks for. */
export function withRequestId(e: OneLoginError, res: HttpResult): OneLoginError {
  if (e.requestId || !res.exchange.requestId) return e;
  return new OneLoginError(e.kind, `${e.message} [x-request-id ${res.exchange.requestId}]`, {
    httpStatus: e.httpStatus ?? res.status,
    requestId: res.exchange.requestId,
    retryAfterMs: e.retryAfterMs,
    code: e.code,
    refused: e.refused,
  });
}

function describeBody(res: HttpResult): string {
  if (res.text.trim() === '') return 'empty';
  const type = (res.headers['content-type'] ?? 'no content type').split(';')[0];
  return `${type}: "${excerpt(res.text)}"`;
}

function safeOrigin(location: string): string {
  try {
    return new URL(location).host || 'another path';
  } catch {
    return 'an unreadable location';
  }
}

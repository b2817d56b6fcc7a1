// What the simulator answers, as plain data, before it is written to a socket.
// The bodies follow the three error shapes printed in OneLogin's docs (see docs/reference).

import type { SimFault } from './types';

export const JSON_TYPE = 'application/json; charset=utf-8';

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  /** Extra headers; they override the ones every response carries. */
  headers?: Record<string, string>;
  /** Names of the standard headers to leave out of this reply (lower case). */
  omitHeaders?: string[];
}

/** How a reply reaches the client; faults pick the non-normal ones. */
export type Delivery =
  | { mode: 'now' }
  | { mode: 'slow'; delayMs: number }
  | { mode: 'trickle'; bytesPerSecond: number }
  | { mode: 'reset' };

/** What a fault turns a request into. */
export type FaultAction =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'huge'; bytes: number }
  | { kind: 'hang' }
  | { kind: 'deliver'; delivery: Delivery };

export function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), contentType: JSON_TYPE };
}

/** Shape 1: `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}`. */
export function statusError(code: number, type: string, message: string): Reply {
  return json(code, { status: { error: true, code, type, message } });
}

export function unauthorized(): Reply {
  return statusError(401, 'Unauthorized', 'Authentication Failure');
}

/** Shape 2: `{"statusCode":404,"name":"NotFound","message":"..."}`. */
export function namedError(statusCode: number, name: string, message: string): Reply {
  return json(statusCode, { statusCode, name, message });
}

export function notFound(): Reply {
  return namedError(404, 'NotFound', "The resource can't be found or the server has not found anything matching the Request-URI");
}

/** Shape 3, the success wrapper of some writes. */
export function success(): Reply {
  return json(200, { status: { type: 'success', code: 200, message: 'Success', error: false } });
}

/** The validation shape other OneLogin v2 APIs use: `{"message":...,"errors":[{"field":...,"message":[...]}]}`. */
export function validationError(field: string, message: string): Reply {
  return json(400, { message: 'Validation Failed', errors: [{ field, message: [message] }] });
}

export function badRequest(message: string): Reply {
  return namedError(400, 'BadRequest', message);
}

/** The simulator's own 429 (rate limit exhausted); the headers are added by the caller. */
export function tooManyRequests(): Reply {
  return namedError(429, 'TooManyRequests', 'Rate limit exceeded');
}

const STATUS_TEXT: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function htmlPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function rateLimitedReply(retryAfter: string | undefined, rateLimitReset: number | undefined, retryAfterDate: string | undefined): Reply {
  const headers: Record<string, string> = { 'x-ratelimit-remaining': '0' };
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  if (retryAfterDate !== undefined) headers['retry-after'] = retryAfterDate;
  if (rateLimitReset !== undefined) headers['x-ratelimit-reset'] = String(rateLimitReset);
  // Without rateLimitReset there is no reset header at all, so a client's "no hint: back off" path can be tested.
  return { ...tooManyRequests(), headers, omitHeaders: rateLimitReset === undefined ? ['x-ratelimit-reset'] : [] };
}

/** Translates a scripted fault into what the server does instead of (or on top of) its normal answer. */
export function faultAction(fault: SimFault, serverNow: number = Date.now()): FaultAction {
  switch (fault.kind) {
    case 'status':
      return { kind: 'reply', reply: { status: fault.status, body: fault.body ?? '', contentType: fault.contentType ?? (fault.body ? JSON_TYPE : undefined), headers: fault.headers } };
    case 'unauthorized':
      return { kind: 'reply', reply: unauthorized() };
    case 'notFound':
      return { kind: 'reply', reply: notFound() };
    case 'rateLimited':
      return {
        kind: 'reply',
        reply: rateLimitedReply(
          fault.retryAfter,
          fault.rateLimitReset,
          fault.retryAfterDateSeconds === undefined ? undefined : new Date(serverNow + fault.retryAfterDateSeconds * 1000).toUTCString(),
        ),
      };
    case 'serverError': {
      const status = fault.status ?? 500;
      return { kind: 'reply', reply: namedError(status, 'InternalServerError', STATUS_TEXT[status] ?? 'Server Error') };
    }
    case 'html': {
      const status = fault.status ?? 502;
      return { kind: 'reply', reply: { status, body: htmlPage(status), contentType: 'text/html' } };
    }
    case 'malformedJson':
      return { kind: 'reply', reply: { status: 200, body: '[{"id":"406fefd4-8a36-4aee-880c-f3e4a928e27d","status":"pen', contentType: JSON_TYPE } };
    case 'empty':
      return { kind: 'reply', reply: { status: fault.status ?? 200, body: '', contentType: JSON_TYPE } };
    case 'redirect':
      return { kind: 'reply', reply: { status: fault.status ?? 302, body: '', headers: { location: fault.location } } };
    case 'body':
      return { kind: 'reply', reply: { status: fault.status ?? 200, body: fault.body, contentType: fault.contentType ?? JSON_TYPE } };
    case 'huge':
      return { kind: 'huge', bytes: fault.bytes };
    case 'hang':
      return { kind: 'hang' };
    case 'slow':
      return { kind: 'deliver', delivery: { mode: 'slow', delayMs: fault.delayMs } };
    case 'trickle':
      return { kind: 'deliver', delivery: { mode: 'trickle', bytesPerSecond: fault.bytesPerSecond } };
    case 'reset':
      return { kind: 'deliver', delivery: { mode: 'reset' } };
  }
}

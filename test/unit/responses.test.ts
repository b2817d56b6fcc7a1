import { strict as assert } from 'node:assert';
import { OneLoginError } from '../../src/onelogin/errors';
import {
  embeddedErrorCode,
  excerpt,
  kindForStatus,
  parseJson,
  parseRateLimit,
  parseVerificationStatus,
  recordList,
  retryAfterMs,
  serverMessage,
} from '../../src/onelogin/responses';

describe('responses', () => {
  const record = { id: '406fefd4-8a36-4aee-880c-f3e4a928e27d', status: 'pending', device_id: '3919988' };

  it('reads the status body as the documented one-element array', () => {
    assert.deepEqual(parseVerificationStatus([record]), { id: record.id, status: 'pending', deviceId: '3919988' });
  });
  it('reads the status body as an object (what the SDKs read) and as a v1 data wrapper', () => {
    assert.equal(parseVerificationStatus({ ...record, status: 'accepted' }).status, 'accepted');
    assert.equal(parseVerificationStatus({ status: { error: false }, data: [{ ...record, status: 'rejected' }] }).status, 'rejected');
  });
  it('treats numeric ids as strings and status case-insensitively', () => {
    assert.deepEqual(parseVerificationStatus([{ id: 123, status: ' Accepted ', device_id: 3919988 }]), { id: '123', status: 'accepted', deviceId: '3919988' });
  });
  it('refuses empty arrays, unknown statuses and non-objects as invalidResponse', () => {
    for (const body of [[], [1], null, 'pending', { id: 'x' }, [{ status: 'expired' }]]) {
      assert.throws(() => parseVerificationStatus(body), (e: unknown) => e instanceof OneLoginError && e.kind === 'invalidResponse');
    }
  });
  it('reads the message of each error shape', () => {
    assert.deepEqual(serverMessage({ status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } }), { message: 'Authentication Failure', name: 'Unauthorized' });
    assert.deepEqual(serverMessage({ statusCode: 404, name: 'NotFound', message: "The resource can't be found" }), { message: "The resource can't be found", name: 'NotFound' });
    assert.equal(serverMessage({ message: 'Validation failed', errors: [{ field: 'expires_in', message: ['must be <= 900'] }] }).message, 'Validation failed — expires_in: must be <= 900');
    assert.deepEqual(serverMessage('<html>'), {});
  });
  it('spots an error hidden in a 200 body', () => {
    assert.equal(embeddedErrorCode({ status: { error: true, code: 401 } }), 401);
    assert.equal(embeddedErrorCode({ status: { type: 'success', code: 200, error: false } }), undefined);
  });
  it('maps HTTP statuses to kinds', () => {
    assert.deepEqual([401, 403, 404, 429, 500, 502, 400, 418].map(kindForStatus), ['auth', 'forbidden', 'notFound', 'rateLimited', 'server', 'server', 'invalidResponse', 'invalidResponse']);
  });
  it('parses JSON safely: empty, truncated, a string, deep nesting', () => {
    assert.deepEqual(parseJson(''), { ok: false });
    assert.deepEqual(parseJson(' \n\t\ufeff '), { ok: false });
    assert.deepEqual(parseJson('[{"id":'), { ok: false });
    assert.deepEqual(parseJson('"just a string"'), { ok: true, value: 'just a string' });
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    assert.equal(parseJson(deep).ok, true);
  });
  it('reads Retry-After as seconds or an HTTP date, else X-RateLimit-Reset', () => {
    const now = Date.parse('2026-11-29T10:00:00Z');
    assert.equal(retryAfterMs({ 'retry-after': '7' }, now), 7000);
    assert.equal(retryAfterMs({ 'retry-after': 'Sun, 29 Nov 2026 10:00:30 GMT' }, now), 30_000);
    assert.equal(retryAfterMs({ 'x-ratelimit-reset': '12' }, now), 12_000);
    assert.equal(retryAfterMs({ 'retry-after': 'soon', 'x-ratelimit-reset': '3' }, now), 3000);
    assert.equal(retryAfterMs({}, now), undefined);
  });
  it('reads an HTTP-date Retry-After against the reply\'s Date header when there is one (a skewed local clock does not matter)', () => {
    const local = Date.parse('2026-11-29T10:00:00Z');
    const headers = { date: 'Sun, 29 Nov 2026 10:05:00 GMT', 'retry-after': 'Sun, 29 Nov 2026 10:05:30 GMT' };
    assert.equal(retryAfterMs(headers, local), 30_000);
    assert.equal(retryAfterMs({ ...headers, date: 'garbage' }, local), 330_000, 'an unreadable Date: the local clock, as before');
  });
  it('reads the rate-limit headers', () => {
    assert.deepEqual(parseRateLimit({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4988', 'x-ratelimit-reset': '832' }), { limit: 5000, remaining: 4988, resetSeconds: 832 });
    assert.equal(parseRateLimit({}), undefined);
  });
  it('reads lists from arrays and data wrappers', () => {
    assert.equal(recordList([{ a: 1 }, 2])?.length, 1);
    assert.equal(recordList({ data: [{ a: 1 }] })?.length, 1);
    assert.equal(recordList({ a: 1 }), undefined);
  });
  it('keeps excerpts short and on one line', () => {
    assert.equal(excerpt('<html>\n  <body>Bad   gateway</body>\n</html>'), '<html> <body>Bad gateway</body> </html>');
    assert.equal(excerpt('x'.repeat(500)).length, 121);
    // Already plain (an x-request-id): returned as is; anything else still goes through the full clean-up.
    assert.equal(excerpt('a1b2c3d4-e5f6-7890-abcd-ef0123456789', 100), 'a1b2c3d4-e5f6-7890-abcd-ef0123456789');
    assert.equal(excerpt(' id  two ', 100), 'id two');
    assert.equal(excerpt('id\u0085two\u202e', 100), 'id two');
  });
});

import { strict as assert } from 'node:assert';
import type { ExchangeView } from '../../src/panel/messages';
import { SecretScrubber } from '../../src/onelogin/redact';
import { defaultExportName, exportHar, exportHarValue, exportJson, mapStrings, type ExportItem } from '../../src/records/exportLog';

const TOKEN = 'tok-SECRET-0123456789abcdef';

function view(id: number, over: Partial<ExchangeView> = {}): ExchangeView {
  return {
    id,
    startedAt: '2026-11-29T10:00:00.000Z',
    method: 'GET',
    origin: 'https://acme.onelogin.com',
    path: '/api/2/mfa/users/1001/verifications/v1',
    status: 200,
    statusText: 'OK',
    durationMs: 12.4,
    sizeBytes: 48,
    requestId: `req-${id}`,
    requestHeaders: { authorization: 'Bearer ••••cdef', accept: 'application/json' },
    responseHeaders: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': `req-${id}`, 'x-ratelimit-remaining': '4988' },
    body: '[\n  {\n    "status": "pending"\n  }\n]',
    bodyKind: 'json',
    bodyTruncatedByClient: false,
    rateLimit: { limit: 5000, remaining: 4988, resetSeconds: 832 },
    ...over,
  };
}

const items: ExportItem[] = [
  { view: view(2), fullBody: '[{"id":"v1","status":"pending","device_id":"3919988"}]' },
  {
    view: view(1, {
      method: 'POST',
      path: '/auth/oauth2/v2/token',
      requestHeaders: { authorization: 'client_id:<redacted>, client_secret:<redacted>', 'content-type': 'application/json' },
      requestBody: '{"grant_type":"client_credentials"}',
      body: '{"access_token":"<redacted>","token_type":"bearer"}',
    }),
  },
  {
    view: view(3, {
      method: 'PUT',
      requestBody: '{"otp":"<redacted>"}',
      status: undefined,
      statusText: undefined,
      responseHeaders: {},
      body: '',
      bodyKind: 'empty',
      sizeBytes: 0,
      error: { kind: 'timeout', message: 'OneLogin did not answer within 10 s.' },
    }),
  },
  { view: view(4, { body: 'x'.repeat(10), bodyKind: 'text', bodyCut: { shownChars: 10, totalChars: 900 } }) },
];

describe('exchange log export', () => {
  it('JSON: an array, oldest first, with placeholders for credentials', () => {
    const rows = JSON.parse(exportJson(items)) as Record<string, unknown>[];
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r.method), ['POST', 'GET', 'PUT', 'GET']);
    assert.deepEqual((rows[0].requestHeaders as Record<string, string>).authorization, 'client_id:<client_id>, client_secret:<client_secret>');
    assert.deepEqual((rows[1].requestHeaders as Record<string, string>).authorization, 'Bearer <access_token>');
    assert.equal(rows[1].url, 'https://acme.onelogin.com/api/2/mfa/users/1001/verifications/v1');
    assert.equal(rows[1].body, '[{"id":"v1","status":"pending","device_id":"3919988"}]', 'the full body, as received');
    assert.equal(rows[1].bodyComplete, true);
    assert.equal(rows[3].bodyComplete, false, 'a cut preview says so');
    assert.equal(rows[2].requestBody, '{"otp":"<one_time_code>"}');
    assert.deepEqual(rows[2].error, { kind: 'timeout', message: 'OneLogin did not answer within 10 s.' });
    assert.equal(rows[2].status, undefined);
    assert.deepEqual(rows[1].rateLimit, { limit: 5000, remaining: 4988, resetSeconds: 832 });
  });

  it('HAR 1.2: log.version, creator and entries with request, response, cache and timings', () => {
    const har = exportHarValue(items, { creator: { name: 'OneLogin MFA Verify', version: '0.1.0' } }) as {
      log: { version: string; creator: { name: string; version: string }; entries: Record<string, Record<string, unknown>>[] };
    };
    assert.equal(har.log.version, '1.2');
    assert.deepEqual(har.log.creator, { name: 'OneLogin MFA Verify', version: '0.1.0' });
    assert.equal(har.log.entries.length, 4);
    for (const e of har.log.entries) {
      for (const k of ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']) assert.ok(k in e, k);
      for (const k of ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize']) assert.ok(k in e.request, `request.${k}`);
      for (const k of ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize']) assert.ok(k in e.response, `response.${k}`);
      const t = e.timings as { send: number; wait: number; receive: number };
      assert.equal(t.send + t.wait + t.receive, e.time);
      assert.ok(Array.isArray(e.request.headers));
    }
    const token = har.log.entries[0];
    assert.deepEqual(token.request.postData, { mimeType: 'application/json', text: '{"grant_type":"client_credentials"}' });
    assert.deepEqual((token.request.headers as { name: string; value: string }[]).find((h) => h.name === 'authorization')?.value, 'client_id:<client_id>, client_secret:<client_secret>');
    const status = har.log.entries[1];
    assert.equal(status.response.status, 200);
    assert.deepEqual(status.response.content, { size: 48, mimeType: 'application/json; charset=utf-8', text: '[{"id":"v1","status":"pending","device_id":"3919988"}]' });
    assert.equal(status.time, 12);
    assert.equal(status.comment, 'x-request-id req-2');
    const failed = har.log.entries[2];
    assert.equal(failed.response.status, 0, 'no response: status 0, as browsers write it');
    assert.match(String(failed.response._error), /^timeout: /);
    const q = exportHarValue([{ view: view(9, { path: '/api/2/x?a=1&b=two' }) }]) as { log: { entries: { request: { queryString: unknown } }[] } };
    assert.deepEqual(q.log.entries[0].request.queryString, [
      { name: 'a', value: '1' },
      { name: 'b', value: 'two' },
    ]);
  });

  it('holds no secret, even from exchanges that (against the contract) still carry one', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(TOKEN);
    const leaky: ExportItem[] = [
      {
        view: view(1, {
          requestHeaders: { authorization: `Bearer ${TOKEN}`, 'x-echo': TOKEN },
          responseHeaders: { 'x-echo': TOKEN },
          body: `{"access_token":"${TOKEN}","note":"${TOKEN}"}`,
          requestBody: `{"refresh_token":"r-0123456789","x":"${TOKEN}"}`,
        }),
      },
    ];
    for (const text of [exportJson(leaky, { scrub: (t) => scrubber.scrub(t) }), exportHar(leaky, { scrub: (t) => scrubber.scrub(t) })]) {
      assert.ok(!text.includes(TOKEN), text);
      assert.ok(!text.includes('r-0123456789'));
      assert.ok(!text.includes('••••'));
      JSON.parse(text); // still valid JSON
    }
  });

  it('mapStrings reaches keys and nested values; file names are safe', () => {
    assert.deepEqual(mapStrings({ a: ['x', { y: 'x' }], x: 1 }, (s) => s.toUpperCase()), { A: ['X', { Y: 'X' }], X: 1 });
    assert.equal(defaultExportName('har', Date.parse('2026-11-29T10:02:03.456Z')), 'onelogin-mfa-exchanges-2026-11-29T10-02-03.har');
  });
});

import { strict as assert } from 'node:assert';
import type { Exchange } from '../../src/onelogin/exchange';
import { OTHER_KEY } from '../../src/panel/messages';
import { buildSnapshot } from '../../src/panel/snapshot';
import { parseSavedState } from '../../src/panel/savedState';
import { associate } from '../../src/records/exchangeOwner';
import { displayBody, toExchangeView } from '../../src/records/exchangeDisplay';
import { ExchangeLog } from '../../src/records/exchangeLog';
import { prettyJsonText } from '../../src/records/jsonLayout';
import { redactBodyText, sanitizeRequestHeaders } from '../../src/onelogin/redact';
import { VerificationStore } from '../../src/verification/store';

const TOKEN = 'tok_9f8e7d6c5b4a39281706WXYZ';
let nextId = 1;
function exchange(over: Partial<Exchange> = {}): Exchange {
  const bodyText = over.bodyText ?? '[{"id":"406fefd4","status":"pending","device_id":"3919988"}]';
  return {
    id: nextId++,
    startedAt: '2026-11-29T10:00:00.000Z',
    method: 'GET',
    origin: 'https://acme.onelogin.com',
    path: '/api/2/mfa/users/42/verifications/406fefd4',
    requestHeaders: { Accept: 'application/json', Authorization: 'Bearer ••••WXYZ' },
    status: 200,
    statusText: 'OK',
    responseHeaders: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
    bodyText,
    bodyTruncated: false,
    isJson: true,
    durationMs: 12.3,
    sizeBytes: Buffer.byteLength(bodyText),
    requestId: 'req-1',
    ...over,
  };
}

describe('panel view model', () => {
  describe('prettyJsonText', () => {
    it('re-indents without touching values (big integers, escapes, duplicate keys, key order)', () => {
      const raw = '{"id":12345678901234567890,"s":"a,b:{c}\\"[x]","k":1,"k":2,"e":[],"o":{},"n":[1,{"x":null}]}';
      const pretty = prettyJsonText(raw);
      assert.equal(
        pretty,
        '{\n  "id": 12345678901234567890,\n  "s": "a,b:{c}\\"[x]",\n  "k": 1,\n  "k": 2,\n  "e": [],\n  "o": {},\n  "n": [\n    1,\n    {\n      "x": null\n    }\n  ]\n}',
      );
      assert.equal(pretty?.replace(/\s+/g, ''), raw.replace(/\s+/g, ''));
    });

    it('agrees with JSON.stringify(…, null, 2) on ordinary JSON', () => {
      const value = [{ id: '406fefd4-8a36-4aee-880c-f3e4a928e27d', status: 'accepted', device_id: '3919988', nested: { a: [1, 2, { b: 'x y' }] } }];
      assert.equal(prettyJsonText(JSON.stringify(value)), JSON.stringify(value, null, 2));
    });

    it('gives up past its output budget instead of building a quadratic string', () => {
      const deep = '['.repeat(10_000) + ']'.repeat(10_000); // 20 kB in, ~200 M characters pretty
      assert.equal(prettyJsonText(deep, 256 * 1024), undefined);
      assert.equal(prettyJsonText('{"a":1}', 12), '{\n  "a": 1\n}');
      assert.equal(prettyJsonText('{"a":1}', 11), undefined);
    });
  });

  describe('displayBody', () => {
    it('shows deeply nested JSON verbatim when pretty-printing would not fit', () => {
      const deep = '['.repeat(50_000) + ']'.repeat(50_000);
      const shown = displayBody(deep, true, 256 * 1024);
      assert.equal(shown.body, deep);
      assert.equal(shown.bodyKind, 'json');
    });

    it('shows non-JSON verbatim and JSON pretty-printed', () => {
      assert.deepEqual(displayBody('<html>oops</html>', false, 100), { body: '<html>oops</html>', bodyKind: 'text' });
      assert.deepEqual(displayBody('{"a":1}', true, 100), { body: '{\n  "a": 1\n}', bodyKind: 'json' });
      assert.deepEqual(displayBody('', false, 100), { body: '', bodyKind: 'empty' });
    });

    it('cuts at the cap and says how much was cut', () => {
      const big = 'x'.repeat(1000);
      const d = displayBody(big, false, 100);
      assert.equal(d.body.length, 100);
      assert.deepEqual(d.bodyCut, { shownChars: 100, totalChars: 1000 });
    });

    it('does not split a surrogate pair', () => {
      const d = displayBody(`${'a'.repeat(99)}😀tail`, false, 100);
      assert.equal(d.body, 'a'.repeat(99));
    });
  });

  describe('redaction of what is posted', () => {
    it('keeps an already-redacted Authorization and redacts a raw one', () => {
      assert.deepEqual(sanitizeRequestHeaders({ Authorization: 'Bearer ••••WXYZ' }), { Authorization: 'Bearer ••••WXYZ' });
      const out = sanitizeRequestHeaders({ authorization: `Bearer ${TOKEN}`, Cookie: 'sid=abc', 'X-Other': 'fine' });
      assert.ok(!JSON.stringify(out).includes(TOKEN));
      assert.equal(out.authorization, 'Bearer ••••WXYZ');
      assert.equal(out.Cookie, '<redacted>');
      assert.equal(out['X-Other'], 'fine');
      const client = sanitizeRequestHeaders({ Authorization: 'client_id:abcdef123456, client_secret:verysecretvalue' });
      assert.ok(!JSON.stringify(client).includes('verysecretvalue'));
    });

    it('redacts token-bearing JSON keys in bodies', () => {
      const body = `{"access_token":"${TOKEN}","refresh_token":"r-123456789","token_type":"bearer","expires_in":36000}`;
      const out = redactBodyText(body);
      assert.ok(!out.includes(TOKEN) && !out.includes('r-123456789'));
      assert.ok(out.includes('"token_type":"bearer"'));
    });

    it('a view never carries a token, even from an exchange that was not scrubbed', () => {
      const ex = exchange({
        method: 'POST',
        path: '/auth/oauth2/v2/token',
        requestHeaders: { Authorization: `bearer:${TOKEN}` },
        bodyText: `{"access_token":"${TOKEN}","expires_in":36000}`,
        requestBody: `{"client_secret":"${TOKEN}"}`,
      });
      const view = toExchangeView(ex, 1);
      assert.ok(!JSON.stringify(view).includes(TOKEN));
      const log = new ExchangeLog();
      const { view: logged } = log.add(ex);
      assert.ok(!JSON.stringify(logged).includes(TOKEN));
      assert.ok(!log.fullBody(logged.id)!.text.includes(TOKEN));
    });

    it('keeps hostile bodies as plain data (rendering is textContent)', () => {
      const hostile = '"<img src=x onerror=alert(1)>"';
      const view = toExchangeView(exchange({ bodyText: hostile, isJson: true }), 1);
      assert.equal(view.body, hostile);
      const script = '</script><script>alert(1)</script>';
      assert.equal(toExchangeView(exchange({ bodyText: script, isJson: false }), 2).body, script);
    });
  });

  describe('associate', () => {
    it('status and OTP paths belong to their verification', () => {
      assert.deepEqual(associate({ method: 'GET', path: '/api/2/mfa/users/42/verifications/406fefd4-8a36' }), { userId: '42', verificationId: '406fefd4-8a36' });
      assert.deepEqual(associate({ method: 'PUT', path: '/api/2/mfa/users/42/verifications/77' }), { userId: '42', verificationId: '77' });
    });
    it('a trigger belongs to the verification its reply names', () => {
      assert.deepEqual(associate({ method: 'POST', path: '/api/2/mfa/users/42/verifications', json: [{ id: 'abc-1', device_id: '9' }] }), {
        userId: '42',
        verificationId: 'abc-1',
      });
      assert.equal(associate({ method: 'POST', path: '/api/2/mfa/users/42/verifications', json: { status: { error: true } } }), undefined);
    });
    it('everything else belongs to no verification', () => {
      assert.equal(associate({ method: 'POST', path: '/auth/oauth2/v2/token' }), undefined);
      assert.equal(associate({ method: 'GET', path: '/api/2/mfa/users/42/devices' }), undefined);
      assert.equal(associate({ method: 'GET', path: '/api/2/mfa/users/42/verifications/a%2Fb' }), undefined);
    });
  });

  describe('ExchangeLog', () => {
    it('groups exchanges by verification, in order, and the rest under OTHER', () => {
      const log = new ExchangeLog();
      const a = log.add(exchange());
      const b = log.add(exchange({ path: '/api/2/mfa/users/42/verifications/other-1' }));
      const c = log.add(exchange({ method: 'POST', path: '/auth/oauth2/v2/token' }));
      const d = log.add(exchange());
      assert.equal(a.key, '42/406fefd4');
      assert.equal(b.key, '42/other-1');
      assert.equal(c.key, OTHER_KEY);
      assert.deepEqual(log.group('42/406fefd4').exchanges.map((v) => v.id), [a.view.id, d.view.id]);
    });

    it('caps the history per verification and counts what it hid', () => {
      const log = new ExchangeLog({ maxExchangesPerGroup: 3 });
      let last;
      for (let i = 0; i < 5; i++) last = log.add(exchange());
      assert.equal(last!.hiddenExchanges, 2);
      const g = log.group('42/406fefd4');
      assert.equal(g.exchanges.length, 3);
      assert.equal(g.hiddenExchanges, 2);
    });

    it('caps body previews, keeps the full body for "Open in editor" within a memory budget', () => {
      const log = new ExchangeLog({ previewChars: 10, fullBodyBudget: 250 });
      const big = 'y'.repeat(100);
      const first = log.add(exchange({ bodyText: big, isJson: false }));
      assert.equal(first.view.body.length, 10);
      assert.deepEqual(first.view.bodyCut, { shownChars: 10, totalChars: 100 });
      assert.deepEqual(log.fullBody(first.view.id), { text: big, isJson: false, complete: true });
      log.add(exchange({ bodyText: big, isJson: false }));
      log.add(exchange({ bodyText: big, isJson: false }));
      // The oldest full body was evicted; only the preview is left, and it says so.
      assert.deepEqual(log.fullBody(first.view.id), { text: 'y'.repeat(10), isJson: false, complete: false });
    });

    it('snapshot: entries newest first, bodies over the budget omitted oldest first', () => {
      const store = new VerificationStore(() => 1000);
      store.recordCheck('42', '406fefd4', { result: { id: '406fefd4', status: 'pending', httpStatus: 200, exchangeId: 1 } });
      store.recordCheck('42', 'second', { result: { id: 'second', status: 'accepted', httpStatus: 200, exchangeId: 2 } });
      const log = new ExchangeLog({ snapshotBodyBudget: 150 });
      const old = log.add(exchange({ bodyText: 'a'.repeat(100), isJson: false }));
      const fresh = log.add(exchange({ bodyText: 'b'.repeat(100), isJson: false }));
      const snap = buildSnapshot(store.entries(), log, 5000);
      assert.deepEqual(snap.groups.map((g) => g.entry.verificationId), ['second', '406fefd4']);
      const views = snap.groups[1].exchanges;
      assert.equal(views.find((v) => v.id === fresh.view.id)!.body.length, 100);
      const omitted = views.find((v) => v.id === old.view.id)!;
      assert.equal(omitted.body, '');
      assert.equal(omitted.bodyOmitted, true);
      // The log itself is untouched.
      assert.equal(log.group('42/406fefd4').exchanges[0].body.length, 100);
    });

    it('snapshot: the gauge, the history and the devices when there are some; entries say what the trigger said', () => {
      const store = new VerificationStore(() => 1000);
      store.annotate('42', 'v1', { deviceId: '3919988', deviceLabel: 'My iPhone · OneLogin Protect', needsCode: false, serverExpiresAt: '2026-11-29T10:02:00Z', deadlineSource: 'server', triggeredAt: 900 });
      store.updateFromPoll({ phase: 'pending', userId: '42', verificationId: 'v1', attempt: 1, expiresAt: 121_000 }, true);
      const log = new ExchangeLog();
      const plain = buildSnapshot(store.entries(), log, 5000);
      assert.ok(!('rateLimit' in plain) && !('history' in plain) && !('devices' in plain));
      const entry = plain.groups[0].entry;
      assert.deepEqual(
        [entry.triggered, entry.deviceLabel, entry.serverExpiresAt, entry.deadlineSource, entry.acceptsCode],
        [true, 'My iPhone · OneLogin Protect', '2026-11-29T10:02:00Z', 'server', false],
      );
      const gauge = { limit: 5000, remaining: 4, observedAt: 1, level: 'low' as const };
      const history = { enabled: true, entries: [] };
      const devices = { userId: '42', fetchedAt: 1, devices: [], factors: [] };
      const full = buildSnapshot(store.entries(), log, 5000, { rateLimit: gauge, history, devices });
      assert.deepEqual([full.rateLimit, full.history, full.devices], [gauge, history, devices]);
    });

    it('all() lists every held exchange oldest first; heldBody() only while the full body is held', () => {
      const log = new ExchangeLog({ maxExchangesPerGroup: 2 });
      const a = log.add(exchange({ bodyText: 'a' }));
      const b = log.add(exchange({ path: '/auth/oauth2/v2/token', bodyText: 'b' }));
      const c = log.add(exchange({ bodyText: 'c' }));
      const d = log.add(exchange({ bodyText: 'd' }));
      assert.deepEqual(log.all().map((v) => v.id), [b.view.id, c.view.id, d.view.id], 'the oldest of the capped group is gone');
      assert.equal(log.heldBody(d.view.id), 'd');
      assert.equal(log.heldBody(a.view.id), undefined);
    });

    it('snapshot includes groups that have exchanges but no entry yet', () => {
      const log = new ExchangeLog();
      log.add(exchange({ path: '/api/2/mfa/users/7/verifications/new-1' }));
      const snap = buildSnapshot([], log, 0);
      assert.equal(snap.groups.length, 1);
      assert.equal(snap.groups[0].entry.source, 'exchangesOnly');
      assert.equal(snap.groups[0].entry.userId, '7');
    });
  });

  describe('parseSavedState (state coming back from the webview after a reload)', () => {
    const good = {
      version: 1,
      groups: [
        {
          entry: { key: '42/abc', userId: '42', verificationId: 'abc', phase: 'accepted', polling: true, attempt: 3, expiresAt: 5, lastHttpStatus: 200 },
          exchanges: [
            {
              id: 99,
              method: 'GET',
              path: '/api/2/mfa/users/42/verifications/abc',
              status: 200,
              requestHeaders: { Authorization: `Bearer ${TOKEN}` },
              responseHeaders: { 'x-request-id': 'r1', n: 5 },
              body: `{"access_token":"${TOKEN}"}`,
              bodyKind: 'json',
              durationMs: 4,
              sizeBytes: 20,
              evil: '<script>',
            },
          ],
          hiddenExchanges: 2,
        },
      ],
      other: { exchanges: [{ method: 'POST', path: '/auth/oauth2/v2/token', body: 'x' }], hiddenExchanges: 0 },
    };

    it('keeps known fields, re-redacts, marks restored and never polling', () => {
      const r = parseSavedState(good);
      assert.equal(r.states.length, 1);
      assert.equal(r.states[0].phase, 'accepted');
      assert.equal(r.groups[0].key, '42/abc');
      assert.equal(r.groups[0].hiddenExchanges, 2);
      const x = r.groups[0].exchanges[0];
      assert.equal(x.restored, true);
      assert.ok(!JSON.stringify(r).includes(TOKEN));
      assert.ok(!('evil' in x));
      assert.deepEqual(x.responseHeaders, { 'x-request-id': 'r1' });
      assert.equal(r.other?.exchanges.length, 1);
    });

    it('drops entries with invalid ids and unreadable state', () => {
      assert.deepEqual(parseSavedState(undefined), { states: [], groups: [] });
      assert.deepEqual(parseSavedState({ version: 2, groups: [] }), { states: [], groups: [] });
      const bad = parseSavedState({ version: 1, groups: [{ entry: { userId: '../x', verificationId: 'abc' } }, { entry: 'nope' }, null] });
      assert.equal(bad.states.length, 0);
    });

    it('caps restored bodies and histories', () => {
      const many = Array.from({ length: 80 }, () => ({ method: 'GET', path: '/p', body: 'z'.repeat(20_000), bodyKind: 'text' }));
      const r = parseSavedState({ version: 1, groups: [{ entry: { userId: '1', verificationId: '2', phase: 'pending' }, exchanges: many }] });
      const g = r.groups[0];
      assert.equal(g.exchanges.length, 50);
      assert.equal(g.hiddenExchanges, 30);
      assert.equal(g.exchanges[0].body.length, 16 * 1024);
      assert.deepEqual(g.exchanges[0].bodyCut, { shownChars: 16 * 1024, totalChars: 20_000 });
    });
  });
});

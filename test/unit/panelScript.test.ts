/**
 * The webview script (dist/webview/panel.js, built from src/webview/) in a real browser engine, under the panel's real HTML and CSP:
 * hostile bodies render as text, the DOM contract holds, buttons post only allow-listed messages,
 * and the CSP blocks inline scripts and network. Needs Debian's Chromium (/usr/bin/chromium or
 * $CHROMIUM, as the test host); skipped when it is absent. No VS Code involved. Chromium is launched
 * through the test host's launchBrowser, so its HOME, XDG folders and temp files stay in a run folder
 * under .vscode-test/runs/ (removed afterwards), never in ~/.config or /tmp.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumPath, launchBrowser, type BrowserSession } from '../../scripts/test-host/browser';
import { makeRunDir, removeRunDir } from '../../scripts/test-host/codeServer';
import { createNonce, panelHtml } from '../../src/panel/html';
import type { ExchangeView, HostMessage, SnapshotMessage, UpdateMessage } from '../../src/panel/messages';

const root = join(__dirname, '..', '..', '..');
const ORIGIN = 'https://webview.test';

const XSS_IMG = '"<img src=x onerror=alert(1)>"';
const XSS_SCRIPT = '</script><script>alert(1)</script>';

function view(id: number, over: Partial<ExchangeView> = {}): ExchangeView {
  return {
    id,
    startedAt: '2026-11-29T10:00:00.000Z',
    method: 'GET',
    origin: 'https://acme.onelogin.com',
    path: '/api/2/mfa/users/42/verifications/v1',
    status: 200,
    statusText: 'OK',
    durationMs: 12,
    sizeBytes: 60,
    requestId: `req-${id}`,
    requestHeaders: { Authorization: 'Bearer ••••WXYZ' },
    responseHeaders: { 'content-type': 'application/json', 'x-request-id': `req-${id}` },
    body: '[\n  {\n    "status": "pending"\n  }\n]',
    bodyKind: 'json',
    bodyTruncatedByClient: false,
    ...over,
  };
}

function snapshot(): SnapshotMessage {
  const now = Date.now();
  return {
    type: 'snapshot',
    hostNow: now,
    limits: { maxExchangesPerGroup: 200, previewChars: 262144 },
    groups: [
      {
        entry: { key: '42/v1', userId: '42', verificationId: 'v1', phase: 'pending', polling: true, source: 'poll', attempt: 2, expiresAt: now + 60_000, lastHttpStatus: 200, lastCheckedAt: now },
        exchanges: [view(1), view(2, { body: XSS_IMG, bodyKind: 'text' })],
        hiddenExchanges: 0,
      },
      {
        entry: { key: '7/v2', userId: '7', verificationId: 'v2', phase: 'error', polling: false, source: 'check', attempt: 1, expiresAt: 0, error: { kind: 'auth', message: '<b>Authentication Failure</b>' } },
        exchanges: [view(3, { path: '/api/2/mfa/users/7/verifications/v2', status: 401, body: XSS_SCRIPT, bodyKind: 'text', bodyCut: { shownChars: 34, totalChars: 9000 } })],
        hiddenExchanges: 5,
      },
    ],
    other: { exchanges: [view(4, { method: 'POST', path: '/auth/oauth2/v2/token', body: '{"access_token":"<redacted>"}' })], hiddenExchanges: 0 },
  };
}

describe('webview script (dist/webview/panel.js) in Chromium', function () {
  this.timeout(30_000);
  let session: BrowserSession | undefined;
  let runDir: string | undefined;
  let page: Page;
  const dialogs: string[] = [];

  before(async function () {
    try {
      chromiumPath();
    } catch {
      this.skip(); // no Chromium on this machine
    }
    runDir = makeRunDir('unit-web');
    session = await launchBrowser(join(runDir, 't'));
  });

  after(async () => {
    await session?.close();
    if (runDir) removeRunDir(runDir);
  });

  beforeEach(async () => {
    page = await session!.browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const html = panelHtml({
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/dist/webview/panel.js`,
      jsonScriptUri: `${ORIGIN}/dist/webview/jsonView.js`,
      styleUri: `${ORIGIN}/media/panel.css`,
      nonce: createNonce(),
      title: 'OneLogin MFA',
      strings: { empty: 'Nothing checked yet.', copy: 'Copy body', stop: 'Stop polling', cut: 'Showing the first {0} of {1} characters.', hidden: '{0} older requests are not shown.' },
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (path === '/dist/webview/panel.js' || path === '/dist/webview/jsonView.js' || path === '/media/panel.css') {
        return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'text/css', body: readFileSync(join(root, path)) });
      }
      return route.fulfill({ status: 404, body: 'nope' });
    });
    // What VS Code provides to a webview, recorded.
    await page.addInitScript(() => {
      const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
      w.__posted = [];
      w.__state = undefined;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => w.__posted.push(m),
        getState: () => w.__state,
        setState: (s: unknown) => (w.__state = s),
      });
    });
    await page.goto(`${ORIGIN}/index.html`);
  });

  afterEach(async () => {
    await page.close();
  });

  /** Some theme colours, set the way VS Code sets them (CSS variables on <html>; CSSOM, allowed by the CSP). */
  const theme = (): Promise<void> =>
    page.evaluate(() => {
      const vars: Record<string, string> = {
        '--vscode-foreground': 'rgb(204, 204, 204)',
        '--vscode-errorForeground': 'rgb(241, 76, 76)',
        '--vscode-testing-iconPassed': 'rgb(115, 201, 145)',
        '--vscode-debugTokenExpression-name': 'rgb(198, 149, 198)',
        '--vscode-debugTokenExpression-string': 'rgb(206, 145, 120)',
        '--vscode-debugTokenExpression-number': 'rgb(181, 206, 168)',
        '--vscode-debugTokenExpression-boolean': 'rgb(78, 148, 206)',
      };
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    });
  const posted = (): Promise<unknown[]> => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  const send = (m: HostMessage): Promise<void> => page.evaluate((msg) => window.postMessage(msg, '*'), m);

  it("says 'ready' first", async () => {
    assert.deepEqual(await posted(), [{ type: 'ready' }]);
  });

  it('renders hostile bodies and messages as text, never as markup', async () => {
    await send(snapshot());
    await page.waitForSelector('.verification[data-key="7/v2"] .exchange-body');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 2, 'jsonView.js and panel.js only');
    assert.equal(await page.locator('b').count(), 0);
    assert.equal(await page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="2"] .exchange-body').textContent(), XSS_IMG);
    assert.equal(await page.locator('.verification[data-key="7/v2"] .exchange-body').textContent(), XSS_SCRIPT);
    assert.match((await page.locator('.verification[data-key="7/v2"] .verification-error').textContent()) ?? '', /<b>Authentication Failure<\/b>/);
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, []);
  });

  it('follows the DOM contract', async () => {
    await send(snapshot());
    const group = page.locator('.verification[data-key="42/v1"]');
    assert.equal(await group.getAttribute('data-phase'), 'pending');
    assert.equal(await group.getAttribute('data-polling'), 'true');
    assert.equal(await group.locator('.verification-state').textContent(), 'pending');
    assert.equal(await group.locator('.exchange').count(), 2);
    const newest = group.locator('.exchange[data-exchange-id="2"]');
    assert.equal(await newest.getAttribute('open'), '');
    assert.equal(await newest.locator('.exchange-status').textContent(), '200 OK');
    assert.equal(await newest.locator('.exchange-request-id').textContent(), 'x-request-id req-2');
    assert.match((await newest.locator('.exchange-request-headers').textContent()) ?? '', /Authorization: Bearer ••••WXYZ/);
    assert.match((await newest.locator('.exchange-response-headers').textContent()) ?? '', /x-request-id: req-2/);
    // Older exchanges are collapsed; their body is filled when opened.
    const older = group.locator('.exchange[data-exchange-id="1"]');
    assert.equal(await older.getAttribute('open'), null);
    await older.locator('summary').click();
    assert.match((await older.locator('.exchange-body').textContent()) ?? '', /"status": "pending"/);
    // Cut bodies and hidden history are announced.
    const other = page.locator('.verification[data-key="7/v2"]');
    assert.match((await other.locator('.exchange-body-note').textContent()) ?? '', /first 34 of 9000/);
    assert.match((await other.locator('.exchanges-hidden').textContent()) ?? '', /5 older requests/);
    assert.equal(await page.locator('#other .exchange').count(), 1);
  });

  it('buttons post only allow-listed messages with the right fields', async () => {
    await send(snapshot());
    await page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="2"] .action-copy').click();
    await page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="2"] .action-open').click();
    await page.locator('.verification[data-key="42/v1"] .action-stop').click();
    await page.locator('.verification[data-key="7/v2"] .action-recheck').click();
    await page.locator('.verification[data-key="7/v2"] .action-poll').click();
    assert.deepEqual((await posted()).slice(1), [
      { type: 'copyBody', exchangeId: 2 },
      { type: 'openBody', exchangeId: 2 },
      { type: 'stopPoll', key: '42/v1' },
      { type: 'recheck', userId: '7', verificationId: 'v2' },
      { type: 'poll', userId: '7', verificationId: 'v2' },
    ]);
  });

  it('drops the groups the host dropped (at most limits.maxGroups, running polls kept), so its saved state stays bounded (issue 14, defect 8)', async () => {
    await send({ ...snapshot(), limits: { maxExchangesPerGroup: 200, previewChars: 262144, maxGroups: 3 } });
    for (let i = 0; i < 6; i++) {
      await send({ type: 'entry', hostNow: Date.now(), entry: { key: `9/n${i}`, userId: '9', verificationId: `n${i}`, phase: 'accepted', polling: false, source: 'check', attempt: 1, expiresAt: 0 } });
      await send({ type: 'exchange', hostNow: Date.now(), key: `8/x${i}`, exchange: view(100 + i), hiddenExchanges: 0 });
    }
    await page.waitForSelector('.verification[data-key="8/x5"]');
    const keys = await page.locator('.verification').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.key));
    assert.deepEqual(keys, ['8/x5', '9/n5', '42/v1'], 'the newest, plus the running poll');
    await page.waitForFunction(() => {
      const st = (window as unknown as { __state?: { groups?: unknown[] } }).__state;
      return st?.groups?.length === 3;
    });
  });

  it('a body cut at the size limit is shown as cut, with its status and size, not as "No response" (issue 14, defect 8)', async () => {
    await send(snapshot());
    await send({ type: 'exchange', hostNow: Date.now(), key: '42/v1', exchange: view(20, { body: '', bodyKind: 'empty', sizeBytes: 3 * 1024 * 1024, bodyTruncatedByClient: true, error: { kind: 'invalidResponse', message: 'larger than 1 MiB' } }), hiddenExchanges: 0 });
    const x = page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="20"]');
    await x.waitFor();
    assert.equal(await x.locator('.exchange-status').textContent(), '200 OK');
    await x.locator('summary').click();
    assert.match((await x.locator('.exchange-body-note').textContent()) ?? '', /The body \(3(\.0)? MiB\) exceeded the size limit/);
  });

  it('the rate-limit gauge says when polling is slowed to protect the budget, and by how much (issue 14)', async () => {
    await send(snapshot());
    const gauge = { observedAt: Date.now(), limit: 5000, remaining: 900, level: 'ok' as const };
    await send({ type: 'rateLimit', hostNow: Date.now(), gauge: { ...gauge, slowed: { polls: 20, running: 20, factor: 7.2, intervalSeconds: 8, sharePercent: 50 } } });
    const node = page.locator('.rate-limit-gauge');
    await page.waitForSelector('.rate-limit-gauge[data-slowed="true"]');
    assert.match((await node.textContent()) ?? '', /Rate limit: 900 of 5000 left · polling slowed ×7\.2 \(every 8 s\) to protect the rate limit/);
    await send({ type: 'rateLimit', hostNow: Date.now(), gauge });
    await page.waitForSelector('.rate-limit-gauge[data-slowed="false"]');
    assert.doesNotMatch((await node.textContent()) ?? '', /slowed/);
  });

  it('updates live: entry changes and appended exchanges', async () => {
    await send(snapshot());
    await send({ type: 'exchange', hostNow: Date.now(), key: '42/v1', exchange: view(10, { body: '[\n  {\n    "status": "accepted"\n  }\n]' }), hiddenExchanges: 0 });
    await send({
      type: 'entry',
      hostNow: Date.now(),
      entry: { key: '42/v1', userId: '42', verificationId: 'v1', phase: 'accepted', polling: false, source: 'poll', attempt: 3, expiresAt: 0, lastHttpStatus: 200 },
    });
    const group = page.locator('.verification[data-key="42/v1"]');
    await page.waitForSelector('.verification[data-key="42/v1"][data-phase="accepted"]');
    assert.equal(await group.locator('.exchange').count(), 3);
    assert.equal(await group.locator('.exchange[data-exchange-id="10"]').getAttribute('open'), '');
    assert.equal(await group.locator('.exchange[data-exchange-id="2"]').getAttribute('open'), null, 'the previous newest closes');
    assert.equal(await group.locator('.action-stop').count(), 0);
    // A verification the panel has not seen yet appears on its first message.
    await send({ type: 'exchange', hostNow: Date.now(), key: '9/new', exchange: view(11, { path: '/api/2/mfa/users/9/verifications/new' }), hiddenExchanges: 0 });
    assert.equal(await page.locator('.verification[data-key="9/new"] .exchange').count(), 1);
  });

  it('saves its state (trimmed) for a reload', async () => {
    const s = snapshot();
    s.groups[0].exchanges.push(view(5, { body: 'q'.repeat(40_000), bodyKind: 'text' }));
    await send(s);
    await page.waitForFunction(() => (window as unknown as { __state: unknown }).__state !== undefined);
    const state = (await page.evaluate(() => (window as unknown as { __state: unknown }).__state)) as {
      version: number;
      groups: { entry: { key: string }; exchanges: { body: string; bodyCut?: { totalChars: number } }[] }[];
    };
    assert.equal(state.version, 1);
    assert.deepEqual(state.groups.map((g) => g.entry.key), ['42/v1', '7/v2']);
    const big = state.groups[0].exchanges[2];
    assert.equal(big.body.length, 16 * 1024);
    assert.equal(big.bodyCut?.totalChars, 40_000);
  });

  it('the CSP blocks inline scripts and network from the page', async () => {
    const inline = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      await new Promise((r) => setTimeout(r, 50));
      return (window as unknown as { __inline?: number }).__inline;
    });
    assert.equal(inline, undefined);
    const network = await page.evaluate(async () => {
      try {
        await fetch('https://webview.test/media/panel.css');
        return 'fetched';
      } catch {
        return 'blocked';
      }
    });
    assert.equal(network, 'blocked');
  });

  it('workflow additions: Copy as cURL, export, Enter OTP, the trigger line', async () => {
    const s = snapshot();
    Object.assign(s.groups[0].entry, { triggered: true, acceptsCode: true, deviceLabel: 'Work phone · Authenticator', serverExpiresAt: '2026-11-29T10:02:00Z', deadlineSource: 'server' });
    await send(s);
    await page.waitForSelector('.verification[data-key="7/v2"] .verification-header');
    const group = page.locator('.verification[data-key="42/v1"]');
    assert.match((await group.locator('.verification-trigger').textContent()) ?? '', /Work phone · Authenticator.*needs a code.*2026-11-29T10:02:00Z/);
    assert.equal(await page.locator('.verification[data-key="7/v2"] .action-enter-otp').count(), 0, 'an error is not open to a code');
    await group.locator('.exchange[data-exchange-id="2"] .action-copy-curl').click();
    await group.locator('.action-enter-otp').click();
    await page.locator('.toolbar .action-export-json').click();
    await page.locator('.toolbar .action-export-har').click();
    assert.deepEqual((await posted()).slice(1), [
      { type: 'copyCurl', exchangeId: 2 },
      { type: 'enterOtp', userId: '42', verificationId: 'v1' },
      { type: 'exportLog', format: 'json' },
      { type: 'exportLog', format: 'har' },
    ]);
    // An expired verification offers the OTP fallback even when it was not sent from here.
    await send({ type: 'entry', hostNow: Date.now(), entry: { key: '7/v2', userId: '7', verificationId: 'v2', phase: 'expired', polling: false, source: 'poll', attempt: 60, expiresAt: 0 } });
    await page.waitForSelector('.verification[data-key="7/v2"][data-phase="expired"]');
    assert.equal(await page.locator('.verification[data-key="7/v2"] .action-enter-otp').count(), 1);
  });

  it('the rate-limit gauge, from the snapshot and then live', async () => {
    const s = snapshot();
    s.rateLimit = { limit: 5000, remaining: 4988, resetAt: Date.now() + 832_000, observedAt: Date.now(), level: 'ok', fraction: 0.9976 };
    await send(s);
    await page.waitForSelector('.rate-limit-gauge:not([hidden])');
    const gauge = page.locator('.rate-limit-gauge');
    assert.equal(await gauge.isVisible(), true);
    assert.match((await gauge.textContent()) ?? '', /4988 of 5000 left.*resets at/);
    assert.equal(await gauge.getAttribute('data-level'), 'ok');
    await send({ type: 'rateLimit', hostNow: Date.now(), gauge: { limit: 5000, remaining: 0, observedAt: Date.now(), level: 'exhausted' } });
    await page.waitForSelector('.rate-limit-gauge[data-level="exhausted"]');
    assert.match((await gauge.textContent()) ?? '', /0 of 5000 left/);
  });

  it('devices and factors (List Devices): rendered as text, "Send verification" posts the ids', async () => {
    await send(snapshot());
    await page.waitForSelector('.verification[data-key="42/v1"]');
    assert.equal(await page.locator('#factors').isVisible(), false);
    await send({
      type: 'devices',
      hostNow: Date.now(),
      devices: {
        userId: '1001',
        fetchedAt: Date.now(),
        devices: [
          { deviceId: '3919988', label: XSS_IMG, type: 'OneLogin Protect', isDefault: true, kind: 'push' },
          { deviceId: '77', label: 'Work phone', type: 'Authenticator', isDefault: false, kind: 'code' },
        ],
        factors: [{ factorId: '227', name: 'OneLogin Protect', authFactorName: 'OneLogin Protect' }, { factorId: '230', name: 'Authenticator', authFactorName: 'Google Authenticator' }],
      },
    });
    await page.waitForSelector('.factors .device[data-device-id="77"]');
    const factors = page.locator('.factors');
    assert.equal(await factors.isVisible(), true);
    assert.match((await factors.locator('.factors-title').textContent()) ?? '', /1001/);
    assert.equal(await factors.locator('.device').count(), 2);
    assert.equal(await factors.locator('.device[data-device-id="3919988"] .device-label').textContent(), XSS_IMG);
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await factors.locator('.device[data-device-id="3919988"] .device-default').count(), 1);
    assert.equal(await factors.locator('.device[data-device-id="77"][data-kind="code"] .device-needs-code').count(), 1);
    assert.deepEqual(await factors.locator('.factor').allTextContents(), ['OneLogin Protect', 'Authenticator (Google Authenticator)']);
    await factors.locator('.device[data-device-id="77"] .action-send').click();
    assert.deepEqual((await posted()).slice(1), [{ type: 'sendVerification', userId: '1001', deviceId: '77' }]);
  });

  it('the history: entries by key, re-check and clear post allow-listed messages; "off" says so', async () => {
    const s = snapshot();
    s.history = {
      enabled: true,
      entries: [
        { key: '1001/v9', userId: '1001', verificationId: 'v9', deviceId: '3919988', phase: 'accepted', startedAt: Date.now() - 60_000, endedAt: Date.now(), attempts: 4, source: 'trigger' },
        { key: '1001/v8', userId: '1001', verificationId: 'v8', phase: 'expired', startedAt: Date.now() - 600_000, endedAt: Date.now() - 480_000, attempts: 60, source: 'poll' },
      ],
    };
    await send(s);
    await page.waitForSelector('#history .history-entry[data-key="1001/v8"]');
    const history = page.locator('#history');
    assert.equal(await history.isVisible(), true);
    assert.equal(await history.locator('.history-entry').count(), 2);
    const first = history.locator('.history-entry[data-key="1001/v9"]');
    assert.equal(await first.getAttribute('data-phase'), 'accepted');
    assert.match((await first.textContent()) ?? '', /v9.*1001.*3919988.*4 checks/);
    await first.locator('.action-recheck').click();
    await history.locator('.action-clear-history').click();
    assert.deepEqual((await posted()).slice(1), [
      { type: 'recheck', userId: '1001', verificationId: 'v9' },
      { type: 'clearHistory' },
    ]);
    await send({ type: 'history', hostNow: Date.now(), history: { enabled: false, entries: [] } });
    await page.waitForSelector('#history .history-note');
    assert.equal(await history.locator('.history-entry').count(), 0);
    assert.match((await history.locator('.history-note').textContent()) ?? '', /off|maxEntries/);
  });

  it('applies a batch of updates in order, as if each had come alone; a snapshot or batch inside a batch is ignored', async () => {
    await send(snapshot());
    await send({
      type: 'batch',
      hostNow: Date.now(),
      messages: [
        { type: 'exchange', hostNow: Date.now(), key: '42/v1', exchange: view(30), hiddenExchanges: 0 },
        { type: 'entry', hostNow: Date.now(), entry: { key: '42/v1', userId: '42', verificationId: 'v1', phase: 'rejected', polling: false, source: 'poll', attempt: 4, expiresAt: 0 } },
        { type: 'exchange', hostNow: Date.now(), key: '9/b', exchange: view(31, { path: '/api/2/mfa/users/9/verifications/b' }), hiddenExchanges: 0 },
        // Not allowed inside a batch: would wipe what the batch just added.
        { ...snapshot(), groups: [] } as unknown as UpdateMessage,
      ],
    });
    await page.waitForSelector('.verification[data-key="42/v1"][data-phase="rejected"]');
    assert.equal(await page.locator('.verification[data-key="42/v1"] .exchange').count(), 3);
    assert.equal(await page.locator('.verification[data-key="9/b"] .exchange').count(), 1);
  });

  it('ignores malformed host messages', async () => {
    await page.evaluate(() => {
      window.postMessage(null, '*');
      window.postMessage('snapshot', '*');
      window.postMessage({ type: 'entry' }, '*');
      window.postMessage({ type: 'exchange', key: 5 }, '*');
      window.postMessage({ type: 'other' }, '*');
    });
    await page.waitForTimeout(50);
    assert.equal(await page.locator('.verification').count(), 0);
    assert.equal(await page.locator('#empty').isVisible(), true);
  });

  it('only the status badge carries the status colour, not the whole exchange', async () => {
    await theme();
    await send(snapshot());
    const ok = page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="2"]');
    await ok.locator('.exchange-status').waitFor();
    assert.equal(await ok.evaluate((d) => d.className.split(/\s+/).filter((c: string) => c.startsWith('status-')).length), 0, 'no status class on the <details>');
    assert.match((await ok.locator('.exchange-status').getAttribute('class')) ?? '', /status-2xx/);
    const colour = (sel: string): Promise<string> => page.locator(sel).first().evaluate((e) => getComputedStyle(e).color);
    const bad = '.verification[data-key="7/v2"] .exchange[data-exchange-id="3"]';
    assert.notEqual(await colour(`${bad} .exchange-status`), await colour(`${bad} .exchange-method`), 'the badge is coloured');
    assert.equal(await colour(`${bad} .exchange-method`), await colour('.title'), 'the rest keeps the text colour');
  });

  it('JSON bodies: theme token colours, text exactly as received (big numbers, duplicate keys), folding, Raw / Pretty', async () => {
    const body = '{\n  "id": 12345678901234567890,\n  "status": "<b>pending</b>",\n  "ok": true,\n  "none": null,\n  "dup": 1,\n  "dup": 2,\n  "list": [\n    1.5e3,\n    {}\n  ]\n}';
    const s = snapshot();
    s.groups[0].exchanges = [view(1, { body })];
    await theme();
    await send(s);
    const ex = page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="1"]');
    const pre = ex.locator('.exchange-body');
    await pre.locator('.json-key').first().waitFor();
    assert.equal(await pre.textContent(), body, 'the text is the body, token for token');
    assert.deepEqual(await pre.locator('.json-key').allTextContents(), ['"id"', '"status"', '"ok"', '"none"', '"dup"', '"dup"', '"list"']);
    assert.deepEqual(await pre.locator('.json-number').allTextContents(), ['12345678901234567890', '1', '2', '1.5e3']);
    assert.deepEqual(await pre.locator('.json-string').allTextContents(), ['"<b>pending</b>"']);
    assert.deepEqual(await pre.locator('.json-literal').allTextContents(), ['true', 'null']);
    assert.equal(await page.locator('b').count(), 0, 'a string is text, never markup');
    // Keys and strings take different theme colours.
    const col = (sel: string): Promise<string> => pre.locator(sel).first().evaluate((e) => getComputedStyle(e).color);
    assert.notEqual(await col('.json-key'), await col('.json-string'));

    // Folding: the toggle is a labelled button; collapsing hides the members and says how many.
    const toggles = pre.locator('button.json-toggle');
    assert.equal(await toggles.count(), 2, 'the object and the non-empty array');
    const list = toggles.nth(1);
    assert.equal(await list.getAttribute('aria-expanded'), 'true');
    assert.match((await list.getAttribute('aria-label')) ?? '', /Collapse \(2 items\)/);
    await list.focus();
    await page.keyboard.press('Enter');
    assert.equal(await list.getAttribute('aria-expanded'), 'false');
    assert.equal(await pre.locator('.json-members').nth(1).isVisible(), false);
    assert.match((await list.getAttribute('aria-label')) ?? '', /Expand \(2 items\)/);
    assert.equal(await pre.textContent(), body, 'folding changes nothing in the text');

    // Raw / Pretty.
    const raw = ex.locator('.action-raw');
    assert.equal(await raw.textContent(), 'Raw');
    await raw.click();
    assert.equal(await pre.locator('span').count(), 0, 'raw: plain text');
    assert.equal(await pre.textContent(), body);
    assert.equal(await raw.textContent(), 'Pretty');
    assert.equal(await raw.getAttribute('aria-pressed'), 'true');
    await raw.click();
    assert.ok((await pre.locator('.json-key').count()) > 0, 'pretty again');
    assert.deepEqual((await posted()).slice(1), [], 'view-only: nothing posted');
  });

  it('JSON that is cut (not well-formed) shows as plain text; large bodies start with nested levels folded', async () => {
    const big = `[\n${Array.from({ length: 200 }, (_, i) => `  {\n    "n": ${i}\n  }`).join(',\n')}\n]`;
    const s = snapshot();
    s.groups[0].exchanges = [view(1, { body: '{\n  "cut": "abc' }), view(2, { body: big })];
    await send(s);
    const cut = page.locator('.exchange[data-exchange-id="1"]');
    await cut.locator('summary').click();
    await cut.locator('.exchange-body').waitFor();
    assert.equal(await cut.locator('.exchange-body span').count(), 0);
    assert.equal(await cut.locator('.action-raw').count(), 0);
    const large = page.locator('.exchange[data-exchange-id="2"] .exchange-body');
    await large.locator('.json-toggle').first().waitFor();
    assert.equal(await large.locator('.json-toggle[aria-expanded="true"]').count(), 1, 'only the top level is open');
    assert.equal(await large.locator('.json-toggle[aria-expanded="false"]').count(), 200);
    assert.equal(await large.textContent(), big);
  });

  it('landmarks and labels for screen readers', async () => {
    await send(snapshot());
    await page.waitForSelector('.verification');
    assert.equal(await page.locator('main#verifications').getAttribute('aria-label'), 'Verifications');
    assert.equal(await page.locator('.toolbar-actions').getAttribute('role'), 'toolbar');
    assert.ok(await page.locator('.toolbar-actions').getAttribute('aria-label'));
    for (const b of await page.locator('button').all()) {
      const name = ((await b.getAttribute('aria-label')) ?? (await b.textContent()) ?? '').trim();
      assert.ok(name.length > 0, `a button without a name: ${await b.evaluate((e) => e.outerHTML)}`);
    }
  });

  it('selecting an exchange (click or Enter on its summary) marks it and tells the host once', async () => {
    await send(snapshot());
    const older = page.locator('.verification[data-key="42/v1"] .exchange[data-exchange-id="1"]');
    await older.locator('summary').waitFor();
    await older.locator('summary').click();
    assert.equal(await older.getAttribute('data-selected'), 'true');
    assert.equal(await older.locator('summary').getAttribute('aria-current'), 'true');
    await older.locator('summary').click(); // closes it; still the selected one, nothing posted again
    const other = page.locator('#other .exchange[data-exchange-id="4"] summary');
    await other.focus();
    await page.keyboard.press('Enter');
    assert.equal(await older.getAttribute('data-selected'), null, 'one selected at a time');
    assert.equal(await page.locator('#other .exchange[data-exchange-id="4"]').getAttribute('data-selected'), 'true');
    assert.deepEqual((await posted()).slice(1), [
      { type: 'selectExchange', exchangeId: 1 },
      { type: 'selectExchange', exchangeId: 4 },
    ]);
  });
});

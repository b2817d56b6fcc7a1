/**
 * The webview script (media/panel.js) in a real browser engine, under the panel's real HTML and CSP:
 * hostile bodies render as text, the DOM contract holds, buttons post only allow-listed messages,
 * and the CSP blocks inline scripts and network. Needs Debian's Chromium (/usr/bin/chromium or
 * $CHROMIUM_PATH); skipped when it is absent. No VS Code involved.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, panelHtml } from '../../src/panel/html';
import type { ExchangeView, HostMessage, SnapshotMessage } from '../../src/panel/messages';

const root = join(__dirname, '..', '..', '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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

describe('webview script (media/panel.js) in Chromium', function () {
  this.timeout(30_000);
  let browser: Browser | undefined;
  let page: Page;
  const dialogs: string[] = [];

  before(async function () {
    if (!existsSync(executablePath)) this.skip();
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    page = await browser!.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const html = panelHtml({
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/media/panel.js`,
      styleUri: `${ORIGIN}/media/panel.css`,
      nonce: createNonce(),
      title: 'OneLogin MFA',
      strings: { empty: 'Nothing checked yet.', copy: 'Copy body', stop: 'Stop polling', cut: 'Showing the first {0} of {1} characters.', hidden: '{0} older requests are not shown.' },
    });
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (path === '/media/panel.js' || path === '/media/panel.css') {
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

  const posted = (): Promise<unknown[]> => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  const send = (m: HostMessage): Promise<void> => page.evaluate((msg) => window.postMessage(msg, '*'), m);

  it("says 'ready' first", async () => {
    assert.deepEqual(await posted(), [{ type: 'ready' }]);
  });

  it('renders hostile bodies and messages as text, never as markup', async () => {
    await send(snapshot());
    await page.waitForSelector('.verification[data-key="7/v2"] .exchange-body');
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.locator('script').count(), 1);
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
});

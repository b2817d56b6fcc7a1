/**
 * Attacks on the panel, in a real browser engine: response bodies, header values, error messages and
 * device ids carrying script payloads reach the REAL panel script (dist/webview/panel.js) through the REAL pipeline (simulator →
 * OneLoginClient → ExchangeLog/VerificationStore → buildSnapshot → postMessage), under the REAL CSP
 * (src/panel/html.ts). Nothing may run: a flag each payload would set stays unset, no dialog opens, and no
 * request leaves the page (every request is routed; only the page, its script and its stylesheet load).
 *
 * Each defence is shown on its own: the same data rendered with the CSP removed is still inert (textContent
 * alone), and a control proves the detector fires when the same payload is inserted as HTML.
 * Needs Debian's Chromium (/usr/bin/chromium or $CHROMIUM_PATH); pending when it is absent. No VS Code.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toResultError } from '../../src/onelogin/errors';
import { createNonce, panelHtml } from '../../src/panel/html';
import { parseWebviewMessage, type SnapshotMessage } from '../../src/panel/messages';
import { buildSnapshot } from '../../src/panel/snapshot';
import { startSimulator } from '../mock-onelogin/server';
import { CLIENT_CREDENTIALS, harvestSecrets, HostMirror, knownSecrets, newClient, record, secretsIn, simOptions, USER } from './helpers';

const root = join(__dirname, '..', '..', '..');
/** Set to one folder holding panel.js, jsonView.js and panel.css to run the checks against a modified copy (else the build's dist/webview/ and media/). */
const mediaDir = process.env.HOSTILE_MEDIA_DIR;
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ORIGIN = 'https://webview.test';
const ALLOWED = new Set([`${ORIGIN}/index.html`, `${ORIGIN}/dist/webview/panel.js`, `${ORIGIN}/dist/webview/jsonView.js`, `${ORIGIN}/media/panel.css`]);

/** Each payload sets window.__pwned to its own name if it ever runs. */
const PAYLOADS = {
  img: `<img src=x onerror="window.__pwned='img'">`,
  script: `</script><script>window.__pwned='script'</script>`,
  svg: `<svg/onload="window.__pwned='svg'">`,
  link: `<a href="javascript:window.__pwned='link'" id=clickme>click</a>`,
  jsUrl: `javascript:window.__pwned='jsurl'`,
  iframe: `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
  style: `<style>@import url(https://evil.example/x.css)</style><link rel=stylesheet href=https://evil.example/y.css>`,
  meta: `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
  base: `<base href="https://evil.example/">`,
  details: `<details open ontoggle="window.__pwned='details'">`,
};
const ALL = Object.values(PAYLOADS).join(' ');

/** The snapshot the host would post after a session with a hostile server (built by the real code). */
async function hostileSnapshot(): Promise<SnapshotMessage> {
  const sim = await startSimulator(simOptions);
  harvestSecrets(sim);
  sim.addUser(USER);
  const mirror = new HostMirror();
  const client = newClient(mirror, sim.url, CLIENT_CREDENTIALS);
  try {
    const ok = sim.addVerification(USER, {
      id: 'hostile-ok',
      faults: [
        {
          kind: 'status',
          status: 200,
          body: JSON.stringify([{ id: 'hostile-ok', status: 'pending', device_id: PAYLOADS.img, note: ALL }]),
          contentType: 'application/json',
          // Header values: everything but control characters is allowed on the wire.
          headers: { 'x-evil': ALL, 'x-request-id': PAYLOADS.svg, link: `<${PAYLOADS.jsUrl}>; rel=preload` },
        },
      ],
    });
    const result = await client.getVerificationStatus(USER, ok);
    mirror.store.recordCheck(USER, ok, { result });

    const notFound = sim.addVerification(USER, { id: 'hostile-404', faults: [{ kind: 'body', status: 404, body: JSON.stringify({ statusCode: 404, name: PAYLOADS.script, message: ALL }) }] });
    const html = sim.addVerification(USER, { id: 'hostile-html', faults: [{ kind: 'body', status: 502, contentType: 'text/html', body: `<html><body>${ALL}</body></html>` }] });
    const redirect = sim.addVerification(USER, { id: 'hostile-redirect', faults: [{ kind: 'redirect', location: PAYLOADS.jsUrl }] });
    for (const id of [notFound, html, redirect]) {
      try {
        await client.getVerificationStatus(USER, id);
        assert.fail('expected an error');
      } catch (e) {
        mirror.store.recordCheck(USER, id, { error: toResultError(e) });
      }
    }
  } finally {
    await sim.close();
  }
  const snapshot = buildSnapshot(mirror.store.entries(), mirror.log, Date.now());
  record('panel snapshot', snapshot);
  return snapshot;
}

describe('attacks: script payloads in the panel (real dist/webview/panel.js in Chromium)', function () {
  this.timeout(30_000);
  let browser: Browser | undefined;
  let snapshot: SnapshotMessage;

  before(async function () {
    if (!existsSync(executablePath)) this.skip();
    snapshot = await hostileSnapshot();
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  interface Loaded {
    page: Page;
    requests: string[];
    dialogs: string[];
  }

  /** The panel page (with or without its CSP), every request recorded and only the three files served. */
  async function load(withCsp: boolean): Promise<Loaded> {
    const page = await (browser as Browser).newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    let html = panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview/panel.js`, jsonScriptUri: `${ORIGIN}/dist/webview/jsonView.js`, styleUri: `${ORIGIN}/media/panel.css`, nonce: createNonce(), title: 'OneLogin MFA' });
    if (!withCsp) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === `${ORIGIN}/index.html`) return route.fulfill({ contentType: 'text/html', body: html });
      if (ALLOWED.has(url)) {
        const path = new URL(url).pathname;
        return route.fulfill({ contentType: path.endsWith('.js') ? 'text/javascript' : 'text/css', body: readFileSync(mediaDir ? join(mediaDir, basename(path)) : join(root, path)) });
      }
      return route.abort();
    });
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
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    return { page, requests, dialogs };
  }

  /** Posts the snapshot, opens every exchange (bodies are rendered on open) and clicks what can be clicked. */
  async function render(page: Page): Promise<void> {
    await page.evaluate((m) => window.postMessage(m, '*'), snapshot);
    const exchanges = snapshot.groups.reduce((n, g) => n + g.exchanges.length, 0) + snapshot.other.exchanges.length;
    await page.waitForFunction((n) => document.querySelectorAll('details.exchange').length === n, exchanges, { timeout: 5000 });
    await page.evaluate(() => document.querySelectorAll('details.exchange').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    await page.waitForFunction((n) => document.querySelectorAll('.exchange-body').length === n, exchanges, { timeout: 5000 });
    await page.evaluate(() => {
      for (const a of Array.from(document.querySelectorAll('a, #clickme'))) (a as HTMLElement).click();
      for (const b of Array.from(document.querySelectorAll('button'))) b.click();
    });
    // setState runs 300 ms after the last message; waiting for it also lets any stray handler fire.
    await page.waitForFunction(() => (window as unknown as { __state: unknown }).__state !== undefined, undefined, { timeout: 5000 });
  }

  /** Renders, then checks; a payload that ran is reported even when it broke the rendering. */
  async function renderAndCheck(loaded: Loaded): Promise<void> {
    let renderError: unknown;
    try {
      await render(loaded.page);
    } catch (e) {
      renderError = e;
    }
    await assertInert(loaded);
    if (renderError) throw renderError;
  }

  async function assertInert({ page, requests, dialogs }: Loaded): Promise<void> {
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined, 'a payload ran');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests.filter((u) => !ALLOWED.has(u)), [], 'a request left the page');
    const tags = await page.evaluate(() => [...new Set(Array.from(document.querySelectorAll('*')).map((e) => e.tagName.toLowerCase()))].sort());
    for (const bad of ['img', 'svg', 'iframe', 'a', 'style', 'base', 'object', 'embed', 'form']) assert.ok(!tags.includes(bad), `a <${bad}> element was created`);
    assert.equal(await page.locator('script').count(), 2, 'only the panel scripts (jsonView.js, panel.js)');
    assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
    const handlers = await page.evaluate(() =>
      Array.from(document.querySelectorAll('*')).flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => `${e.tagName}[${a.name}]`)),
    );
    assert.deepEqual(handlers, [], 'an element carries an event handler or a javascript: URL');
    // The data is all there, as text.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const [name, p] of Object.entries(PAYLOADS)) assert.ok(text.includes(p), `payload ${name} is not shown as text`);
    assert.match((await page.locator('.verification[data-key="3919988/hostile-ok"] .verification-device').textContent()) ?? '', /^<img src=x/);
    // What the buttons posted is what the host accepts, and nothing else.
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    for (const m of posted) assert.ok(parseWebviewMessage(m), `the host would drop ${JSON.stringify(m)}`);
    // Nothing secret in the page or its saved state.
    const state = await page.evaluate(() => JSON.stringify((window as unknown as { __state: unknown }).__state));
    record('webview DOM text', text);
    record('webview saved state', state);
    assert.deepEqual(secretsIn(`${text}\n${state}`, knownSecrets), [], 'a secret reached the webview');
  }

  it('under the real CSP: nothing runs, nothing loads, everything shows as text', async () => {
    const loaded = await load(true);
    try {
      await renderAndCheck(loaded);
    } finally {
      await loaded.page.close();
    }
  });

  it('with the CSP removed: still inert (the script renders with textContent only)', async () => {
    const loaded = await load(false);
    try {
      await renderAndCheck(loaded);
    } finally {
      await loaded.page.close();
    }
  });

  it('control: the same payloads inserted as HTML in that page do run (so the checks above can fail)', async () => {
    const loaded = await load(false);
    try {
      await loaded.page.evaluate((p) => {
        const div = document.createElement('div');
        div.innerHTML = p;
        document.body.append(div);
      }, PAYLOADS.img);
      await loaded.page.waitForFunction(() => (window as unknown as { __pwned?: string }).__pwned === 'img');
      assert.ok(loaded.requests.some((u) => u === `${ORIGIN}/x`), 'the image request was seen by the route');
    } finally {
      await loaded.page.close();
    }
  });
});

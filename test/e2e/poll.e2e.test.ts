/**
 * End-to-end (issue 4): the real workbench (code-server 1.139 in headless Chromium) with the extension
 * from the working tree, against the OneLogin simulator running in this process, driven as a person
 * would: the command palette, input boxes, a notification's button, the status bar and the panel.
 *
 * - Without credentials, Check offers to set them; the token typed into the box is used at once.
 * - Set a token, poll a verification the simulator accepts after a few polls: the status bar goes
 *   pending (with a countdown) -> accepted, and the "MFA accepted" notification shows.
 * - The panel shows, inside the webview iframe, exactly the body the simulator sent (see below).
 * - A rejected one: status bar, notification, panel.
 * - Hostile bodies (`<img src=x onerror=...>` in a JSON value, `<script>`/`<img onerror>` as an HTML body)
 *   render as text and run nothing: no element made from them, no global set, no dialog.
 * - Error notifications as the user reads them (404; a non-JSON reply).
 * - Set API Client Credentials through its two password boxes; the next check mints a token with them.
 * - Stop Polling appears in the palette while a poll runs, and stops it.
 * - Nothing the run left on disk (user data: logs, settings, state) nor the panel holds a secret.
 *
 * "What the simulator sent": the bytes each simulator response carried, recorded in this process by
 * wrapping http.ServerResponse#write/#end while the simulator runs (the simulator does not keep bodies).
 * The panel re-indents JSON (whitespace only, src/records/jsonLayout.ts prettyJsonText), so a JSON body is
 * compared as: the shown text equals the sent text re-indented with 2 spaces, its whitespace-free form
 * equals the sent bytes, and both parse to deep-equal values; a non-JSON body is compared verbatim.
 *
 * Screenshots go to test-artifacts/ (poll-*.png); with UPDATE_DOCS_SCREENSHOTS=1 two are also copied to docs/screenshots/ for the README
 * once the tests that took them passed (what they show was asserted): status-bar.png (the item while
 * pending, with its countdown) and panel.png (the whole workbench: the panel with the accepted
 * verification's exchanges, and the status bar).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { commandTitle } from './manifest';
import {
  ROOT,
  closeQuickInput,
  expectInputBox,
  runCommand,
  searchCommands,
  startWorkbench,
  statusBarItem,
  statusBarText,
  typeInInputBox,
  waitForNotification,
  webviewFrame,
  type Workbench,
} from './harness';

const TOKEN = 'e2e-poll-token-Kq8Zr4Wx9612';
const CLIENT_ID = 'e2e-poll-client-Jm3Lp7Vb';
const CLIENT_SECRET = 'e2e-poll-client-secret-Rt5Yh2Nc8Q';
const USER = '5001';
const STATUS_ITEM = 'onelogin-mfa.status';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');

interface SentResponse {
  method: string;
  path: string;
  status: number;
  body: string;
}

/**
 * Records the body of every HTTP response this process writes (the simulator's) until restore().
 * The simulator answers with writeHead + end(body) (trickle: write + end), both covered.
 */
function recordResponses(): { sent: SentResponse[]; restore(): void } {
  const proto = http.ServerResponse.prototype as unknown as {
    write: (...args: unknown[]) => boolean;
    end: (...args: unknown[]) => unknown;
  };
  const origWrite = proto.write;
  const origEnd = proto.end;
  const chunks = new WeakMap<object, Buffer[]>();
  const sent: SentResponse[] = [];
  const keep = (res: object, chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const b = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    const list = chunks.get(res) ?? [];
    list.push(b);
    chunks.set(res, list);
  };
  proto.write = function (this: http.ServerResponse, ...args: unknown[]) {
    keep(this, args[0], args[1]);
    return origWrite.apply(this, args);
  };
  proto.end = function (this: http.ServerResponse, ...args: unknown[]) {
    keep(this, args[0], args[1]);
    const req = (this as { req?: http.IncomingMessage }).req;
    sent.push({
      method: req?.method ?? '',
      path: (req?.url ?? '').split('?')[0],
      status: this.statusCode,
      body: Buffer.concat(chunks.get(this) ?? []).toString('utf8'),
    });
    return origEnd.apply(this, args);
  };
  return {
    sent,
    restore: () => {
      proto.write = origWrite;
      proto.end = origEnd;
    },
  };
}

/** Removes the whitespace outside JSON strings (what the panel's re-indenting may add). */
function withoutLayout(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

function statusPath(userId: string, verificationId: string): string {
  return `/api/2/mfa/users/${encodeURIComponent(userId)}/verifications/${encodeURIComponent(verificationId)}`;
}

/** The panel's group of one verification. */
function group(frame: FrameLocator, verificationId: string): Locator {
  return frame.locator(`.verification[data-key="${USER}/${verificationId}"]`);
}

/** The text of one exchange's response body in the panel, opening its <details> (the body is filled on open). */
async function exchangeBody(exchange: Locator): Promise<string> {
  const open = await exchange.evaluate((d) => (d as HTMLDetailsElement).open);
  if (!open) await exchange.locator('summary').click();
  const pre = exchange.locator('.exchange-body');
  await pre.waitFor({ state: 'attached', timeout: 10_000 });
  return pre.evaluate((e) => e.textContent ?? '');
}

/** Crops a screenshot around the extension's status bar item (the item plus some of its neighbours). */
async function statusBarShot(page: Page, name: string): Promise<string> {
  const box = await statusBarItem(page, STATUS_ITEM).boundingBox();
  const bar = await page.locator('.part.statusbar').boundingBox();
  assert.ok(box && bar, 'the status bar item is laid out');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  const x = Math.max(0, box.x - 120);
  await page.screenshot({ path: file, clip: { x, y: bar.y, width: Math.min(bar.width - x, box.width + 360), height: bar.height } });
  return file;
}

/** Waits until the status bar item's text matches `until`; returns every distinct text seen on the way. */
async function watchStatusBar(page: Page, until: RegExp, timeoutMs = 30_000): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await statusBarText(page, STATUS_ITEM);
    if (seen.at(-1) !== text) seen.push(text);
    if (until.test(text)) return seen;
    if (Date.now() > deadline) throw new Error(`the status bar never matched ${String(until)}: ${seen.join(' | ')}`);
    await page.waitForTimeout(100);
  }
}

/** Clicks a button of the notification whose message matches, in the notification center. */
async function clickNotificationButton(page: Page, message: string, button: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item').filter({ hasText: message }).first();
    if (await item.isVisible().catch(() => false)) {
      await item.locator('.monaco-button', { hasText: button }).first().click();
      return;
    }
    if (Date.now() > deadline) throw new Error(`no notification "${message}" with a "${button}" button`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

describe('e2e/poll: palette, input boxes, status bar, panel and notifications against the simulator', function () {
  let sim: Simulator;
  let wb: Workbench;
  let responses: ReturnType<typeof recordResponses>;
  const dialogs: string[] = [];
  /** Set by a test once its assertions passed: the shot shows what was asserted. */
  const shots = { statusBar: '', panel: '' };

  /** The body of the last response the simulator sent for a path. */
  const lastSent = (p: string): SentResponse => {
    const r = responses.sent.filter((s) => s.path === p).at(-1);
    assert.ok(r, `the simulator sent nothing for ${p}`);
    return r;
  };

  /** Palette → Poll Verification → user id → verification id. */
  const pollThroughPalette = async (verificationId: string): Promise<void> => {
    await runCommand(wb.page, commandTitle('onelogin-mfa.pollVerification'));
    await expectInputBox(wb.page, /Poll MFA Verification \(1\/2\)/);
    await typeInInputBox(wb.page, USER);
    await expectInputBox(wb.page, /Poll MFA Verification \(2\/2\)/);
    await typeInInputBox(wb.page, verificationId);
  };

  before(async function () {
    responses = recordResponses();
    sim = await startSimulator({ accessTokens: [TOKEN], clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    sim.addUser(USER);
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': sim.url, 'onelogin-mfa.pollInterval': 1 }, label: 'e2e-poll' });
    wb.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss().catch(() => undefined);
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await wb?.screenshot(`poll-failed-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    responses?.restore();
    // The README's images change only when asked for (UPDATE_DOCS_SCREENSHOTS=1), not on every run.
    const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';
    if (updateDocs && (shots.statusBar || shots.panel)) fs.mkdirSync(DOCS_SHOTS, { recursive: true });
    if (updateDocs && shots.statusBar) fs.copyFileSync(shots.statusBar, path.join(DOCS_SHOTS, 'status-bar.png'));
    if (updateDocs && shots.panel) fs.copyFileSync(shots.panel, path.join(DOCS_SHOTS, 'panel.png'));
    await wb?.close();
    await sim?.close();
  });

  it('without credentials, Check offers to set them, and continues with the token typed into the box', async function () {
    const page = wb.page;
    const id = sim.addVerification(USER, { id: 'e2e-nocreds' });
    await runCommand(page, commandTitle('onelogin-mfa.checkVerification'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, id);
    await clickNotificationButton(page, 'No OneLogin credentials are stored', 'Set Access Token');

    await expectInputBox(page, /OneLogin MFA: Set Access Token/);
    assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'password', 'the token is typed into a password box');
    await typeInInputBox(page, TOKEN);

    const outcome = await waitForNotification(page, `Verification ${id} for user ${USER}: pending`, 15_000);
    assert.equal(outcome, `Verification ${id} for user ${USER}: pending (HTTP 200).`);
    await waitForNotification(page, 'OneLogin access token stored (••••9612).');
    const gets = sim.requests.filter((r) => r.path === statusPath(USER, id));
    assert.equal(gets.length, 1);
    assert.equal(gets[0].headers.authorization, `Bearer ${TOKEN}`);
  });

  it('Set Access Token, then Poll Verification: the status bar goes pending -> accepted', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.setAccessToken'));
    await expectInputBox(page, /OneLogin MFA: Set Access Token/);
    await typeInInputBox(page, TOKEN);

    // Pending until the status bar has shown it (a settle after N polls raced a loaded machine's screenshots).
    const id = sim.addVerification(USER, { id: 'e2e-accept' });
    await pollThroughPalette(id);
    const pendingSeen = await watchStatusBar(page, /^MFA pending \d+s( \(\+\d+\))?$/);
    const pendingShot = await statusBarShot(page, 'poll-status-bar-pending');
    await sim.waitForRequests((r) => r.path === statusPath(USER, id), 2, 15_000); // polled, not checked once
    sim.setStatus(USER, id, 'accepted');
    const seen = [...pendingSeen, ...(await watchStatusBar(page, /accepted/))];
    // "(+N)": the other verifications of this window (the one checked by the previous test).
    assert.match(seen.at(-1) ?? '', /^MFA accepted( \(\+\d+\))?$/);
    const acceptedShot = await statusBarShot(page, 'poll-status-bar-accepted');
    assert.match((await statusBarItem(page, STATUS_ITEM).getAttribute('aria-label')) ?? '', /OneLogin MFA: accepted/);

    assert.equal(await waitForNotification(page, 'MFA accepted:'), `MFA accepted: user ${USER} approved verification ${id}.`);
    const gets = sim.requests.filter((r) => r.path === statusPath(USER, id));
    const said = responses.sent.filter((r) => r.path === statusPath(USER, id)).map((r) => (r.body.includes('"accepted"') ? 'accepted' : 'pending'));
    assert.ok(gets.length >= 3, `polled: ${gets.length} requests`);
    assert.deepEqual(said.slice(said.indexOf('accepted')), ['accepted'], `polling stopped at the first "accepted": ${said.join(', ')}`);
    assert.ok(gets.every((g) => g.headers.authorization === `Bearer ${TOKEN}`));
    assert.ok(fs.existsSync(acceptedShot));
    shots.statusBar = pendingShot;
  });

  it('the panel shows, inside the webview, exactly the body the simulator sent', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const frame = webviewFrame(page);
    const g = group(frame, 'e2e-accept');
    await g.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await g.getAttribute('data-phase'), 'accepted');
    assert.equal((await g.locator('.verification-state').textContent())?.trim(), 'accepted');

    const exchanges = g.locator('details.exchange');
    const requests = sim.requests.filter((r) => r.path === statusPath(USER, 'e2e-accept')).length;
    assert.equal(await exchanges.count(), requests, 'one exchange per status request');
    const newest = exchanges.last();
    assert.equal(await newest.getAttribute('data-status'), '200');
    const shown = await exchangeBody(newest);
    const sent = lastSent(statusPath(USER, 'e2e-accept'));
    assert.equal(sent.status, 200);
    const device = sim.getVerification(USER, 'e2e-accept')?.deviceId;
    assert.equal(sent.body, JSON.stringify([{ id: 'e2e-accept', status: 'accepted', device_id: device }]), 'the simulator sent the documented body');
    assert.equal(shown, JSON.stringify(JSON.parse(sent.body), null, 2), 'the body re-indented, nothing else changed');
    assert.equal(withoutLayout(shown), sent.body, 'byte for byte once the layout is removed');
    assert.deepEqual(JSON.parse(shown), JSON.parse(sent.body));

    // The request headers show the token masked, never in clear.
    const headers = await newest.locator('.exchange-request-headers').innerText();
    assert.match(headers, /authorization: Bearer ••••9612/i);

    await page.locator('.part.editor').screenshot({ path: path.join(ARTIFACTS, 'poll-panel.png') });
    shots.panel = await wb.screenshot('poll-workbench-accepted');
  });

  it('a rejected verification: status bar, notification and panel say so', async function () {
    const page = wb.page;
    const id = sim.addVerification(USER, { id: 'e2e-reject', settle: { to: 'rejected', afterPolls: 2 } });
    await pollThroughPalette(id);
    const seen = await watchStatusBar(page, /rejected/);
    assert.match(seen.at(-1) ?? '', /^MFA rejected( \(\+\d+\))?$/);
    assert.equal(await waitForNotification(page, 'MFA rejected:'), `MFA rejected: user ${USER} denied verification ${id}.`);
    await statusBarShot(page, 'poll-status-bar-rejected');

    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const g = group(webviewFrame(page), id);
    await g.waitFor({ state: 'visible', timeout: 20_000 });
    await g.locator('.verification-state', { hasText: 'rejected' }).waitFor({ timeout: 10_000 });
    assert.equal(await g.getAttribute('data-phase'), 'rejected');
    const shown = await exchangeBody(g.locator('details.exchange').last());
    const sent = lastSent(statusPath(USER, id));
    assert.equal(JSON.parse(sent.body)[0].status, 'rejected');
    assert.equal(withoutLayout(shown), sent.body);
    await wb.screenshot('poll-workbench-rejected');
  });

  it('hostile bodies render as text and run nothing', async function () {
    const page = wb.page;
    const id = 'e2e-hostile';
    const jsonBody = `[{"id":"${id}","status":"pending","device_id":"<img src=x onerror=window.__pwned=1>"}]`;
    const htmlBody = '<script>window.__pwned=2</script><img src=x onerror="window.__pwned=3;alert(3)">';
    sim.addVerification(USER, {
      id,
      settle: { to: 'accepted', afterPolls: 3 },
      faults: [
        { kind: 'body', body: jsonBody },
        { kind: 'body', status: 200, contentType: 'text/html', body: htmlBody },
      ],
    });
    await pollThroughPalette(id);
    await watchStatusBar(page, /accepted/);

    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const frame = webviewFrame(page);
    const g = group(frame, id);
    await g.waitFor({ state: 'visible', timeout: 20_000 });
    await g.locator('.verification-state', { hasText: 'accepted' }).waitFor({ timeout: 10_000 });
    const exchanges = g.locator('details.exchange');
    assert.equal(await exchanges.count(), 3);

    const sent = responses.sent.filter((s) => s.path === statusPath(USER, id));
    assert.deepEqual(sent.map((s) => s.body), [jsonBody, htmlBody, JSON.stringify([{ id, status: 'accepted', device_id: sim.getVerification(USER, id)?.deviceId }])]);
    const shownJson = await exchangeBody(exchanges.nth(0));
    assert.equal(withoutLayout(shownJson), jsonBody, 'the JSON body, as sent');
    assert.ok(shownJson.includes('"device_id": "<img src=x onerror=window.__pwned=1>"'), shownJson);
    const shownHtml = await exchangeBody(exchanges.nth(1));
    assert.equal(shownHtml, htmlBody, 'the HTML body, verbatim');

    // Rendered as text: no element was made from either body, nothing ran, no dialog opened.
    assert.equal(await frame.locator('#verifications img, #other img, #history img').count(), 0, 'no <img> element in the panel');
    assert.equal(await frame.locator('#app script').count(), 0, 'no <script> element in the panel content');
    const inFrame = await frame.locator('body').evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      isPanel: typeof (window as unknown as { acquireVsCodeApi?: unknown }).acquireVsCodeApi === 'function',
    }));
    assert.equal(inFrame.isPanel, true, 'the probe ran inside the panel\'s frame');
    assert.equal(inFrame.pwned, undefined, 'no hostile code ran in the webview');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, 'nor in the workbench');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    await wb.screenshot('poll-workbench-hostile');
  });

  it('error notifications tell the user what failed and why (404)', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.checkVerification'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, 'e2e-missing');
    const text = await waitForNotification(page, 'Checking verification e2e-missing:');
    assert.match(
      text,
      /^Checking verification e2e-missing: OneLogin has no verification e2e-missing for user 5001\. Check both ids: the verification id is the "id" OneLogin returned when the push or call was sent\. \(HTTP 404 NotFound: The resource can't be found or the server has not found anything matching the Request-URI\) \(x-request-id [0-9a-f-]{36}\)$/,
    );
  });

  // Regression: the client's message already ends with "[x-request-id …]" for errors raised after a 2xx
  // (withRequestId); the notification used to append "(x-request-id …)" again.
  it('a non-JSON reply: the notification quotes the body and the request id once', async function () {
    const page = wb.page;
    const id = sim.addVerification(USER, { id: 'e2e-html' });
    sim.queueFault({ kind: 'body', status: 200, contentType: 'text/html', body: '<html>Proxy login</html>' }, { path: statusPath(USER, id) });
    await runCommand(page, commandTitle('onelogin-mfa.checkVerification'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, id);
    const text = await waitForNotification(page, `Checking verification ${id}:`);
    assert.match(text, /^Checking verification e2e-html: OneLogin answered HTTP 200 but the body is text\/html: "<html>Proxy login<\/html>", not JSON\. A proxy or gateway may be in the way; check the base URL\./);
    const ids = text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    assert.equal(ids.length, 1, `the request id once: ${text}`);
  });

  it('Set API Client Credentials through its two boxes; the next check mints a token with them', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.setClientCredentials'));
    await expectInputBox(page, /Set API Client Credentials \(1\/2\)/);
    assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'password');
    await typeInInputBox(page, CLIENT_ID);
    await expectInputBox(page, /Set API Client Credentials \(2\/2\)/);
    assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'password');
    await typeInInputBox(page, CLIENT_SECRET);
    assert.match(await waitForNotification(page, 'API client credentials stored'), /client id ••••/);

    const id = sim.addVerification(USER, { id: 'e2e-client', status: 'accepted' });
    await runCommand(page, commandTitle('onelogin-mfa.checkVerification'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, id);
    assert.equal(await waitForNotification(page, `Verification ${id} for user ${USER}:`), `Verification ${id} for user ${USER}: accepted (HTTP 200).`);
    const mint = sim.requests.filter((r) => r.method === 'POST' && r.path === '/auth/oauth2/v2/token');
    assert.equal(mint.length, 1);
    assert.equal(mint[0].headers.authorization, `client_id:${CLIENT_ID}, client_secret:${CLIENT_SECRET}`);
    const get = sim.requests.filter((r) => r.path === statusPath(USER, id));
    assert.equal(get.length, 1);
    assert.notEqual(get[0].headers.authorization, `Bearer ${TOKEN}`, 'the minted token, not the replaced access token');
  });

  it('Stop Polling is offered while a poll runs, and stops it', async function () {
    const page = wb.page;
    const title = commandTitle('onelogin-mfa.stopPolling');
    const idle = await searchCommands(page, 'OneLogin MFA: Stop');
    await closeQuickInput(page);
    assert.ok(!idle.includes(title), `not offered while nothing polls: ${idle.join(' | ')}`);

    const id = sim.addVerification(USER, { id: 'e2e-stop' }); // never settles
    await pollThroughPalette(id);
    await watchStatusBar(page, /MFA pending \d+s/);
    await runCommand(page, title);
    const seen = await watchStatusBar(page, /stopped/);
    assert.match(seen.at(-1) ?? '', /^MFA stopped( \(\+\d+\))?$/);
    const gets = sim.requests.filter((r) => r.path === statusPath(USER, id)).length;
    // A later poll of another verification makes two checks (a full interval): the stopped one sent nothing more.
    const other = sim.addVerification(USER, { id: 'e2e-after-stop', settle: { to: 'accepted', afterPolls: 2 } });
    await pollThroughPalette(other);
    await watchStatusBar(page, /accepted/);
    assert.equal(sim.requests.filter((r) => r.path === statusPath(USER, id)).length, gets, 'no check after Stop Polling');
  });

  it('leaves no secret anywhere: not in the panel, not in anything the server wrote (logs, settings, state)', async function () {
    const page = wb.page;
    await closeQuickInput(page);
    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const frame = webviewFrame(page);
    await group(frame, 'e2e-accept').waitFor({ state: 'visible', timeout: 20_000 });
    const panelText = await frame.locator('body').evaluate((b) => b.textContent ?? '');
    assert.match(panelText, /e2e-accept/);
    for (const secret of [TOKEN, CLIENT_ID, CLIENT_SECRET]) assert.ok(!panelText.includes(secret), `the panel does not show …${secret.slice(-4)}`);

    const udd = wb.server.userDataDir;
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.isFile()) files.push(full);
      }
    };
    walk(udd);
    const log = files.find((f) => path.basename(f) === 'OneLogin MFA.log');
    assert.ok(log, `the extension's log is under ${udd}`);
    assert.match(fs.readFileSync(log, 'utf8'), /e2e-accept → 200/, 'the log holds this run (the scan reads real output)');
    const secrets = [TOKEN, CLIENT_ID, CLIENT_SECRET];
    const hits = files.filter((f) => {
      const text = fs.readFileSync(f).toString('latin1');
      return secrets.some((secret) => text.includes(secret));
    });
    assert.deepEqual(hits.map((f) => path.relative(udd, f)), [], 'files holding a secret');
  });
});

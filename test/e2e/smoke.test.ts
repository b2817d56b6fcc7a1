/**
 * End-to-end smoke: the real workbench (code-server 1.139 in headless Chromium) with the extension loaded
 * from the working tree, driven the way a user would: command palette, input boxes, status bar,
 * notifications, window reload.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { commandTitle, paletteCommandTitles } from './manifest';
import {
  closeQuickInput,
  expectInputBox,
  runCommand,
  searchCommands,
  statusBarItem,
  statusBarText,
  typeInInputBox,
  waitForNotification,
  webviewFrame,
  startWorkbench,
  type Workbench,
} from './harness';

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A loopback HTTP server that records requests and answers 404 with a OneLogin-shaped error body. */
async function recordingServer(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 404, name: 'NotFoundError', message: 'Not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('e2e: workbench with the extension from the working tree', function () {
  let wb: Workbench;
  let api: Awaited<ReturnType<typeof recordingServer>>;

  before(async function () {
    api = await recordingServer();
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': api.url } });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-${this.currentTest.fullTitle()}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await api?.close();
  });

  it('lists every command of the extension in the command palette', async function () {
    const expected = paletteCommandTitles();
    assert.ok(expected.length > 0, 'the manifest contributes no command');
    const listed = await searchCommands(wb.page, 'OneLogin MFA:', { waitFor: expected[0], timeoutMs: 20_000 });
    await closeQuickInput(wb.page);
    assert.deepEqual(expected.filter((t) => !listed.includes(t)), [], `listed: ${listed.join(' | ')}`);
  });

  it('shows its status bar item once a command activated it', async function () {
    await runCommand(wb.page, commandTitle('onelogin-mfa.showLog'));
    const text = await statusBarText(wb.page, 'onelogin-mfa.status');
    assert.match(text, /MFA/);
    assert.match((await statusBarItem(wb.page, 'onelogin-mfa.status').getAttribute('aria-label')) ?? '', /OneLogin MFA/);
    await wb.screenshot('e2e-smoke-status-bar');
  });

  it('stores a token typed into the input box, and sends it to the configured base URL', async function () {
    await runCommand(wb.page, commandTitle('onelogin-mfa.setAccessToken'));
    await expectInputBox(wb.page, /Set Access Token/);
    await typeInInputBox(wb.page, 'tok-e2e-ABCD1234');
    assert.match(await waitForNotification(wb.page, 'access token stored'), /••••1234/);

    await runCommand(wb.page, commandTitle('onelogin-mfa.checkVerification'));
    await typeInInputBox(wb.page, '1001'); // user id
    await typeInInputBox(wb.page, '2002'); // verification id
    const deadline = Date.now() + 10_000;
    while (api.requests.length === 0 && Date.now() < deadline) await wb.page.waitForTimeout(100);
    const hit = api.requests.find((r) => r.url.includes('1001') && r.url.includes('2002'));
    assert.ok(hit, `no request for user 1001 / verification 2002 reached ${api.url}: ${JSON.stringify(api.requests)}`);
    assert.equal(hit.authorization, 'Bearer tok-e2e-ABCD1234');
  });

  it('shows the raw exchange in the panel webview', async function () {
    await runCommand(wb.page, commandTitle('onelogin-mfa.showPanel'));
    const body = webviewFrame(wb.page).locator('body');
    await body.getByText('2002').first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await body.innerText(), /404/);
    await wb.screenshot('e2e-smoke-panel');
  });

  it('keeps the credentials in SecretStorage across a window reload', async function () {
    // The previous test stored a token; a reload starts a new extension host with the same browser profile.
    await wb.reload();
    await runCommand(wb.page, commandTitle('onelogin-mfa.clearCredentials'), { timeoutMs: 60_000 });
    assert.match(await waitForNotification(wb.page, /credentials (cleared|were stored)/), /OneLogin credentials cleared\./);
  });
});

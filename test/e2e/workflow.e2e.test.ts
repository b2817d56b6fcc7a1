/**
 * End-to-end: the verification workflow the way a user runs it, in the real workbench (code-server in
 * headless Chromium) against the OneLogin simulator: "OneLogin MFA: Send Verification…" from the
 * command palette, the user id typed, the device picked, the status bar going pending → accepted, and
 * the panel offering "Copy as cURL" for the exchanges.
 */
import * as assert from 'node:assert/strict';
import { commandTitle } from './manifest';
import { expectInputBox, quickInput, runCommand, startWorkbench, statusBarText, typeInInputBox, waitForNotification, webviewFrame, type Workbench } from './harness';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'sim-e2e-token-WXYZ';
const USER = '1001';

describe('e2e: send a verification and watch it', function () {
  let sim: Simulator;
  let wb: Workbench;

  before(async function () {
    sim = await startSimulator({ accessTokens: [TOKEN] });
    sim.addUser(USER); // OneLogin Protect "My iPhone" (default) and OneLogin Voice
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': sim.url }, label: 'e2e-workflow' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-workflow-${this.currentTest.fullTitle()}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await sim?.close();
  });

  it('palette → user id → device → status bar pending → accepted; the panel has Copy as cURL', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.setAccessToken'));
    await typeInInputBox(page, TOKEN);
    await waitForNotification(page, 'access token stored');

    await runCommand(page, 'OneLogin MFA: Send Verification…');
    await expectInputBox(page, /Send Verification \(1\/3\)/);
    await typeInInputBox(page, USER);

    // The device QuickPick: the default device first, with its type.
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'My iPhone' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await rows.first().innerText(), /My iPhone[\s\S]*OneLogin Protect · default/);
    assert.match(await page.locator('.quick-input-widget').innerText(), /needs a one-time code|code may be asked/, 'the Voice device is marked');
    await rows.filter({ hasText: 'My iPhone' }).first().click();

    // The optional message: none.
    await quickInput(page).waitFor({ state: 'visible', timeout: 10_000 });
    await expectInputBox(page, /\(3\/3\)/);
    await typeInInputBox(page, '');

    // The status bar: pending with a countdown; the user accepts on the phone only then (a settle after N
    // polls raced a loaded machine), and the status bar says accepted.
    const seen: string[] = [];
    const watch = async (until: RegExp): Promise<void> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const text = await statusBarText(page, 'onelogin-mfa.status');
        if (seen.at(-1) !== text) seen.push(text);
        if (until.test(text)) return;
        if (Date.now() > deadline) throw new Error(`the status bar never matched ${String(until)}: ${seen.join(' | ')}`);
        await page.waitForTimeout(100);
      }
    };
    await watch(/MFA pending \d+s/);
    const [poll] = await sim.waitForRequests((r) => r.method === 'GET' && r.path.startsWith(`/api/2/mfa/users/${USER}/verifications/`), 1, 15_000);
    sim.setStatus(USER, decodeURIComponent(poll.path.split('/').at(-1) ?? ''), 'accepted');
    await watch(/accepted/);
    assert.ok(seen.some((t) => /MFA pending \d+s/.test(t)), `pending with a countdown first: ${seen.join(' | ')}`);
    assert.match(seen.at(-1) ?? '', /MFA accepted/);
    const posts = sim.requests.filter((r) => r.method === 'POST' && r.path === `/api/2/mfa/users/${USER}/verifications`);
    assert.equal(posts.length, 1, 'exactly one push');
    await wb.screenshot('e2e-workflow-accepted');

    // The panel: the verification, and "Copy as cURL" on its exchanges.
    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const frame = webviewFrame(page);
    const group = frame.locator('.verification[data-phase="accepted"]').first();
    await group.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match((await group.locator('.verification-trigger').innerText()) ?? '', /My iPhone/);
    const copyCurl = frame.locator('.action-copy-curl').first();
    await copyCurl.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await copyCurl.innerText(), /Copy as cURL/);
    assert.equal(await frame.locator('.rate-limit-gauge').isVisible(), true);
    assert.ok((await frame.locator('.history-entry[data-key]').count()) >= 1, 'the accepted verification is in the history');
    await wb.screenshot('e2e-workflow-panel');
  });
});

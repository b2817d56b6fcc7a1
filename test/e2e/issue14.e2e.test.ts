/**
 * End-to-end, issue 14: what the user sees in the real workbench (code-server in headless Chromium)
 * against the simulator. A send that timed out says the push may have been sent and offers only an
 * explicit "Send Another Push"; the right one-time code with a revoked access token is reported as
 * "the token is no longer valid", never as a wrong code, and the code is sent once.
 */
import * as assert from 'node:assert/strict';
import { commandTitle } from './manifest';
import { quickInput, runCommand, startWorkbench, typeInInputBox, waitForNotification, type Workbench } from './harness';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'sim-e2e14-token-QRST';
const USER = '1401';

describe('e2e: issue 14, right about OneLogin where the user sees it', function () {
  let sim: Simulator;
  let wb: Workbench;

  before(async function () {
    sim = await startSimulator({ accessTokens: [TOKEN] });
    sim.addUser(USER);
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': sim.url, 'onelogin-mfa.requestTimeout': 2 }, label: 'e2e-issue14' });
    await runCommand(wb.page, commandTitle('onelogin-mfa.setAccessToken'));
    await typeInInputBox(wb.page, TOKEN);
    await waitForNotification(wb.page, 'access token stored');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-issue14-${this.currentTest.fullTitle()}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await sim?.close();
  });

  it('a send that times out: "the push may have been sent: watch the phone", with "Send Another Push"; nothing is sent again by itself', async function () {
    const page = wb.page;
    sim.queueFault({ kind: 'hang' }, { method: 'POST' });
    await runCommand(page, 'OneLogin MFA: Send Verification…');
    await typeInInputBox(page, USER);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'My iPhone' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await rows.filter({ hasText: 'My iPhone' }).first().click();
    await quickInput(page).waitFor({ state: 'visible', timeout: 10_000 });
    await typeInInputBox(page, '');
    const text = await waitForNotification(page, /may have been sent: watch the phone/, 20_000);
    assert.match(text, /Send Another Push/);
    assert.doesNotMatch(text, /Retry/);
    await wb.screenshot('e2e-issue14-outcome-unknown');
    assert.equal(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/verifications')).length, 1);
  });

  it('the right code with a revoked access token: "no longer valid", not "rejected the code"; one PUT', async function () {
    const page = wb.page;
    const id = sim.addVerification(USER, { id: 'v-e2e-14', otp: '246810' });
    sim.revokeAccessTokens();
    await runCommand(page, commandTitle('onelogin-mfa.verifyOtp'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, id);
    await typeInInputBox(page, '246810');
    const text = await waitForNotification(page, /no longer valid/, 20_000);
    assert.doesNotMatch(text, /rejected the code/);
    await wb.screenshot('e2e-issue14-token-invalid');
    assert.equal(sim.requests.filter((r) => r.method === 'PUT').length, 1);
    assert.equal(sim.getVerification(USER, id)?.status, 'pending');
  });
});

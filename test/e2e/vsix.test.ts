/**
 * The packaged extension: the .vsix that vsce builds from the working tree installs into code-server
 * (`--install-extension`) and works without the development path, i.e. .vscodeignore keeps what it needs.
 */
import * as assert from 'node:assert/strict';
import { commandTitle, paletteCommandTitles } from './manifest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { closeQuickInput, packageVsix, ROOT, runCommand, searchCommands, startWorkbench, statusBarText, typeInInputBox, webviewFrame, type Workbench } from './harness';
import { clickInlineAction, openSidebar, treeRow, treeText } from './sidebar';

describe('e2e: the packaged .vsix', function () {
  let wb: Workbench | undefined;

  before(async function () {
    const vsix = process.env.E2E_VSIX || packageVsix();
    wb = await startWorkbench({ vsix });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-${this.currentTest.fullTitle()}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
  });

  it('installs, lists its commands and activates', async function () {
    const page = wb!.page;
    const expected = paletteCommandTitles();
    const listed = await searchCommands(page, 'OneLogin MFA:', { waitFor: expected[0], timeoutMs: 60_000 });
    await closeQuickInput(page);
    assert.deepEqual(expected.filter((t) => !listed.includes(t)), [], `listed: ${listed.join(' | ')}`);
    await runCommand(page, commandTitle('onelogin-mfa.showLog'));
    assert.match(await statusBarText(page, 'onelogin-mfa.status'), /MFA/);
  });

  it('has the sidebar: the Activity Bar container opens the view, with its welcome content', async function () {
    const page = wb!.page;
    await openSidebar(page);
    const welcome = page.locator('.sidebar .welcome-view-content');
    await welcome.locator('.monaco-button').filter({ hasText: 'Set Access Token' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await welcome.innerText(), /Set API Client Credentials/);
  });

  it('with no OneLogin account: the welcome starts the demo; verifications settle in the tree, the status bar and the panel; an OTP is entered', async function () {
    this.timeout(180_000);
    const page = wb!.page;
    await openSidebar(page);
    const welcome = page.locator('.sidebar .welcome-view-content');
    await welcome.locator('.monaco-button').filter({ hasText: 'Try the Demo Tenant' }).first().click();

    const deadline = Date.now() + 60_000;
    // A Recent row reads "<id> user 1001 · <outcome> · <time>" (the ids contain the outcome words too).
    const settled = async (id: string, phase: RegExp): Promise<void> => {
      const outcome = new RegExp(`user 1001 · ${phase.source}`);
      while (!outcome.test((await treeRow(page, id).first().innerText().catch(() => '')).replace(/\s+/g, ' '))) {
        if (Date.now() > deadline) throw new Error(`${id} did not show ${String(phase)} in the tree: ${await treeText(page)}`);
        await page.waitForTimeout(250);
      }
    };
    await settled('demo-accepted', /accepted/);
    await settled('demo-rejected', /rejected/);
    assert.match(await statusBarText(page, 'onelogin-mfa.status'), /· demo/, 'the status bar names the demo tenant');

    // The one that takes a code: its row's inline "Enter OTP…", the code in a password box.
    await clickInlineAction(treeRow(page, 'demo-otp').first(), 'Enter OTP…');
    await typeInInputBox(page, '123456');
    await settled('demo-otp', /accepted/);

    await runCommand(page, commandTitle('onelogin-mfa.showPanel'));
    const frame = webviewFrame(page);
    await frame.locator('.verification-id', { hasText: 'demo-accepted' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await frame.locator('body').innerText(), /demo-rejected/);
    await runCommand(page, 'View: Close Panel').catch(() => undefined); // the log, opened by the first test
    // The README's picture: the installed extension (no development host), the demo running.
    const shot = await wb!.screenshot('vsix-demo');
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'screenshots', 'overview.png'));

    await runCommand(page, commandTitle('onelogin-mfa.stopDemo'));
    await page.waitForFunction(() => !/· demo/.test(document.querySelector('.statusbar-item[id$="onelogin-mfa.status"]')?.textContent ?? ''), undefined, { timeout: 20_000 });
  });
});

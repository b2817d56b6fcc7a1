/**
 * The packaged extension: the .vsix that vsce builds from the working tree installs into code-server
 * (`--install-extension`) and works without the development path, i.e. .vscodeignore keeps what it needs.
 */
import * as assert from 'node:assert/strict';
import { commandTitle, paletteCommandTitles } from './manifest';
import { closeQuickInput, packageVsix, runCommand, searchCommands, startWorkbench, statusBarText, type Workbench } from './harness';
import { openSidebar } from './sidebar';

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
    const listed = await searchCommands(page, 'OneLogin MFA:', { waitFor: expected[0], timeoutMs: 20_000 });
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
});

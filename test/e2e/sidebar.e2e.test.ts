/**
 * End-to-end: the sidebar in the real workbench (code-server in headless Chromium) against the OneLogin
 * simulator. The Activity Bar container opens the view; with no credentials the welcome content offers
 * "Set Access Token" (clicked here); a poll shows as a Live row with its countdown; a click on the
 * row's inline "Stop" stops it and it moves to Recent; the inline "Re-check" on the Recent row sends
 * exactly one status request; after a window reload Recent still lists it (history from globalState).
 */
import * as assert from 'node:assert/strict';
import { commandTitle } from './manifest';
import { runCommand, startWorkbench, statusBarText, typeInInputBox, waitForNotification, type Workbench } from './harness';
import { clickInlineAction, openSidebar, pickContextMenuItem, treeRow, treeText } from './sidebar';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'sim-e2e-sidebar-token-WXYZ';
const USER = '1001';

async function waitFor(page: Workbench['page'], what: () => Promise<string>, predicate: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${await what()}`);
    await page.waitForTimeout(100);
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Each second from `ms` to now as the extension host writes a time of day (same machine, same locale). */
function timesSince(ms: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(ms / 1000) * 1000; t <= Date.now(); t += 1000) out.push(oneLine(new Date(t).toLocaleTimeString()));
  return out;
}

describe('e2e: the sidebar view', function () {
  let sim: Simulator;
  let wb: Workbench;

  before(async function () {
    sim = await startSimulator({ accessTokens: [TOKEN] });
    sim.addUser(USER);
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': sim.url, 'onelogin-mfa.pollInterval': 1 }, label: 'e2e-sidebar' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-sidebar-${this.currentTest.fullTitle()}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await sim?.close();
  });

  it('welcome → Set Access Token; Live row → inline Stop → Recent; inline Re-check; survives a reload', async function () {
    const page = wb.page;
    await openSidebar(page);

    // No credentials: the welcome content's button runs Set Access Token.
    const welcome = page.locator('.sidebar .welcome-view-content');
    const setToken = welcome.locator('a.monaco-button, .monaco-button').filter({ hasText: 'Set Access Token' });
    await setToken.first().waitFor({ state: 'visible', timeout: 20_000 });
    await setToken.first().click();
    await typeInInputBox(page, TOKEN);
    await waitForNotification(page, 'access token stored');
    // With credentials and nothing yet: Send / Check.
    await welcome.locator('.monaco-button').filter({ hasText: 'Send Verification…' }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // A poll: a Live row with its countdown.
    const id = sim.addVerification(USER, {});
    await runCommand(page, commandTitle('onelogin-mfa.pollVerification'));
    await typeInInputBox(page, USER);
    await typeInInputBox(page, id);
    const label = `${id.slice(0, 8)}…`;
    const live = treeRow(page, label).filter({ hasText: /s left/ });
    await live.first().waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await live.first().innerText(), new RegExp(`user ${USER} · pending · \\d+ s left`));
    await wb.screenshot('e2e-sidebar-live');

    // The inline Stop button on the row.
    await clickInlineAction(live.first(), 'Stop');
    const stopped = treeRow(page, label).filter({ hasText: 'stopped' });
    await stopped.first().waitFor({ state: 'visible', timeout: 15_000 });
    await waitFor(page, () => treeText(page), async () => (await treeRow(page, /s left/).count()) === 0);
    assert.match(await statusBarText(page, 'onelogin-mfa.status'), /stopped/);

    // The inline Re-check on the Recent row: exactly one more status request.
    const gets = (): number => sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/2/mfa/users/${USER}/verifications/${id}`).length;
    const before = gets();
    await clickInlineAction(stopped.first(), 'Re-check');
    await waitFor(page, async () => `one more GET (had ${before}, now ${gets()})`, () => Promise.resolve(gets() === before + 1));
    const checked = treeRow(page, label).filter({ hasText: 'pending (checked once)' });
    await checked.first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(gets(), before + 1, 'Re-check is one request, not a poll');
    await wb.screenshot('e2e-sidebar-recent');

    // A reload: Recent comes back from globalState.
    await wb.reload();
    await openSidebar(page);
    await treeRow(page, label).filter({ hasText: 'pending (checked once)' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await treeRow(page, /s left/).count(), 0, 'nothing live after the reload');
  });

  it('Re-check, then Show in Panel from a row; the panel\'s title bar has Copy as cURL…, which offers POSIX, PowerShell and cmd', async function () {
    const page = wb.page;
    await openSidebar(page);
    const row = treeRow(page, 'pending (checked once)').first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    // A request in this window (the reload started a new exchange log), for Copy as cURL to copy.
    const before = sim.requests.length;
    const clickedAt = Date.now();
    await clickInlineAction(row, 'Re-check');
    await waitFor(page, async () => 'the re-check request', () => Promise.resolve(sim.requests.length > before));
    // The row shows the time of the re-check once the tree has re-rendered it: only then right-click it (a
    // context menu opened on a row that is being re-rendered closes again).
    await waitFor(
      page,
      async () => `the row to show the re-check's time (${await treeText(page)})`,
      async () => {
        const text = oneLine(await row.innerText());
        return timesSince(clickedAt).some((time) => text.includes(time));
      },
    );
    await row.click({ button: 'right' });
    await pickContextMenuItem(page, 'Show in Panel');
    const copy = page.locator('.part.editor a.action-label[aria-label^="Copy as cURL"]');
    await copy.waitFor({ state: 'visible', timeout: 20_000 });
    for (const label of ['Re-check All', 'Export Exchange Log']) {
      assert.equal(await page.locator(`.part.editor a.action-label[aria-label^="${label}"]`).count(), 1, label);
    }
    await copy.click();
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.equal(labels.length, 3, labels.join(' | '));
    for (const shell of ['POSIX shell', 'PowerShell', 'Command Prompt']) assert.ok(labels.some((l) => l.startsWith(shell)), `${shell} in ${labels.join(' | ')}`);
    await wb.screenshot('e2e-sidebar-panel-copy-curl');
    await page.keyboard.press('Escape');
  });
});

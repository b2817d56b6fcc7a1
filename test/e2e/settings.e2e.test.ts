/**
 * End-to-end: the base URL set the way a person sets it, in a remote window (code-server is one).
 *  - typed into the Settings editor's User tab: the next status request goes to that host, no reload;
 *  - written into the user settings file before the window opens: the very first request goes there.
 * Nothing here writes the remote machine settings: `onelogin-mfa.baseUrl` is `application`-scoped, so the
 * user's own settings are where it counts (a `machine` setting is ignored there in a remote window).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { commandTitle } from './manifest';
import { expectInputBox, runCommand, startWorkbench, statusBarText, typeInInputBox, waitForNotification, type Workbench } from './harness';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'sim-e2e-settings-token-7Q2k';
/** The second tenant's own token (its simulator accepts both; which one arrives tells the tenants apart). */
const TOKEN_B = 'sim-e2e-second-tenant-token-Pw4z';
const USER = '1001';

/** Polls `check` until it returns true, at most `timeoutMs`. */
async function until(page: Page, what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}

/** Check Verification through the palette: user id, then verification id. */
async function checkThroughPalette(page: Page, verificationId: string): Promise<void> {
  await runCommand(page, commandTitle('onelogin-mfa.checkVerification'));
  await typeInInputBox(page, USER);
  await typeInInputBox(page, verificationId);
}

describe('e2e: the base URL in the user settings', function () {
  let first: Simulator;
  let second: Simulator;
  let wb: Workbench;

  before(async function () {
    first = await startSimulator({ accessTokens: [TOKEN] });
    second = await startSimulator({ accessTokens: [TOKEN, TOKEN_B] });
    first.addUser(USER);
    second.addUser(USER);
    wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': first.url }, label: 'e2e-settings' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-settings-${this.currentTest.title}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await first?.close();
    await second?.close();
  });

  it('from the user settings file: the first request after start goes to that host', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.setAccessToken'));
    await typeInInputBox(page, TOKEN);
    await waitForNotification(page, 'access token stored');

    const id = first.addVerification(USER, { status: 'accepted' });
    await checkThroughPalette(page, id);
    await waitForNotification(page, `Verification ${id} for user ${USER}: accepted`, 15_000);
    assert.equal(first.requests.filter((r) => r.path.endsWith(`/verifications/${id}`)).length, 1);
    assert.equal(second.requests.length, 0);
  });

  it('typed into the Settings editor (User tab): the next status request reaches that host', async function () {
    const page = wb.page;
    await runCommand(page, 'Preferences: Open User Settings');
    const editor = page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    // The User tab, as a person picks it (the setting is listed there: an `application` setting is).
    await editor.locator('.settings-tabs-widget .action-label', { hasText: /^User$/ }).first().click();
    await until(page, 'the User tab to be selected', async () =>
      /User/.test(await editor.locator('.settings-tabs-widget .action-label.checked, .settings-tabs-widget [aria-selected="true"]').first().innerText().catch(() => '')),
    );

    // The search box is a small editor: focus it and type.
    await editor.locator('.settings-header .suggest-input-container').click();
    await page.keyboard.type('onelogin-mfa.baseUrl');
    const row = editor.locator('.setting-item-contents').filter({ hasText: 'Base Url' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const input = row.locator('input.input, textarea.input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await input.inputValue(), first.url, 'the Settings editor shows the value from the user settings');

    await input.click();
    await input.fill(second.url);
    await input.press('Tab'); // the Settings editor saves on change; Tab leaves the box like a person would

    // The Settings editor saved it where a person's settings live: the User settings file.
    const userSettings = path.join(wb.server.userDataDir, 'User', 'settings.json');
    await until(page, 'the User settings file to hold the new URL', () => fs.readFileSync(userSettings, 'utf8').includes(second.url));

    // Done with the Settings editor: close its tab (it re-renders as the value lands, which would take
    // the focus back from the command palette).
    await page.locator('.tabs-container .tab.active .tab-actions .action-label').first().click();
    await editor.waitFor({ state: 'hidden', timeout: 10_000 });

    // The next status request reaches the new host, without a reload. The setting reaches the extension a
    // moment after it is saved: check until a request arrives there (each check is a real request).
    const id = second.addVerification(USER, { status: 'rejected' });
    first.addVerification(USER, { id, status: 'accepted' });
    await until(
      page,
      'a status request at the host typed into the Settings editor',
      async () => {
        await checkThroughPalette(page, id);
        await page.waitForTimeout(300);
        return second.requests.some((r) => r.path.endsWith(`/verifications/${id}`));
      },
      30_000,
    );
    await waitForNotification(page, `Verification ${id} for user ${USER}: rejected`, 15_000);
    assert.ok(second.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
  });
});

describe('e2e: two tenants in the user settings', function () {
  let first: Simulator;
  let second: Simulator;
  let wb: Workbench;

  before(async function () {
    first = await startSimulator({ accessTokens: [TOKEN] });
    second = await startSimulator({ accessTokens: [TOKEN, TOKEN_B] });
    first.addUser(USER);
    second.addUser(USER);
    wb = await startWorkbench({
      settings: { 'onelogin-mfa.baseUrl': first.url, 'onelogin-mfa.tenants': [{ name: 'second', baseUrl: second.url }] },
      label: 'e2e-tenants',
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot(`e2e-tenants-${this.currentTest.title}`).catch(() => undefined);
  });

  after(async function () {
    await wb?.close();
    await first?.close();
    await second?.close();
  });

  it('two tenants in the user settings: Set Access Token asks which, Switch Tenant picks, the status bar names it', async function () {
    const page = wb.page;
    await runCommand(page, commandTitle('onelogin-mfa.setAccessToken'));
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'second' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await rows.first().innerText(), /default[\s\S]*active/, 'the active tenant is offered first');
    await rows.filter({ hasText: 'second' }).first().click();
    await expectInputBox(page, /Set Access Token for tenant second/);
    await typeInInputBox(page, TOKEN_B);
    await waitForNotification(page, /access token stored \(••••Pw4z\) for tenant second/);
    // The status bar names the active tenant, as there are several (the first listed: "default").
    await until(page, 'the status bar to name the active tenant', async () => /· default/.test(await statusBarText(page, 'onelogin-mfa.status')));

    await runCommand(page, commandTitle('onelogin-mfa.switchTenant'));
    await rows.filter({ hasText: 'second' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await rows.filter({ hasText: 'second' }).first().click();
    await until(page, 'the status bar to name the new tenant', async () => /· second/.test(await statusBarText(page, 'onelogin-mfa.status')));

    const id = second.addVerification(USER, { status: 'accepted' });
    const before = first.requests.length;
    await checkThroughPalette(page, id);
    await waitForNotification(page, `Verification ${id} for user ${USER}: accepted`, 15_000);
    const gets = second.requests.filter((r) => r.path.endsWith(`/verifications/${id}`));
    assert.equal(gets.length, 1);
    assert.equal(gets[0].headers.authorization, `Bearer ${TOKEN_B}`, "the second tenant's own token");
    assert.equal(first.requests.length, before, 'nothing went to the other tenant');
  });
});

/**
 * End-to-end harness: a real VS Code (code-server 1.139) driven in headless Chromium from mocha in plain
 * Node. It reuses the launcher of the integration host (scripts/test-host/).
 *
 *   const wb = await startWorkbench({ settings: { 'onelogin-mfa.baseUrl': sim.url } });
 *   await runCommand(wb.page, 'OneLogin MFA: Check Verification');
 *   await typeInInputBox(wb.page, '1001');
 *   assert.match(await statusBarText(wb.page, 'onelogin-mfa.status'), /pending/);
 *   await wb.close();
 *
 * The extension is loaded from the working tree (payload extensionDevelopmentPath: dist/ must be built)
 * or installed from a packaged .vsix (`{ vsix: path }`). Each workbench has its own code-server, profile
 * and browser context (SecretStorage lives in the browser profile, so it starts empty).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot as saveScreenshot, waitForWorkbench, type BrowserSession } from '../../scripts/test-host/browser';
import { ensureTestHost, installVsix, makeRunDir, removeRunDir, ROOT, startCodeServer, writeUserSettings, type CodeServer } from '../../scripts/test-host/codeServer';

export { ROOT };

interface Manifest {
  publisher: string;
  name: string;
  version: string;
}
export const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
/** `<publisher>.<name>`: the extension id. */
export const EXTENSION_ID = `${MANIFEST.publisher}.${MANIFEST.name}`;

export interface StartWorkbenchOptions {
  /** Load the extension from this .vsix (installed with code-server --install-extension) instead of the working tree. */
  vsix?: string;
  /** User settings written before start (the profile's User/settings.json, as a person would). */
  settings?: Record<string, unknown>;
  /** A folder to open; default: an empty window. */
  folder?: string;
  /** Label of the run folder and server log (.vscode-test/logs/<label>.log). */
  label?: string;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  readonly browser: BrowserSession;
  /** Sets settings while running: VS Code watches the files, the extension sees the change a moment later (measured: under 3 s), so wait for an observable effect. */
  setSettings(settings: Record<string, unknown>): void;
  /** Reloads the window (a new extension host; the browser profile, so SecretStorage, is kept). */
  reload(): Promise<void>;
  /** Saves test-artifacts/<name>.png. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts code-server, opens the workbench in headless Chromium, and waits until it is up. */
export async function startWorkbench(opts: StartWorkbenchOptions = {}): Promise<Workbench> {
  ensureTestHost();
  const label = opts.label ?? (opts.vsix ? 'e2e-vsix' : 'e2e');
  let extensionsDir: string | undefined;
  let extDirOwner: string | undefined;
  let server: CodeServer;
  try {
    if (opts.vsix) {
      extDirOwner = makeRunDir('vsix-ext');
      extensionsDir = path.join(extDirOwner, 'extensions');
      installVsix(opts.vsix, extensionsDir);
    }
    server = await startCodeServer({ label, userSettings: opts.settings, extensionsDir });
  } catch (e) {
    if (extDirOwner) removeRunDir(extDirOwner);
    throw e;
  }
  let browser: BrowserSession | undefined;
  try {
    browser = await launchBrowser(server.tmpDir);
    const url = server.workbenchUrl({ folder: opts.folder, extensionDevelopmentPath: opts.vsix ? undefined : ROOT });
    const page = browser.page;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page);
    const session = browser;
    let closed: Promise<void> | undefined;
    return {
      page,
      server,
      browser: session,
      setSettings: (settings) => writeUserSettings(server.userDataDir, settings),
      async reload() {
        await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
        await waitForWorkbench(page);
      },
      screenshot: (name) => saveScreenshot(page, ROOT, name),
      close: () =>
        (closed ??= (async () => {
          await session.close();
          await server.stop();
          if (extDirOwner) removeRunDir(extDirOwner);
        })()),
    };
  } catch (e) {
    if (browser) await saveScreenshot(browser.page, ROOT, `${label}-start-failure`).catch(() => undefined);
    await browser?.close();
    await server.stop();
    if (extDirOwner) removeRunDir(extDirOwner);
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${server.logFile} (tail) ---\n${server.logTail(30)}`, { cause: e });
  }
}

/** The command palette's input (also the input of showInputBox / showQuickPick). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input.input');
}

const ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

async function rowLabels(page: Page): Promise<string[]> {
  return (await page.locator(`${ROWS} .label-name`).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * One look: opens the palette, types `>` + text, returns the labels once the list has settled; undefined
 * when the palette did not open or closed again before the text was in (a workbench still restoring after
 * a reload moves the focus), so the caller looks again.
 */
async function searchOnce(page: Page, text: string, waitFor: string | undefined, timeoutMs: number): Promise<string[] | undefined> {
  await closeQuickInput(page);
  await page.keyboard.press('F1');
  const input = quickInput(page);
  const typed = await input
    .waitFor({ state: 'visible', timeout: 3_000 })
    .then(() => input.fill(`>${text}`, { timeout: 3_000 }))
    .then(() => true, () => false);
  if (!typed) return undefined;
  const deadline = Date.now() + timeoutMs;
  let previous: string | undefined;
  for (;;) {
    await page.waitForTimeout(150);
    const labels = await rowLabels(page);
    if (waitFor !== undefined && labels.includes(waitFor)) return labels;
    const key = labels.join('\n');
    if ((key === previous && waitFor === undefined) || Date.now() > deadline) return labels;
    previous = key;
  }
}

/**
 * Opens the command palette (F1), types `>` + text, and returns the labels of the rows it lists; the
 * palette stays open. With `waitFor`, looks again (closing and reopening the palette, which does not
 * refresh while open) until a row with exactly that label is listed or `timeoutMs` passed: an
 * extension's commands appear a few seconds after the workbench.
 */
export async function searchCommands(page: Page, text: string, { waitFor, timeoutMs = 15_000 }: { waitFor?: string; timeoutMs?: number } = {}): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const labels = await searchOnce(page, text, waitFor, waitFor === undefined ? 3_000 : 1_500);
    if (labels === undefined) {
      if (Date.now() > deadline) throw new Error('the command palette did not open (F1)');
      continue;
    }
    if (waitFor === undefined || labels.includes(waitFor) || Date.now() > deadline) return labels;
  }
}

/**
 * Runs a command through the command palette by its full title, e.g. 'OneLogin MFA: Check Verification':
 * F1, type `>title`, wait for a row with exactly that label, Enter. Throws when the command never shows up.
 */
export async function runCommand(page: Page, title: string, { timeoutMs = 30_000 } = {}): Promise<void> {
  const labels = await searchCommands(page, title, { waitFor: title, timeoutMs });
  const index = labels.indexOf(title);
  if (index === -1) {
    await closeQuickInput(page);
    throw new Error(`the command palette has no command "${title}" (listed: ${labels.slice(0, 10).join(' | ') || 'nothing'})`);
  }
  if (index === 0) await page.keyboard.press('Enter');
  else await page.locator(ROWS).nth(index).click();
  // Done when the palette closed, or turned into the command's own input box / quick pick.
  const widget = page.locator('.quick-input-widget');
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    if (!(await widget.isVisible())) return;
    const value = await quickInput(page).inputValue().catch(() => '');
    if (value !== `>${title}`) return;
    await page.waitForTimeout(100);
  }
}

/**
 * Types into the open input box (showInputBox) and presses Enter, then waits until the box accepted it:
 * it closed, or the next box replaced it (another title, or an empty value). Throws with the box's message
 * (e.g. a validation error) when it did not accept the text within `timeoutMs`.
 */
export async function typeInInputBox(page: Page, text: string, { submit = true, timeoutMs = 5_000 } = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  const before = await inputBoxInfo(page);
  await input.fill(text);
  if (!submit) return;
  await input.press('Enter');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await widget.isVisible())) return;
    const now = await inputBoxInfo(page).catch(() => undefined);
    const value = await input.inputValue().catch(() => '');
    if (!now || now.title !== before.title || value !== text) return;
    if (Date.now() > deadline) throw new Error(`the input box "${before.title}" did not accept the text: ${now.message}`);
    await page.waitForTimeout(100);
  }
}

/** The title and prompt (message) shown by the open input box. */
export async function inputBoxInfo(page: Page): Promise<{ title: string; message: string }> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 10_000 });
  const title = (await widget.locator('.quick-input-title').innerText().catch(() => '')).trim();
  const message = (await widget.locator('.quick-input-message').innerText().catch(() => '')).trim();
  return { title, message };
}

/**
 * Waits until the open input box's title matches (a box replaces the previous one a moment after a pick
 * or an Enter); throws with the title it has when it never does.
 */
export async function expectInputBox(page: Page, title: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inputBoxInfo(page).catch(() => ({ title: '', message: '' }));
    if (title.test(info.title)) return;
    if (Date.now() > deadline) throw new Error(`the input box title is ${JSON.stringify(info.title)}, not ${String(title)}`);
    await page.waitForTimeout(100);
  }
}

/** Closes the command palette / input box if one is open. */
export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
}

/**
 * A status bar item of this extension. VS Code renders `createStatusBarItem(id)` as
 * `<div class="statusbar-item" id="<publisher>.<name>.<id>">` (observed on 1.139 / code-server 4.139.1:
 * `onelogin-mfa-tools.onelogin-mfa-verify.onelogin-mfa.status`).
 */
export function statusBarItem(page: Page, itemId: string): Locator {
  return page.locator(`.statusbar-item[id="${EXTENSION_ID}.${itemId}"]`);
}

/** The text of a status bar item of this extension (codicons show as their name, e.g. "$(check)" is dropped). */
export async function statusBarText(page: Page, itemId: string, timeoutMs = 10_000): Promise<string> {
  const item = statusBarItem(page, itemId);
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

/** The content of the active webview panel (the extension's HTML, inside VS Code's two iframes). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * The notifications' messages, newest first. Toasts may not show in headless runs, so this opens the
 * notification center ("Notifications: Show Notifications") and reads its list, then hides it again.
 */
export async function notifications(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  const items = page.locator('.notifications-center .notification-list-item');
  await page.locator('.notifications-center').waitFor({ state: 'visible', timeout: 5_000 });
  await page.waitForTimeout(150);
  const texts = (await items.locator('.notification-list-item-message').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  await runCommand(page, 'Notifications: Hide Notifications').catch(() => page.keyboard.press('Escape'));
  return texts;
}

/** Waits until a notification whose message matches appears; returns its text. */
export async function waitForNotification(page: Page, match: RegExp | string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await notifications(page);
    const hit = last.find((t) => (typeof match === 'string' ? t.includes(match) : match.test(t)));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no notification matching ${String(match)} (have: ${last.join(' | ') || 'none'})`);
    await page.waitForTimeout(300);
  }
}

/** Saves test-artifacts/<name>.png (ignored folder) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  return saveScreenshot(page, ROOT, name);
}

/**
 * Packages the working tree into a .vsix under .vscode-test/ with vsce. vsce runs `vscode:prepublish`
 * first (the production build into dist/), exactly as `npm run package`, the release path, does.
 */
export function packageVsix(): string {
  const out = path.join(ROOT, '.vscode-test', 'e2e', `${MANIFEST.name}.vsix`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return out;
}

/**
 * Helpers for the extension's sidebar in the real workbench: open the "OneLogin MFA" Activity Bar
 * container, find a tree row by its text, run one of a row's inline actions by its title (the actions
 * show on hover or focus, as `a.action-label[aria-label=<title>]`).
 */
import type { Locator, Page } from 'playwright-core';

/** The Activity Bar entry of the container (its title). */
export function activityBarEntry(page: Page): Locator {
  return page.locator('.activitybar .action-item a.action-label[aria-label^="OneLogin MFA"]');
}

/**
 * Opens the container by clicking its Activity Bar entry, unless the view is already showing. Checked in a
 * loop: after a reload the workbench may restore the container a moment after a first look, and a click on
 * the entry of the container that is showing closes it again.
 */
export async function openSidebar(page: Page, timeoutMs = 60_000): Promise<Locator> {
  const pane = page.locator('.sidebar .split-view-view .pane-body');
  const entry = activityBarEntry(page);
  const title = page.locator('.sidebar .composite.title').filter({ hasText: /OneLogin MFA/i });
  await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let clickedAt = 0;
  for (;;) {
    if (await title.isVisible()) return pane.first();
    if (Date.now() > deadline) throw new Error('the OneLogin MFA view did not open');
    const active = /\bchecked\b/.test((await entry.locator('xpath=..').getAttribute('class')) ?? '');
    // Click when the entry is not the active one; after a click, give the view time to show before the next.
    if (!active && Date.now() - clickedAt > 2_000) {
      await entry.click();
      clickedAt = Date.now();
    }
    await page.waitForTimeout(100);
  }
}

/**
 * Runs an item of the open context menu with the keyboard (arrow keys to it, then Enter): a mouse click
 * on a menu that has just opened can be dropped by the workbench.
 */
export async function pickContextMenuItem(page: Page, label: string, timeoutMs = 10_000): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  await menu.locator('.action-label').filter({ hasText: label }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  const items = await menu.locator('.action-item:not(.disabled) .action-label').allInnerTexts();
  for (let i = 0; i <= items.length; i++) {
    const focused = menu.locator('.action-item.focused .action-label');
    if ((await focused.count()) > 0 && (await focused.first().innerText()).trim() === label) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: timeoutMs });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no "${label}" in the context menu (${items.join(' | ')})`);
}

/** The tree rows of the sidebar whose text matches. */
export function treeRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.sidebar .monaco-list-row').filter({ hasText: text });
}

/** Hovers the row (inline actions appear) and clicks the action with this title. */
export async function clickInlineAction(row: Locator, title: string): Promise<void> {
  await row.hover();
  const action = row.locator(`.actions a.action-label[aria-label="${title}"]`);
  await action.waitFor({ state: 'visible', timeout: 5_000 });
  await action.click();
}

/** Every row's text, for failure messages. */
export async function treeText(page: Page): Promise<string> {
  return (await page.locator('.sidebar .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ');
}

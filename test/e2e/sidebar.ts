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

/** Opens the container by clicking its Activity Bar entry (unless the view is already showing). */
export async function openSidebar(page: Page, timeoutMs = 60_000): Promise<Locator> {
  const pane = page.locator('.sidebar .split-view-view .pane-body');
  const entry = activityBarEntry(page);
  await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  const checked = (await entry.locator('xpath=..').getAttribute('aria-pressed')) ?? (await entry.getAttribute('aria-pressed'));
  const sidebarTitle = page.locator('.sidebar .composite.title');
  const showing = (await sidebarTitle.isVisible()) && /OneLogin MFA/i.test(await sidebarTitle.innerText().catch(() => ''));
  if (!showing || checked === 'false') await entry.click();
  await page.locator('.sidebar .composite.title').filter({ hasText: /OneLogin MFA/i }).waitFor({ state: 'visible', timeout: timeoutMs });
  return pane.first();
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

/**
 * What the page gives the script: the VS Code webview API, the fixed elements of the HTML shell
 * (src/panel/html.ts) and the localized strings the host put in #app's data-strings.
 */
import type { SavedState, WebviewMessage } from '../panel/messages';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Callable once per page. */
export const vscode = acquireVsCodeApi();

function byId(id: string): HTMLElement {
  return document.getElementById(id) as HTMLElement;
}

const app = byId('app');
export const list = byId('verifications');
export const otherSection = byId('other');
export const emptyNote = byId('empty');
export const toolbar = document.querySelector('.toolbar-actions') as HTMLElement;
export const gaugeNode = document.querySelector('.rate-limit-gauge') as HTMLElement;
export const factorsSection = byId('factors');
export const historySection = byId('history');

function readStrings(): Record<string, string> {
  try {
    return JSON.parse(app.dataset.strings || '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/** The localized strings (S.key; each use has an English fallback for a missing key). */
export const S = readStrings();

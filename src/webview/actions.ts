/**
 * The buttons: view-only ones (JSON folding, Raw / Pretty) act in the page; the others post one allow-listed
 * message (src/panel/messages.ts), and only once the host's snapshot made the page live.
 */
import { jsonLabels, toggleRaw } from './exchanges';
import { model } from './model';
import { factorsSection, vscode } from './shell';

/**
 * Marks one exchange as the selected one (the editor-title "Copy as cURL" copies it) and tells the host.
 * `post` is false when the message that follows tells the host anyway (copyCurl).
 */
function select(details: HTMLElement, post = true): void {
  const id = Number(details.dataset.exchangeId);
  if (!(id > 0) || details.dataset.selected === 'true') return;
  for (const d of document.querySelectorAll<HTMLElement>('.exchange[data-selected="true"]')) {
    delete d.dataset.selected;
    d.querySelector('summary')?.removeAttribute('aria-current');
  }
  details.dataset.selected = 'true';
  details.querySelector('summary')?.setAttribute('aria-current', 'true');
  if (model.live && post) vscode.postMessage({ type: 'selectExchange', exchangeId: id });
}

/** The ids a group or history row carries (set when it was rendered). */
function ids(node: HTMLElement): { userId: string; verificationId: string } {
  return { userId: node.dataset.userId as string, verificationId: node.dataset.verificationId as string };
}

export function onClick(event: MouseEvent): void {
  const summary = event.target instanceof Element ? event.target.closest<HTMLElement>('summary.exchange-summary') : null;
  if (summary && summary.parentElement) select(summary.parentElement);
  const target = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-action]') : null;
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  const action = target.dataset.action;
  // View-only actions: nothing is posted, so they work on saved state too.
  if (action === 'json-toggle') {
    window.OneLoginJsonView?.toggle(target, jsonLabels());
    return;
  }
  if (action === 'raw') {
    const details = target.closest<HTMLElement>('.exchange');
    if (details) toggleRaw(details, target as HTMLButtonElement);
    return;
  }
  if (!model.live) return;
  const exchange = target.closest<HTMLElement>('.exchange');
  const group = target.closest<HTMLElement>('.verification');
  const past = target.closest<HTMLElement>('.history-entry');
  const device = target.closest<HTMLElement>('.device');
  const row = group || past;
  const exchangeId = exchange ? Number(exchange.dataset.exchangeId) : NaN;
  switch (action) {
    case 'copy':
      if (exchangeId > 0) vscode.postMessage({ type: 'copyBody', exchangeId });
      break;
    case 'open':
      if (exchangeId > 0) vscode.postMessage({ type: 'openBody', exchangeId });
      break;
    case 'stop':
      if (group) vscode.postMessage({ type: 'stopPoll', key: group.dataset.key as string });
      break;
    case 'recheck':
      if (row) vscode.postMessage({ type: 'recheck', ...ids(row) });
      break;
    case 'copy-curl':
      if (exchange) select(exchange, false);
      if (exchangeId > 0) vscode.postMessage({ type: 'copyCurl', exchangeId });
      break;
    case 'enter-otp':
      if (group) vscode.postMessage({ type: 'enterOtp', ...ids(group) });
      break;
    case 'send':
      if (device && factorsSection.dataset.userId) vscode.postMessage({ type: 'sendVerification', userId: factorsSection.dataset.userId, deviceId: device.dataset.deviceId as string });
      break;
    case 'export-json':
      vscode.postMessage({ type: 'exportLog', format: 'json' });
      break;
    case 'export-har':
      vscode.postMessage({ type: 'exportLog', format: 'har' });
      break;
    case 'clear-history':
      vscode.postMessage({ type: 'clearHistory' });
      break;
    case 'poll':
      if (group) vscode.postMessage({ type: 'poll', ...ids(group) });
      break;
    case 'clear':
      vscode.postMessage({ type: 'clearFinished' });
      break;
    case 'show-log':
      vscode.postMessage({ type: 'showLog' });
      break;
  }
}

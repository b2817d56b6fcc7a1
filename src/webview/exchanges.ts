/**
 * HTTP exchanges: one <details> per request/response, its body filled only when opened (long histories stay
 * light), JSON bodies shown pretty (jsonView.ts, its own script) or raw, and the "Other requests" section.
 */
import type { ExchangeView } from '../panel/messages';
import type { JsonLabels } from './jsonView';
import { button, bytes, el, fmt, headerLines } from './dom';
import { findExchange, model } from './model';
import { otherSection, S } from './shell';

/** Fills the body part of an exchange element (called when it is opened). */
function fillBody(details: HTMLElement, x: ExchangeView): void {
  if (details.dataset.filled === 'true') return;
  details.dataset.filled = 'true';
  const content = details.querySelector('.exchange-content') as HTMLElement;

  if (x.error) content.append(el('div', 'exchange-error', `${x.error.kind}: ${x.error.message}`));

  const requestTitle = el('h4', 'section-title', S.requestHeaders || 'Request headers');
  const requestActions = el('span', 'exchange-actions');
  requestActions.append(button('copy-curl', S.copyCurl || 'Copy as cURL'));
  requestTitle.append(requestActions);
  content.append(requestTitle);
  content.append(el('pre', 'exchange-request-headers', headerLines(x.requestHeaders)));
  if (typeof x.requestBody === 'string' && x.requestBody !== '') {
    content.append(el('h4', 'section-title', S.requestBody || 'Request body'));
    content.append(el('pre', 'exchange-request-body', x.requestBody));
  }
  if (typeof x.status === 'number') {
    content.append(el('h4', 'section-title', S.responseHeaders || 'Response headers'));
    content.append(el('pre', 'exchange-response-headers', headerLines(x.responseHeaders)));
  }

  const bodyTitle = el('h4', 'section-title', S.responseBody || 'Response body');
  const actions = el('span', 'exchange-actions');
  actions.append(button('copy', S.copy || 'Copy body'), button('open', S.open || 'Open in editor'));
  bodyTitle.append(actions);
  content.append(bodyTitle);

  const notes = [];
  if (x.bodyOmitted) notes.push(fmt(S.omitted, bytes(x.sizeBytes)));
  else if (x.bodyCut) notes.push(fmt(S.cut, x.bodyCut.shownChars, x.bodyCut.totalChars));
  if (x.bodyTruncatedByClient) notes.push(fmt(S.clientTruncated || 'The body ({0}) exceeded the size limit; the client stopped reading it.', bytes(x.sizeBytes)));
  if (x.restored) notes.push(S.restored);
  const note = el('p', 'exchange-body-note', notes.join(' '));
  note.hidden = notes.length === 0;
  content.append(note);

  const pre = el('pre', `exchange-body body-${x.bodyKind}`);
  pre.setAttribute('aria-label', S.responseBody || 'Response body');
  content.append(pre);
  if (x.bodyKind === 'empty') {
    pre.textContent = S.emptyBody || '(empty body)';
    return;
  }
  const pretty = x.bodyKind === 'json' ? jsonView(x.body) : undefined;
  if (!pretty) {
    pre.textContent = x.body;
    return;
  }
  // Pretty (colours, folding) by default; Raw shows the same text without either.
  pre.append(pretty);
  pre.dataset.view = 'pretty';
  const raw = button('raw', S.raw || 'Raw');
  raw.setAttribute('aria-pressed', 'false');
  actions.prepend(raw);
}

/** The JSON view of a body, or undefined (not JSON, too long, or jsonView.js not loaded). */
function jsonView(text: string): HTMLElement | undefined {
  const view = window.OneLoginJsonView;
  return view ? view.render(text, jsonLabels()) : undefined;
}

export function jsonLabels(): JsonLabels {
  return { expand: S.expand, collapse: S.collapse, keys: S.keys, items: S.items };
}

/** Raw / Pretty of one response body. */
export function toggleRaw(details: HTMLElement, rawButton: HTMLButtonElement): void {
  const pre = details.querySelector<HTMLElement>('.exchange-body');
  const id = Number(details.dataset.exchangeId);
  const x = findExchange(id);
  if (!pre || !x) return;
  const toRaw = pre.dataset.view !== 'raw';
  const pretty = toRaw ? undefined : jsonView(x.body);
  if (toRaw || !pretty) pre.textContent = x.body;
  else pre.replaceChildren(pretty);
  pre.dataset.view = toRaw ? 'raw' : 'pretty';
  rawButton.textContent = toRaw ? S.pretty || 'Pretty' : S.raw || 'Raw';
  rawButton.setAttribute('aria-pressed', String(toRaw));
}

function createExchangeNode(x: ExchangeView): HTMLDetailsElement {
  const details = el('details', 'exchange');
  details.dataset.exchangeId = String(x.id);
  details.dataset.status = typeof x.status === 'number' ? String(x.status) : 'none';
  // Only the status badge carries the status colour (not the whole exchange).
  const statusClass = typeof x.status === 'number' ? `status-${Math.floor(x.status / 100)}xx` : 'status-none';

  const summary = el('summary', 'exchange-summary');
  summary.append(el('span', 'exchange-method', x.method));
  summary.append(el('span', 'exchange-path', x.path));
  const statusText = typeof x.status === 'number' ? `${x.status}${x.statusText ? ` ${x.statusText}` : ''}` : `${S.noResponse || 'No response'}${x.error ? ` (${x.error.kind})` : ''}`;
  summary.append(el('span', `exchange-status ${statusClass}`, statusText));
  summary.append(el('span', 'exchange-duration', `${Math.round(x.durationMs)} ms`));
  summary.append(el('span', 'exchange-size', bytes(x.sizeBytes)));
  summary.append(el('span', 'exchange-request-id', x.requestId ? `x-request-id ${x.requestId}` : ''));
  summary.append(el('span', 'exchange-time', x.startedAt ? new Date(x.startedAt).toLocaleTimeString() : ''));
  details.append(summary);
  details.append(el('div', 'exchange-content'));
  details.addEventListener('toggle', () => {
    if (details.open) fillBody(details, x);
    else delete details.dataset.autoOpen;
  });
  return details;
}

/** Appends exchanges to a container, keeping only the newest one auto-opened. */
export function appendExchanges(container: HTMLElement, exchanges: ExchangeView[]): void {
  if (exchanges.length === 0) return;
  for (const prev of container.querySelectorAll<HTMLDetailsElement>(':scope > details.exchange[data-auto-open]')) {
    prev.open = false;
    delete prev.dataset.autoOpen;
  }
  let last: HTMLDetailsElement | undefined;
  for (const x of exchanges) {
    last = createExchangeNode(x);
    container.append(last);
  }
  if (last) {
    last.dataset.autoOpen = 'true';
    last.open = true;
    fillBody(last, exchanges[exchanges.length - 1]);
  }
}

/** Keeps at most model.maxPerGroup exchange elements; returns how many were removed. */
export function capExchanges(container: HTMLElement): number {
  let removed = 0;
  while (container.children.length > model.maxPerGroup) {
    container.firstElementChild?.remove();
    removed++;
  }
  return removed;
}

export function renderOther(): void {
  otherSection.replaceChildren();
  const ex = model.other.exchanges;
  otherSection.hidden = ex.length === 0 && !(model.other.hiddenExchanges > 0);
  if (otherSection.hidden) return;
  otherSection.append(el('h2', 'other-title', S.other || 'Other requests'));
  const hidden = el('p', 'exchanges-hidden', model.other.hiddenExchanges > 0 ? fmt(S.hidden, model.other.hiddenExchanges) : '');
  hidden.hidden = !(model.other.hiddenExchanges > 0);
  otherSection.append(hidden);
  const container = el('div', 'exchanges');
  otherSection.append(container);
  appendExchanges(container, ex);
}

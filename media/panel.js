// @ts-check
/* global acquireVsCodeApi, window, document, Element, setTimeout, clearTimeout, setInterval, clearInterval */
/**
 * The OneLogin MFA panel, webview side. It renders what the extension host posts and nothing else:
 * no network (the CSP has no connect-src), no innerHTML anywhere: every value from the API is put in
 * the page with textContent, so a body like "<img src=x onerror=alert(1)>" shows as text.
 *
 * Protocol (see src/panel/messages.ts): the script posts {type:'ready'} when it runs; the host answers
 * with a 'snapshot', then 'entry' (a verification's state) and 'exchange' (one request/response) as they
 * happen. Buttons post copyBody / openBody / stopPoll / recheck / poll / clearFinished / showLog.
 * The rendered data is saved with setState (trimmed; it never holds a secret: the host redacts before
 * posting) so a reload shows it at once.
 *
 * DOM contract (stable, for end-to-end tests):
 *   #verifications                          container of the verification groups, newest first
 *   .verification[data-key="<userId>/<verificationId>"][data-phase][data-polling="true|false"]
 *     .verification-id, .verification-user, .verification-device
 *     .verification-state                   the phase: idle|pending|accepted|rejected|expired|cancelled|error
 *     .verification-meta                    countdown, checks, last HTTP status, last check time
 *     .verification-error                   the error message (phase error, or retrying)
 *     button.action-stop / .action-recheck / .action-poll
 *     .exchanges-hidden                     "N older requests are not shown" (when the history was capped)
 *     .exchanges > details.exchange[data-exchange-id][data-status]   oldest first
 *       .exchange-method, .exchange-path, .exchange-status, .exchange-duration, .exchange-size,
 *       .exchange-request-id, .exchange-error
 *       .exchange-request-headers, .exchange-request-body, .exchange-response-headers (pre, "name: value" lines)
 *       .exchange-body (pre)                the response body; filled when the details element is open
 *                                           (the newest exchange of each group is open)
 *       .exchange-body-note                 what was cut / omitted / restored
 *       button.action-copy, button.action-open
 *   #other.other                            "Other requests" (token requests, ...): .exchange elements
 *   #empty                                  shown when there is nothing to show
 *   .toolbar button.action-clear, button.action-show-log
 */
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const list = /** @type {HTMLElement} */ (document.getElementById('verifications'));
  const otherSection = /** @type {HTMLElement} */ (document.getElementById('other'));
  const emptyNote = /** @type {HTMLElement} */ (document.getElementById('empty'));
  const toolbar = /** @type {HTMLElement} */ (document.querySelector('.toolbar-actions'));

  /** @type {Record<string, string>} */
  let S = {};
  try {
    S = JSON.parse(app.dataset.strings || '{}');
  } catch {
    S = {};
  }

  /** Persisted caps (the host re-validates whatever comes back after a reload). */
  const SAVE_EXCHANGES_PER_GROUP = 50;
  const SAVE_BODY_CHARS = 16 * 1024;

  /**
   * The model: groups by key (insertion order = display order), the other exchanges, the clock skew.
   * @type {{ groups: Map<string, any>, other: { exchanges: any[], hiddenExchanges: number }, maxPerGroup: number, skew: number }}
   */
  const model = { groups: new Map(), other: { exchanges: [], hiddenExchanges: 0 }, maxPerGroup: 200, skew: 0 };

  // ------------------------------------------------------------------ helpers

  /**
   * @param {string} template
   * @param {...(string|number)} args
   */
  function fmt(template, ...args) {
    return String(template || '').replace(/\{(\d+)\}/g, (m, i) => (Number(i) < args.length ? String(args[Number(i)]) : m));
  }

  /**
   * Creates an element with a class and optional text (always textContent).
   * @param {string} tag
   * @param {string} [className]
   * @param {string} [text]
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /**
   * @param {string} action
   * @param {string} label
   */
  function button(action, label) {
    const b = /** @type {HTMLButtonElement} */ (el('button', `action action-${action}`, label));
    b.type = 'button';
    b.dataset.action = action;
    return b;
  }

  /** @param {number} n */
  function bytes(n) {
    if (typeof n !== 'number' || !isFinite(n) || n < 0) return '?';
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  }

  /** @param {number} ms */
  function time(ms) {
    return typeof ms === 'number' && ms > 0 ? new Date(ms).toLocaleTimeString() : '—';
  }

  /** @param {number} epochMs host epoch ms */
  function secondsUntil(epochMs) {
    return Math.max(0, Math.ceil((epochMs - (Date.now() + model.skew)) / 1000));
  }

  /** @param {Record<string, string>} headers */
  function headerLines(headers) {
    return Object.entries(headers || {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  }

  /** @param {any} msg */
  function setSkew(msg) {
    if (typeof msg.hostNow === 'number') model.skew = msg.hostNow - Date.now();
  }

  // ------------------------------------------------------------------ verification groups

  /** @param {string} key */
  function findGroupNode(key) {
    for (const node of list.children) {
      if (/** @type {HTMLElement} */ (node).dataset.key === key) return /** @type {HTMLElement} */ (node);
    }
    return undefined;
  }

  /** @param {any} entry */
  function metaText(entry) {
    const parts = [];
    const livePending = entry.polling && (entry.phase === 'pending' || entry.phase === 'idle');
    if (livePending) {
      parts.push(S.polling || 'polling');
      if (entry.expiresAt > 0) parts.push(fmt(S.secondsLeft, secondsUntil(entry.expiresAt)));
      if (!entry.retry && typeof entry.nextCheckAt === 'number') parts.push(fmt(S.nextCheck, secondsUntil(entry.nextCheckAt)));
    } else if (entry.phase === 'pending') {
      parts.push(S.notPolling || 'not polling');
    }
    parts.push(`${S.checks || 'Checks'}: ${entry.attempt || 0}`);
    parts.push(`${S.lastStatus || 'Last HTTP status'}: ${entry.lastHttpStatus ?? '—'}`);
    parts.push(`${S.lastCheck || 'Last check'}: ${time(entry.lastCheckedAt)}`);
    return parts.join(' · ');
  }

  /**
   * Builds or updates the header of one group from its entry.
   * @param {HTMLElement} node
   * @param {any} entry
   */
  function renderEntry(node, entry) {
    node.dataset.phase = entry.phase;
    node.dataset.polling = String(!!entry.polling);
    const header = /** @type {HTMLElement} */ (node.querySelector('.verification-header'));
    header.replaceChildren();

    const title = el('div', 'verification-title');
    title.append(el('span', `verification-state phase-${entry.phase}`, entry.phase));
    title.append(el('span', 'verification-id', entry.verificationId));
    const who = el('span', 'verification-who');
    who.append(el('span', 'label', `${S.user || 'User'} `), el('span', 'verification-user', entry.userId));
    if (entry.deviceId) who.append(el('span', 'label', ` · ${S.device || 'Device'} `), el('span', 'verification-device', entry.deviceId));
    title.append(who);
    header.append(title);

    header.append(el('div', 'verification-meta', metaText(entry)));
    if (entry.phase === 'error' && entry.error) {
      const suffix = entry.error.requestId ? ` (x-request-id ${entry.error.requestId})` : '';
      header.append(el('div', 'verification-error', `${entry.error.kind}: ${entry.error.message}${suffix}`));
    } else if (entry.polling && entry.retry) {
      header.append(el('div', 'verification-error retrying', `${fmt(S.retrying, entry.retry.kind, Math.ceil(entry.retry.delayMs / 1000))}: ${entry.retry.message}`));
    }

    const actions = el('div', 'verification-actions');
    if (entry.polling) actions.append(button('stop', S.stop || 'Stop polling'));
    if (entry.userId && entry.verificationId) {
      actions.append(button('recheck', S.recheck || 'Re-check'));
      if (!entry.polling) actions.append(button('poll', S.poll || 'Poll'));
    }
    header.append(actions);
  }

  /**
   * @param {any} group
   * @param {boolean} prepend
   */
  function createGroupNode(group, prepend) {
    const node = el('section', 'verification');
    node.dataset.key = group.entry.key;
    node.dataset.userId = group.entry.userId;
    node.dataset.verificationId = group.entry.verificationId;
    node.append(el('div', 'verification-header'));
    node.append(el('p', 'exchanges-hidden'));
    node.append(el('div', 'exchanges'));
    if (prepend) list.prepend(node);
    else list.append(node);
    return node;
  }

  /**
   * @param {HTMLElement} node
   * @param {number} hidden
   */
  function renderHidden(node, hidden) {
    const p = /** @type {HTMLElement} */ (node.querySelector(':scope > .exchanges-hidden'));
    p.textContent = hidden > 0 ? fmt(S.hidden, hidden) : '';
    p.hidden = !(hidden > 0);
  }

  // ------------------------------------------------------------------ exchanges

  /**
   * Fills the body part of an exchange element (called when it is opened: long histories stay light).
   * @param {HTMLElement} details
   * @param {any} x
   */
  function fillBody(details, x) {
    if (details.dataset.filled === 'true') return;
    details.dataset.filled = 'true';
    const content = /** @type {HTMLElement} */ (details.querySelector('.exchange-content'));

    if (x.error) content.append(el('div', 'exchange-error', `${x.error.kind}: ${x.error.message}`));

    content.append(el('h4', 'section-title', S.requestHeaders || 'Request headers'));
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
    if (x.bodyTruncatedByClient) notes.push(S.clientTruncated);
    if (x.restored) notes.push(S.restored);
    const note = el('p', 'exchange-body-note', notes.join(' '));
    note.hidden = notes.length === 0;
    content.append(note);

    const pre = el('pre', `exchange-body body-${x.bodyKind}`);
    pre.textContent = x.bodyKind === 'empty' ? S.emptyBody || '(empty body)' : x.body;
    content.append(pre);
  }

  /** @param {any} x */
  function createExchangeNode(x) {
    const details = /** @type {HTMLDetailsElement} */ (el('details', 'exchange'));
    details.dataset.exchangeId = String(x.id);
    details.dataset.status = typeof x.status === 'number' ? String(x.status) : 'none';
    const statusClass = typeof x.status === 'number' ? `status-${Math.floor(x.status / 100)}xx` : 'status-none';
    details.classList.add(statusClass);

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

  /**
   * Appends exchanges to a container, keeping only the newest one auto-opened.
   * @param {HTMLElement} container
   * @param {any[]} exchanges
   */
  function appendExchanges(container, exchanges) {
    if (exchanges.length === 0) return;
    for (const prev of container.querySelectorAll(':scope > details.exchange[data-auto-open]')) {
      /** @type {HTMLDetailsElement} */ (prev).open = false;
      delete (/** @type {HTMLElement} */ (prev).dataset.autoOpen);
    }
    let last;
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

  /**
   * Keeps at most model.maxPerGroup exchange elements; returns how many were removed.
   * @param {HTMLElement} container
   */
  function capExchanges(container) {
    let removed = 0;
    while (container.children.length > model.maxPerGroup) {
      container.firstElementChild?.remove();
      removed++;
    }
    return removed;
  }

  function renderOther() {
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

  function renderEmpty() {
    const empty = model.groups.size === 0 && model.other.exchanges.length === 0;
    emptyNote.textContent = empty ? S.empty || '' : '';
    emptyNote.hidden = !empty;
  }

  // ------------------------------------------------------------------ messages from the host

  /** @param {any} snapshot */
  function renderSnapshot(snapshot) {
    const openIds = new Set();
    for (const d of document.querySelectorAll('details.exchange[open]:not([data-auto-open])')) openIds.add(/** @type {HTMLElement} */ (d).dataset.exchangeId);
    model.groups.clear();
    list.replaceChildren();
    if (snapshot.limits && typeof snapshot.limits.maxExchangesPerGroup === 'number') model.maxPerGroup = snapshot.limits.maxExchangesPerGroup;
    for (const g of Array.isArray(snapshot.groups) ? snapshot.groups : []) {
      if (!g || !g.entry || typeof g.entry.key !== 'string') continue;
      const group = { entry: g.entry, exchanges: Array.isArray(g.exchanges) ? g.exchanges.slice() : [], hiddenExchanges: g.hiddenExchanges || 0 };
      model.groups.set(group.entry.key, group);
      const node = createGroupNode(group, false);
      renderEntry(node, group.entry);
      renderHidden(node, group.hiddenExchanges);
      appendExchanges(/** @type {HTMLElement} */ (node.querySelector('.exchanges')), group.exchanges);
    }
    const other = snapshot.other || {};
    model.other = { exchanges: Array.isArray(other.exchanges) ? other.exchanges.slice() : [], hiddenExchanges: other.hiddenExchanges || 0 };
    renderOther();
    // Exchanges the user had opened stay open across a snapshot.
    for (const d of document.querySelectorAll('details.exchange')) {
      if (openIds.has(/** @type {HTMLElement} */ (d).dataset.exchangeId)) /** @type {HTMLDetailsElement} */ (d).open = true;
    }
    renderEmpty();
    updateTicker();
  }

  /** @param {any} entry */
  function onEntry(entry) {
    let group = model.groups.get(entry.key);
    let node = findGroupNode(entry.key);
    if (!group || !node) {
      group = { entry, exchanges: [], hiddenExchanges: 0 };
      model.groups = new Map([[entry.key, group], ...model.groups]);
      node = createGroupNode(group, true);
      renderHidden(node, 0);
    }
    group.entry = entry;
    renderEntry(node, entry);
    renderEmpty();
    updateTicker();
  }

  /** @param {any} msg */
  function onExchange(msg) {
    const x = msg.exchange;
    if (msg.key === '*other*') {
      model.other.exchanges.push(x);
      model.other.hiddenExchanges = msg.hiddenExchanges || 0;
      if (model.other.exchanges.length > model.maxPerGroup) model.other.exchanges.splice(0, model.other.exchanges.length - model.maxPerGroup);
      renderOther();
      renderEmpty();
      return;
    }
    let group = model.groups.get(msg.key);
    let node = findGroupNode(msg.key);
    if (!group || !node) {
      const [userId = '', verificationId = ''] = String(msg.key).split('/');
      const entry = { key: msg.key, userId, verificationId, phase: 'idle', polling: false, source: 'exchangesOnly', attempt: 0, expiresAt: 0 };
      group = { entry, exchanges: [], hiddenExchanges: 0 };
      model.groups = new Map([[msg.key, group], ...model.groups]);
      node = createGroupNode(group, true);
      renderEntry(node, entry);
    }
    group.exchanges.push(x);
    if (group.exchanges.length > model.maxPerGroup) group.exchanges.splice(0, group.exchanges.length - model.maxPerGroup);
    group.hiddenExchanges = msg.hiddenExchanges || 0;
    const container = /** @type {HTMLElement} */ (node.querySelector('.exchanges'));
    appendExchanges(container, [x]);
    capExchanges(container);
    renderHidden(node, group.hiddenExchanges);
    renderEmpty();
  }

  /** False while showing saved state from before a reload: its exchange ids are stale until the host's snapshot. */
  let live = false;

  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    if (msg.type === 'snapshot') live = true;
    setSkew(msg);
    switch (msg.type) {
      case 'snapshot':
        renderSnapshot(msg);
        break;
      case 'entry':
        if (msg.entry && typeof msg.entry.key === 'string') onEntry(msg.entry);
        break;
      case 'exchange':
        if (msg.exchange && typeof msg.key === 'string') onExchange(msg);
        break;
      default:
        return;
    }
    scheduleSave();
  });

  // ------------------------------------------------------------------ buttons

  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('button[data-action]') : null);
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    if (!live) return;
    const action = target.dataset.action;
    const exchange = /** @type {HTMLElement | null} */ (target.closest('.exchange'));
    const group = /** @type {HTMLElement | null} */ (target.closest('.verification'));
    const exchangeId = exchange ? Number(exchange.dataset.exchangeId) : NaN;
    switch (action) {
      case 'copy':
        if (exchangeId > 0) vscode.postMessage({ type: 'copyBody', exchangeId });
        break;
      case 'open':
        if (exchangeId > 0) vscode.postMessage({ type: 'openBody', exchangeId });
        break;
      case 'stop':
        if (group) vscode.postMessage({ type: 'stopPoll', key: group.dataset.key });
        break;
      case 'recheck':
        if (group) vscode.postMessage({ type: 'recheck', userId: group.dataset.userId, verificationId: group.dataset.verificationId });
        break;
      case 'poll':
        if (group) vscode.postMessage({ type: 'poll', userId: group.dataset.userId, verificationId: group.dataset.verificationId });
        break;
      case 'clear':
        vscode.postMessage({ type: 'clearFinished' });
        break;
      case 'show-log':
        vscode.postMessage({ type: 'showLog' });
        break;
    }
  });

  toolbar.append(button('clear', S.clear || 'Clear finished'), button('show-log', S.showLog || 'Show log'));

  // ------------------------------------------------------------------ countdown

  /** @type {ReturnType<typeof setInterval> | undefined} */
  let ticker;

  function updateTicker() {
    const anyPending = [...model.groups.values()].some((g) => g.entry.polling && (g.entry.phase === 'pending' || g.entry.phase === 'idle'));
    if (anyPending && ticker === undefined) {
      ticker = setInterval(() => {
        for (const g of model.groups.values()) {
          if (!g.entry.polling) continue;
          const node = findGroupNode(g.entry.key);
          const meta = node && node.querySelector('.verification-meta');
          if (meta) meta.textContent = metaText(g.entry);
        }
      }, 1000);
    } else if (!anyPending && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  // ------------------------------------------------------------------ saved state (reload)

  /** @param {any} x */
  function trimExchange(x) {
    if (typeof x.body !== 'string' || x.body.length <= SAVE_BODY_CHARS) return x;
    const total = x.bodyCut ? x.bodyCut.totalChars : x.body.length;
    return { ...x, body: x.body.slice(0, SAVE_BODY_CHARS), bodyCut: { shownChars: SAVE_BODY_CHARS, totalChars: total } };
  }

  /** @param {any[]} exchanges */
  function trimList(exchanges) {
    return exchanges.slice(-SAVE_EXCHANGES_PER_GROUP).map(trimExchange);
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let saveTimer;
  function scheduleSave() {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      const groups = [...model.groups.values()].map((g) => ({
        entry: g.entry,
        exchanges: trimList(g.exchanges),
        hiddenExchanges: (g.hiddenExchanges || 0) + Math.max(0, g.exchanges.length - SAVE_EXCHANGES_PER_GROUP),
      }));
      const other = {
        exchanges: trimList(model.other.exchanges),
        hiddenExchanges: (model.other.hiddenExchanges || 0) + Math.max(0, model.other.exchanges.length - SAVE_EXCHANGES_PER_GROUP),
      };
      vscode.setState({ version: 1, groups, other });
    }, 300);
  }

  // ------------------------------------------------------------------ start

  const saved = vscode.getState();
  if (saved && saved.version === 1) {
    try {
      renderSnapshot(saved);
    } catch {
      renderSnapshot({ groups: [] });
    }
  } else {
    renderEmpty();
  }
  vscode.postMessage({ type: 'ready' });
})();

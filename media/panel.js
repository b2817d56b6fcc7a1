// @ts-check
/* global acquireVsCodeApi, window, document, Element, setTimeout, clearTimeout, setInterval, clearInterval */
/**
 * The OneLogin MFA panel, webview side. It renders what the extension host posts and nothing else:
 * no network (the CSP has no connect-src), no innerHTML anywhere: every value from the API is put in
 * the page with textContent, so a body like "<img src=x onerror=alert(1)>" shows as text.
 *
 * Protocol (see src/panel/messages.ts): the script posts {type:'ready'} when it runs; the host answers
 * with a 'snapshot', then 'entry' (a verification's state) and 'exchange' (one request/response) as they
 * happen, plus 'rateLimit' (the gauge), 'history' (past verifications) and 'devices' (List Devices).
 * Buttons post copyBody / openBody / copyCurl / stopPoll / recheck / poll / enterOtp / clearFinished /
 * showLog / exportLog / clearHistory / sendVerification.
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
 *     .verification-trigger                 sent from here: device, OneLogin's expires_at, the local deadline
 *     button.action-stop / .action-recheck / .action-poll / .action-enter-otp
 *     .exchanges-hidden                     "N older requests are not shown" (when the history was capped)
 *     .exchanges > details.exchange[data-exchange-id][data-status]   oldest first
 *       .exchange-method, .exchange-path, .exchange-status, .exchange-duration, .exchange-size,
 *       .exchange-request-id, .exchange-error
 *       .exchange-request-headers, .exchange-request-body, .exchange-response-headers (pre, "name: value" lines)
 *       .exchange-body (pre)                the response body; filled when the details element is open
 *                                           (the newest exchange of each group is open)
 *       .exchange-body-note                 what was cut / omitted / restored
 *       button.action-copy, button.action-open
 *       button.action-copy-curl             "Copy as cURL" (placeholders instead of credentials; built by the host)
 *       button.action-raw[aria-pressed]     Raw / Pretty of a JSON body (view only; nothing posted)
 *       .exchange-body .json-view           JSON tokens (see media/jsonView.js), button.json-toggle folds
 *     details.exchange[data-selected="true"]  the exchange last picked (posts selectExchange)
 *   #other.other                            "Other requests" (token requests, ...): .exchange elements
 *   #empty                                  shown when there is nothing to show
 *   .toolbar button.action-clear, button.action-show-log, button.action-export-json, button.action-export-har
 *   .toolbar .rate-limit-gauge[data-level="ok|low|exhausted|unknown"]   X-RateLimit-Remaining / -Limit, reset time
 *   #factors.factors                        the last "List Devices": .factors-title,
 *     .device[data-device-id][data-kind="push|call|code|unknown"] (.device-label, .device-type,
 *     .device-default, .device-needs-code, button.action-send), .factor[data-factor-id]
 *   #history.history                        past verifications (no secrets): .history-title, button.action-clear-history,
 *     .history-note, .history-entry[data-key][data-phase] (.history-phase, .history-ids, .history-device,
 *     .history-time, .history-attempts, button.action-recheck)
 */
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const list = /** @type {HTMLElement} */ (document.getElementById('verifications'));
  const otherSection = /** @type {HTMLElement} */ (document.getElementById('other'));
  const emptyNote = /** @type {HTMLElement} */ (document.getElementById('empty'));
  const toolbar = /** @type {HTMLElement} */ (document.querySelector('.toolbar-actions'));
  const gaugeNode = /** @type {HTMLElement} */ (document.querySelector('.rate-limit-gauge'));
  const factorsSection = /** @type {HTMLElement} */ (document.getElementById('factors'));
  const historySection = /** @type {HTMLElement} */ (document.getElementById('history'));

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
   * @type {{ groups: Map<string, any>, other: { exchanges: any[], hiddenExchanges: number }, maxPerGroup: number, maxGroups: number, skew: number, rateLimit?: any, history?: any, devices?: any }}
   */
  const model = { groups: new Map(), other: { exchanges: [], hiddenExchanges: 0 }, maxPerGroup: 200, maxGroups: 50, skew: 0 };

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
    if (entry.tenant) who.append(el('span', 'label', ` · ${S.tenant || 'Tenant'} `), el('span', 'verification-tenant', entry.tenant));
    title.append(who);
    header.append(title);

    header.append(el('div', 'verification-meta', metaText(entry)));
    if (entry.phase === 'error' && entry.error) {
      const suffix = entry.error.requestId ? ` (x-request-id ${entry.error.requestId})` : '';
      header.append(el('div', 'verification-error', `${entry.error.kind}: ${entry.error.message}${suffix}`));
    } else if (entry.polling && entry.retry) {
      header.append(el('div', 'verification-error retrying', `${fmt(S.retrying, entry.retry.kind, Math.ceil(entry.retry.delayMs / 1000))}: ${entry.retry.message}`));
    }
    if (entry.triggered) header.append(el('div', 'verification-trigger', triggerText(entry)));

    const actions = el('div', 'verification-actions');
    if (entry.polling) actions.append(button('stop', S.stop || 'Stop polling'));
    if (entry.userId && entry.verificationId) {
      actions.append(button('recheck', S.recheck || 'Re-check'));
      if (!entry.polling) actions.append(button('poll', S.poll || 'Poll'));
      if (offersOtp(entry)) actions.append(button('enter-otp', S.enterOtp || 'Enter OTP…'));
    }
    header.append(actions);
  }

  /**
   * "Enter OTP…" for a verification still open to a code: pending or expired, and either sent to a
   * factor that takes codes, sent from here, or expired (the OTP fallback).
   * @param {any} entry
   */
  function offersOtp(entry) {
    const open = entry.phase === 'pending' || entry.phase === 'expired' || (entry.phase === 'idle' && entry.triggered);
    return open && (entry.acceptsCode === true || entry.triggered === true || entry.phase === 'expired');
  }

  /** @param {any} entry */
  function triggerText(entry) {
    const parts = [S.sentHere || 'sent from here'];
    if (entry.deviceLabel) parts.push(entry.deviceLabel);
    if (entry.acceptsCode) parts.push(S.needsCode || 'needs a code');
    if (typeof entry.serverExpiresAt === 'string') {
      const at = Date.parse(entry.serverExpiresAt);
      parts.push(fmt(S.serverExpiresAt || 'OneLogin expires_at {0}', isFinite(at) ? `${entry.serverExpiresAt} (${new Date(at).toLocaleTimeString()})` : entry.serverExpiresAt));
    }
    if (entry.expiresAt > 0) parts.push(fmt(S.deadlineLocal || 'watched until {0}', new Date(entry.expiresAt - model.skew).toLocaleTimeString()));
    return parts.join(' · ');
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

  /** @param {string} text */
  function jsonView(text) {
    const view = /** @type {any} */ (window).OneLoginJsonView;
    return view ? view.render(text, jsonLabels()) : undefined;
  }

  function jsonLabels() {
    return { expand: S.expand, collapse: S.collapse, keys: S.keys, items: S.items };
  }

  /**
   * Raw / Pretty of one response body.
   * @param {HTMLElement} details
   * @param {HTMLButtonElement} rawButton
   */
  function toggleRaw(details, rawButton) {
    const pre = /** @type {HTMLElement | null} */ (details.querySelector('.exchange-body'));
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

  /** @param {number} id */
  function findExchange(id) {
    for (const g of model.groups.values()) for (const x of g.exchanges) if (x.id === id) return x;
    return model.other.exchanges.find((x) => x.id === id);
  }

  /** @param {any} x */
  function createExchangeNode(x) {
    const details = /** @type {HTMLDetailsElement} */ (el('details', 'exchange'));
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

  // ------------------------------------------------------------------ gauge, devices, history

  /** @param {any} gauge */
  function renderGauge(gauge) {
    model.rateLimit = gauge && typeof gauge === 'object' ? gauge : undefined;
    const g = model.rateLimit;
    if (!g || (typeof g.remaining !== 'number' && typeof g.limit !== 'number')) {
      gaugeNode.hidden = true;
      gaugeNode.textContent = '';
      return;
    }
    const parts = [
      typeof g.limit === 'number' && typeof g.remaining === 'number'
        ? fmt(S.rateLimit || 'Rate limit: {0} of {1} left', g.remaining, g.limit)
        : fmt(S.rateLimitRemaining || 'Rate limit: {0} left', typeof g.remaining === 'number' ? g.remaining : '?'),
    ];
    if (typeof g.resetAt === 'number') parts.push(fmt(S.rateLimitReset || 'resets at {0}', new Date(g.resetAt - model.skew).toLocaleTimeString()));
    // The budget guard stretches poll intervals: say so, and by how much.
    const w = g.slowed && typeof g.slowed === 'object' ? g.slowed : undefined;
    if (w && typeof w.factor === 'number') parts.push(fmt(S.rateLimitSlowed || 'polling slowed ×{0} (every {1} s) to protect the rate limit', w.factor, w.intervalSeconds));
    gaugeNode.textContent = parts.join(' · ');
    gaugeNode.title = S.rateLimitTitle || '';
    gaugeNode.dataset.level = typeof g.level === 'string' ? g.level : 'unknown';
    gaugeNode.dataset.slowed = w ? 'true' : 'false';
    gaugeNode.hidden = false;
  }

  /** @param {any} devices */
  function renderDevices(devices) {
    model.devices = devices && typeof devices === 'object' && typeof devices.userId === 'string' ? devices : undefined;
    factorsSection.replaceChildren();
    const d = model.devices;
    factorsSection.hidden = !d;
    if (!d) return;
    factorsSection.dataset.userId = d.userId;
    factorsSection.append(el('h2', 'factors-title', fmt(S.devicesTitle || 'Devices of user {0}', d.userId)));
    const rows = Array.isArray(d.devices) ? d.devices : [];
    if (rows.length === 0) factorsSection.append(el('p', 'factors-note', S.noDevices || 'No enrolled device.'));
    const listNode = el('ul', 'devices');
    for (const dev of rows) {
      if (!dev || typeof dev.deviceId !== 'string') continue;
      const li = el('li', 'device');
      li.dataset.deviceId = dev.deviceId;
      li.dataset.kind = typeof dev.kind === 'string' ? dev.kind : 'unknown';
      li.append(el('span', 'device-label', String(dev.label || dev.deviceId)));
      if (dev.type) li.append(el('span', 'device-type', String(dev.type)));
      if (dev.isDefault) li.append(el('span', 'device-default badge', S.defaultDevice || 'default'));
      if (dev.kind === 'code') li.append(el('span', 'device-needs-code badge', S.needsCode || 'needs a code'));
      li.append(el('span', 'device-id', dev.deviceId));
      li.append(button('send', S.send || 'Send verification'));
      listNode.append(li);
    }
    factorsSection.append(listNode);
    const factors = Array.isArray(d.factors) ? d.factors : [];
    if (factors.length > 0 || d.factorsError) {
      factorsSection.append(el('h3', 'factors-subtitle', S.factorsTitle || 'Factors the user may enroll'));
      if (d.factorsError) factorsSection.append(el('p', 'factors-note', String(d.factorsError)));
      const fl = el('ul', 'factor-list');
      for (const f of factors) {
        if (!f || typeof f.factorId !== 'string') continue;
        const li = el('li', 'factor', f.authFactorName && f.authFactorName !== f.name ? `${f.name} (${f.authFactorName})` : String(f.name));
        li.dataset.factorId = f.factorId;
        fl.append(li);
      }
      factorsSection.append(fl);
    }
  }

  /** @param {any} history */
  function renderHistory(history) {
    model.history = history && typeof history === 'object' ? history : undefined;
    historySection.replaceChildren();
    const h = model.history;
    historySection.hidden = !h;
    if (!h) return;
    const title = el('h2', 'history-title', S.history || 'History');
    const entries = Array.isArray(h.entries) ? h.entries : [];
    if (entries.length > 0) {
      const actions = el('span', 'history-actions');
      actions.append(button('clear-history', S.clearHistory || 'Clear history'));
      title.append(actions);
    }
    historySection.append(title);
    if (!h.enabled || entries.length === 0) {
      historySection.append(el('p', 'history-note', h.enabled ? S.historyEmpty || 'No past verifications yet.' : S.historyOff || 'The history is off.'));
      return;
    }
    const listNode = el('ul', 'history-list');
    for (const e of entries) {
      if (!e || typeof e.key !== 'string') continue;
      const li = el('li', 'history-entry');
      li.dataset.key = e.key;
      li.dataset.phase = String(e.phase);
      li.dataset.userId = String(e.userId);
      li.dataset.verificationId = String(e.verificationId);
      li.append(el('span', `history-phase verification-state phase-${e.phase}`, String(e.phase)));
      li.append(el('span', 'history-ids', `${e.verificationId} · ${S.user || 'User'} ${e.userId}${e.tenant ? ` · ${S.tenant || 'Tenant'} ${e.tenant}` : ''}`));
      if (e.deviceId) li.append(el('span', 'history-device', `${S.device || 'Device'} ${e.deviceId}`));
      li.append(el('span', 'history-time', `${time(e.startedAt)} – ${time(e.endedAt)}`));
      li.append(el('span', 'history-attempts', fmt(S.attempts || '{0} checks', e.attempts || 0)));
      li.append(button('recheck', S.recheck || 'Re-check'));
      listNode.append(li);
    }
    historySection.append(listNode);
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
    if (snapshot.limits && typeof snapshot.limits.maxGroups === 'number') model.maxGroups = snapshot.limits.maxGroups;
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
    if ('rateLimit' in snapshot) renderGauge(snapshot.rateLimit);
    if ('history' in snapshot) renderHistory(snapshot.history);
    if ('devices' in snapshot) renderDevices(snapshot.devices);
    // Exchanges the user had opened stay open across a snapshot.
    for (const d of document.querySelectorAll('details.exchange')) {
      if (openIds.has(/** @type {HTMLElement} */ (d).dataset.exchangeId)) /** @type {HTMLDetailsElement} */ (d).open = true;
    }
    renderEmpty();
    updateTicker();
  }

  /**
   * The host keeps at most maxGroups verifications and drops the oldest; so does the view (and so its
   * saved state stays bounded). Running polls are never dropped.
   */
  function trimGroups() {
    if (model.groups.size <= model.maxGroups) return;
    const keys = [...model.groups.keys()];
    for (let i = keys.length - 1; i >= 0 && model.groups.size > model.maxGroups; i--) {
      const g = model.groups.get(keys[i]);
      if (g && g.entry && g.entry.polling) continue;
      model.groups.delete(keys[i]);
      findGroupNode(keys[i])?.remove();
    }
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
      group.entry = entry;
      trimGroups();
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
      const [userId = '', verificationId = '', tenant] = String(msg.key).split('/');
      const entry = { key: msg.key, userId, verificationId, tenant, phase: 'idle', polling: false, source: 'exchangesOnly', attempt: 0, expiresAt: 0 };
      group = { entry, exchanges: [], hiddenExchanges: 0 };
      model.groups = new Map([[msg.key, group], ...model.groups]);
      node = createGroupNode(group, true);
      renderEntry(node, entry);
      trimGroups();
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

  /**
   * Applies one message from the host; returns whether the saved state changed.
   * @param {any} msg
   * @returns {boolean}
   */
  function apply(msg) {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return false;
    if (msg.type === 'snapshot') live = true;
    setSkew(msg);
    switch (msg.type) {
      case 'snapshot':
        renderSnapshot(msg);
        return true;
      case 'entry':
        if (msg.entry && typeof msg.entry.key === 'string') onEntry(msg.entry);
        return true;
      case 'exchange':
        if (msg.exchange && typeof msg.key === 'string') onExchange(msg);
        return true;
      case 'rateLimit':
        renderGauge(msg.gauge);
        return false;
      case 'history':
        renderHistory(msg.history);
        return false;
      case 'devices':
        renderDevices(msg.devices);
        return false;
      default:
        return false;
    }
  }

  window.addEventListener('message', (event) => {
    const msg = event.data;
    // A batch holds updates only (never a snapshot or another batch).
    const messages = msg && msg.type === 'batch' && Array.isArray(msg.messages) ? msg.messages.filter((/** @type {any} */ m) => m && m.type !== 'snapshot' && m.type !== 'batch') : [msg];
    let changed = false;
    for (const m of messages) changed = apply(m) || changed;
    if (changed) scheduleSave();
  });

  // ------------------------------------------------------------------ buttons

  /**
   * Marks one exchange as the selected one (the editor-title "Copy as cURL" copies it) and tells the host.
   * @param {HTMLElement} details
   * @param {boolean} [post] false when the message that follows tells the host anyway (copyCurl)
   */
  function select(details, post = true) {
    const id = Number(details.dataset.exchangeId);
    if (!(id > 0) || details.dataset.selected === 'true') return;
    for (const d of document.querySelectorAll('.exchange[data-selected="true"]')) {
      delete (/** @type {HTMLElement} */ (d).dataset.selected);
      d.querySelector('summary')?.removeAttribute('aria-current');
    }
    details.dataset.selected = 'true';
    details.querySelector('summary')?.setAttribute('aria-current', 'true');
    if (live && post) vscode.postMessage({ type: 'selectExchange', exchangeId: id });
  }

  document.addEventListener('click', (event) => {
    const summary = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('summary.exchange-summary') : null);
    if (summary && summary.parentElement) select(summary.parentElement);
    const target = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('button[data-action]') : null);
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    const action = target.dataset.action;
    // View-only actions: nothing is posted, so they work on saved state too.
    if (action === 'json-toggle') {
      /** @type {any} */ (window).OneLoginJsonView?.toggle(target, jsonLabels());
      return;
    }
    if (action === 'raw') {
      const details = /** @type {HTMLElement | null} */ (target.closest('.exchange'));
      if (details) toggleRaw(details, /** @type {HTMLButtonElement} */ (target));
      return;
    }
    if (!live) return;
    const exchange = /** @type {HTMLElement | null} */ (target.closest('.exchange'));
    const group = /** @type {HTMLElement | null} */ (target.closest('.verification'));
    const past = /** @type {HTMLElement | null} */ (target.closest('.history-entry'));
    const device = /** @type {HTMLElement | null} */ (target.closest('.device'));
    const ids = group || past;
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
        if (ids) vscode.postMessage({ type: 'recheck', userId: ids.dataset.userId, verificationId: ids.dataset.verificationId });
        break;
      case 'copy-curl':
        if (exchange) select(exchange, false);
        if (exchangeId > 0) vscode.postMessage({ type: 'copyCurl', exchangeId });
        break;
      case 'enter-otp':
        if (group) vscode.postMessage({ type: 'enterOtp', userId: group.dataset.userId, verificationId: group.dataset.verificationId });
        break;
      case 'send':
        if (device && factorsSection.dataset.userId) vscode.postMessage({ type: 'sendVerification', userId: factorsSection.dataset.userId, deviceId: device.dataset.deviceId });
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

  // Landmarks and labels for screen readers (the strings are localized on the host).
  list.setAttribute('aria-label', S.regionVerifications || 'Verifications');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', S.regionToolbar || 'Panel actions');
  otherSection.setAttribute('aria-label', S.other || 'Other requests');
  historySection.setAttribute('aria-label', S.history || 'History');
  factorsSection.setAttribute('aria-label', S.devicesTitle ? fmt(S.devicesTitle, '').trim() : 'Devices');

  toolbar.append(
    button('export-json', S.exportJson || 'Export JSON'),
    button('export-har', S.exportHar || 'Export HAR'),
    button('clear', S.clear || 'Clear finished'),
    button('show-log', S.showLog || 'Show log'),
  );

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

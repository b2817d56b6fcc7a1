/** The toolbar's rate-limit gauge, the devices of the last "List Devices", and the history of past verifications. */
import type { DevicesView, GaugeView, HistoryView } from '../panel/messages';
import { button, el, fmt, time } from './dom';
import { model } from './model';
import { factorsSection, gaugeNode, historySection, S } from './shell';

export function renderGauge(gauge: GaugeView | undefined): void {
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

export function renderDevices(devices: DevicesView | undefined): void {
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

export function renderHistory(history: HistoryView | undefined): void {
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

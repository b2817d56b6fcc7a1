/**
 * Messages from the host, applied to the model and the page: a snapshot replaces everything (so does the
 * saved state on start), the updates change one part.
 */
import { OTHER_KEY, placeholderEntry, type EntryView, type ExchangeMessage, type HostMessage, type SnapshotMessage } from '../panel/messages';
import { appendExchanges, capExchanges, renderOther } from './exchanges';
import { createGroupNode, findGroupNode, renderEntry, renderHidden, updateTicker } from './groups';
import { model, setSkew } from './model';
import { renderDevices, renderGauge, renderHistory } from './sections';
import { emptyNote, list, S } from './shell';

/** A snapshot from the host, or the saved state (which has only groups and other). */
export type SnapshotLike = Partial<Omit<SnapshotMessage, 'type' | 'hostNow'>>;

export function renderEmpty(): void {
  const empty = model.groups.size === 0 && model.other.exchanges.length === 0;
  emptyNote.textContent = empty ? S.empty || '' : '';
  emptyNote.hidden = !empty;
}

export function renderSnapshot(snapshot: SnapshotLike): void {
  const openIds = new Set<string | undefined>();
  for (const d of document.querySelectorAll<HTMLElement>('details.exchange[open]:not([data-auto-open])')) openIds.add(d.dataset.exchangeId);
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
    appendExchanges(node.querySelector('.exchanges') as HTMLElement, group.exchanges);
  }
  const other: Partial<SnapshotMessage['other']> = snapshot.other || {};
  model.other = { exchanges: Array.isArray(other.exchanges) ? other.exchanges.slice() : [], hiddenExchanges: other.hiddenExchanges || 0 };
  renderOther();
  if ('rateLimit' in snapshot) renderGauge(snapshot.rateLimit);
  if ('history' in snapshot) renderHistory(snapshot.history);
  if ('devices' in snapshot) renderDevices(snapshot.devices);
  // Exchanges the user had opened stay open across a snapshot.
  for (const d of document.querySelectorAll<HTMLDetailsElement>('details.exchange')) {
    if (openIds.has(d.dataset.exchangeId)) d.open = true;
  }
  renderEmpty();
  updateTicker();
}

/**
 * The host keeps at most maxGroups verifications and drops the oldest; so does the view (and so its
 * saved state stays bounded). Running polls are never dropped.
 */
function trimGroups(): void {
  if (model.groups.size <= model.maxGroups) return;
  const keys = [...model.groups.keys()];
  for (let i = keys.length - 1; i >= 0 && model.groups.size > model.maxGroups; i--) {
    const g = model.groups.get(keys[i]);
    if (g && g.entry && g.entry.polling) continue;
    model.groups.delete(keys[i]);
    findGroupNode(keys[i])?.remove();
  }
}

function onEntry(entry: EntryView): void {
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

function onExchange(msg: ExchangeMessage): void {
  const x = msg.exchange;
  if (msg.key === OTHER_KEY) {
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
    const entry = placeholderEntry(msg.key);
    group = { entry, exchanges: [], hiddenExchanges: 0 };
    model.groups = new Map([[msg.key, group], ...model.groups]);
    node = createGroupNode(group, true);
    renderEntry(node, entry);
    trimGroups();
  }
  group.exchanges.push(x);
  if (group.exchanges.length > model.maxPerGroup) group.exchanges.splice(0, group.exchanges.length - model.maxPerGroup);
  group.hiddenExchanges = msg.hiddenExchanges || 0;
  const container = node.querySelector('.exchanges') as HTMLElement;
  appendExchanges(container, [x]);
  capExchanges(container);
  renderHidden(node, group.hiddenExchanges);
  renderEmpty();
}

/** Applies one message from the host (unchecked input: anything malformed is skipped); returns whether the saved state changed. */
export function apply(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string') return false;
  const msg = raw as HostMessage;
  if (msg.type === 'snapshot') model.live = true;
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

/** The messages in one posted message: a batch holds updates only (never a snapshot or another batch). */
export function unbatch(data: unknown): unknown[] {
  const msg = data as { type?: unknown; messages?: unknown } | null | undefined;
  return msg && msg.type === 'batch' && Array.isArray(msg.messages) ? msg.messages.filter((m: { type?: unknown } | null | undefined) => m && m.type !== 'snapshot' && m.type !== 'batch') : [msg];
}

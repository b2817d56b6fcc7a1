/**
 * The snapshot the webview renders from after 'ready' or when it becomes visible again, kept within a
 * size budget so one message never carries every body the log holds.
 */
import type { VerificationEntry } from '../verification/store';
import type { ExchangeLog } from '../records/exchangeLog';
import { OTHER_KEY, type ExchangeView, type GroupView, type SnapshotMessage } from './messages';
import { placeholderEntry } from './messages';
import { entryView } from './views';

/**
 * Everything the webview needs after 'ready' or when it becomes visible again: the groups (entries
 * newest first, plus groups that only have exchanges), the other exchanges, and the limits. Bodies
 * beyond the snapshot budget (oldest first) are omitted; they can still be opened in an editor.
 */
export function buildSnapshot(
  entries: readonly VerificationEntry[],
  log: ExchangeLog,
  hostNow: number,
  extras: Pick<SnapshotMessage, 'rateLimit' | 'history' | 'devices'> = {},
): SnapshotMessage {
  const groups: GroupView[] = entries.map((e) => ({ entry: entryView(e), ...log.group(e.key) }));
  const known = new Set(entries.map((e) => e.key));
  for (const key of log.keys()) {
    if (key !== OTHER_KEY && !known.has(key)) groups.unshift({ entry: placeholderEntry(key), ...log.group(key) });
  }
  const other = log.group(OTHER_KEY);
  applyBodyBudget([...groups.map((g) => g.exchanges), other.exchanges], log.limits.snapshotBodyBudget);
  const snapshot: SnapshotMessage = {
    type: 'snapshot',
    hostNow,
    groups,
    other,
    limits: { maxExchangesPerGroup: log.limits.maxExchangesPerGroup, previewChars: log.limits.previewChars, maxGroups: log.limits.maxGroups },
  };
  if (extras.rateLimit) snapshot.rateLimit = extras.rateLimit;
  if (extras.history) snapshot.history = extras.history;
  if (extras.devices) snapshot.devices = extras.devices;
  return snapshot;
}

/** Newest exchanges keep their bodies until the budget is spent; older ones get `bodyOmitted`. */
function applyBodyBudget(lists: ExchangeView[][], budget: number): void {
  const all = lists.flatMap((list) => list.map((v, index) => ({ list, index, v })));
  all.sort((a, b) => b.v.id - a.v.id);
  let spent = 0;
  for (const item of all) {
    spent += item.v.body.length;
    if (spent > budget && item.v.body.length > 0) {
      item.list[item.index] = { ...item.v, body: '', bodyOmitted: true };
    }
  }
}

/**
 * The saved state (setState): what the panel shows, trimmed to the caps the host restores (LIMITS), so a
 * reload shows it at once. It never holds a secret: the host redacts before posting.
 */
import { LIMITS, type ExchangeView, type SavedState } from '../panel/messages';
import { renderEmpty, renderSnapshot } from './apply';
import { model } from './model';
import { vscode } from './shell';

const SAVE_EXCHANGES_PER_GROUP = LIMITS.restoredExchangesPerGroup;
const SAVE_BODY_CHARS = LIMITS.restoredBodyChars;

function trimExchange(x: ExchangeView): ExchangeView {
  if (typeof x.body !== 'string' || x.body.length <= SAVE_BODY_CHARS) return x;
  const total = x.bodyCut ? x.bodyCut.totalChars : x.body.length;
  return { ...x, body: x.body.slice(0, SAVE_BODY_CHARS), bodyCut: { shownChars: SAVE_BODY_CHARS, totalChars: total } };
}

function trimList(exchanges: ExchangeView[]): ExchangeView[] {
  return exchanges.slice(-SAVE_EXCHANGES_PER_GROUP).map(trimExchange);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;

/** Saves 300 ms after the last change. */
export function scheduleSave(): void {
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

/** Shows the state saved before a reload (unchecked: anything unreadable shows an empty panel). */
export function restoreSavedState(): void {
  const saved = vscode.getState() as Partial<SavedState> | undefined;
  if (saved && saved.version === 1) {
    try {
      renderSnapshot(saved);
    } catch {
      renderSnapshot({ groups: [] });
    }
  } else {
    renderEmpty();
  }
}

/** What the panel shows, as data: the verification groups, the other exchanges, the caps and the host's clock. */
import { LIMITS, type DevicesView, type EntryView, type ExchangeView, type GaugeView, type HistoryView } from '../panel/messages';

export interface Group {
  entry: EntryView;
  exchanges: ExchangeView[];
  hiddenExchanges: number;
}

export interface Model {
  /** By key; insertion order is the display order (newest first). */
  groups: Map<string, Group>;
  other: { exchanges: ExchangeView[]; hiddenExchanges: number };
  /** The host's caps (from the snapshot's limits; the same defaults until one arrives). */
  maxPerGroup: number;
  maxGroups: number;
  /** Host clock minus this clock, ms (countdowns use the host's epoch). */
  skew: number;
  /** False while showing saved state from before a reload: its exchange ids are stale until the host's snapshot. */
  live: boolean;
  rateLimit?: GaugeView;
  history?: HistoryView;
  devices?: DevicesView;
}

export const model: Model = {
  groups: new Map(),
  other: { exchanges: [], hiddenExchanges: 0 },
  maxPerGroup: LIMITS.maxExchangesPerGroup,
  maxGroups: LIMITS.maxGroups,
  skew: 0,
  live: false,
};

export function setSkew(msg: { hostNow?: number }): void {
  if (typeof msg.hostNow === 'number') model.skew = msg.hostNow - Date.now();
}

/** Whole seconds from now until a host epoch time, never negative. */
export function secondsUntil(epochMs: number): number {
  return Math.max(0, Math.ceil((epochMs - (Date.now() + model.skew)) / 1000));
}

export function findExchange(id: number): ExchangeView | undefined {
  for (const g of model.groups.values()) for (const x of g.exchanges) if (x.id === id) return x;
  return model.other.exchanges.find((x) => x.id === id);
}

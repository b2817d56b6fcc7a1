/**
 * The rate-limit budget guard. OneLogin's rate limit belongs to the whole account: the production login
 * flow spends from the same calls as this extension, so polling must never empty it. Every response's
 * X-RateLimit-* headers feed one budget per tenant; the budget projects what the running polls will
 * spend before the window resets (each poll until its expiry, at its interval) and keeps that projection
 * at or below `maxShare` of what remains. Only when the projection would exceed it do intervals stretch
 * (never below the poll's own interval), shared fairly: every poll gets the same highest call rate, and a
 * poll that asks for less keeps what it asked for (water-filling).
 *
 * Plain Node, no `vscode`, no timers: the poller asks for its next interval when it schedules a check.
 * Keyed by a tenant key (today the base URL's origin), so several tenants each get their own budget.
 */
import type { RateLimitInfo } from '../onelogin/exchange';

export const MAX_SHARE_BOUNDS = { default: 0.5, min: 0.05, max: 1 } as const;
/** X-RateLimit-Reset has one-second resolution and responses arrive out of order: a reset this much later is a new window. */
const WINDOW_SLACK_MS = 5_000;
/** How long a plan stays good when nothing it depends on changed (time alone moves it only slowly). */
const PLAN_TTL_MS = 250;

/** One running poll, as the budget sees it. */
export interface BudgetPoll {
  /** The poll's own interval (the `pollInterval` setting when it started), ms. */
  intervalMs: number;
  /** Epoch ms (local clock): the poll stops by then. */
  expiresAt: number;
}

/** What the budget knows, as of the latest response. */
export interface BudgetObservation {
  limit?: number;
  remaining: number;
  /** Epoch ms (local clock) when the window resets. */
  resetAt: number;
  /** Epoch ms (local clock) when the response carrying these numbers arrived. */
  observedAt: number;
  /** Calls the polls made in this window so far (they are part of what the share allows). */
  spent?: number;
}

/** Whether, and how much, polling is slowed to protect the budget (for the status bar and the panel). */
export interface BudgetView {
  /** Polls running now. */
  polls: number;
  /** Polls whose interval is stretched. */
  slowedPolls: number;
  /** The longest stretched interval divided by that poll's own interval (1 when nothing is slowed). */
  factor: number;
  /** The interval slowed polls run at, ms (the longest one). */
  slowedIntervalMs?: number;
  /** Calls the running polls would make before the window resets at their own intervals. */
  projectedCalls: number;
  /** Calls they may make: maxShare × remaining. */
  allowedCalls: number;
  maxShare: number;
}

/** Clamps the setting: 0.05..1, anything else the default. */
export function boundedShare(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : MAX_SHARE_BOUNDS.default;
  return Math.min(MAX_SHARE_BOUNDS.max, Math.max(MAX_SHARE_BOUNDS.min, n));
}

/** Calls a poll makes in `horizonMs` at `intervalMs` (the first one is due now). */
function callsIn(horizonMs: number, intervalMs: number): number {
  return horizonMs <= 0 ? 0 : horizonMs / intervalMs;
}

/**
 * The interval each poll should use from `now`, ms. Pure: given the polls, what remains of the window,
 * and the share of it the polls may spend. Polls are only ever slowed, never sped up.
 */
export function planIntervals(polls: ReadonlyMap<string, BudgetPoll>, obs: BudgetObservation | undefined, maxShare: number, now: number): { intervals: Map<string, number>; view: BudgetView } {
  const intervals = new Map<string, number>();
  for (const [key, p] of polls) intervals.set(key, p.intervalMs);
  const share = boundedShare(maxShare);
  const view: BudgetView = { polls: polls.size, slowedPolls: 0, factor: 1, projectedCalls: 0, allowedCalls: Number.POSITIVE_INFINITY, maxShare: share };
  if (!obs || polls.size === 0) return { intervals, view };

  // What remains now: the window may have reset since the observation (then the full limit is back).
  const windowOver = now >= obs.resetAt;
  const remaining = windowOver ? (obs.limit ?? obs.remaining) : obs.remaining;
  const windowEnd = windowOver ? Number.POSITIVE_INFINITY : obs.resetAt;
  // The polls' whole spend in this window stays within `share` of what the account would have without
  // them: spent + projected <= share * (remaining + spent). Measuring only against what remains now
  // would let the share of a shrinking remainder add up to all of it.
  const spent = windowOver ? 0 : Math.max(0, obs.spent ?? 0);
  const allowed = Math.max(0, share * remaining - (1 - share) * spent);
  view.allowedCalls = Math.floor(allowed);
  if (windowOver && obs.limit === undefined) return { intervals, view }; // nothing known about the new window

  const horizons = new Map<string, number>();
  let projected = 0;
  for (const [key, p] of polls) {
    const horizon = Math.max(0, Math.min(p.expiresAt, windowEnd) - now);
    horizons.set(key, horizon);
    projected += callsIn(horizon, p.intervalMs);
  }
  view.projectedCalls = Math.ceil(projected);
  if (projected <= allowed) return { intervals, view };

  // Water-filling on call rates (calls per ms): the slowest askers keep their own rate, the others share
  // what is left equally. `level` is the common highest rate.
  const order = [...polls.entries()].filter(([key]) => (horizons.get(key) ?? 0) > 0).sort((a, b) => b[1].intervalMs - a[1].intervalMs);
  let budgetLeft = allowed;
  let horizonLeft = order.reduce((sum, [key]) => sum + (horizons.get(key) ?? 0), 0);
  let level = 0;
  let i = 0;
  for (; i < order.length; i++) {
    const [key, p] = order[i];
    const h = horizons.get(key) ?? 0;
    level = horizonLeft > 0 ? budgetLeft / horizonLeft : 0;
    const ownRate = 1 / p.intervalMs;
    if (ownRate > level) break; // this poll and every faster one run at `level`
    budgetLeft -= ownRate * h;
    horizonLeft -= h;
  }
  for (; i < order.length; i++) {
    const [key, p] = order[i];
    const h = horizons.get(key) ?? 0;
    // No calls left at all: one interval as long as the poll has left (the poller still checks once at expiry).
    const stretched = level > 0 ? Math.ceil(1 / level) : Math.max(p.intervalMs, Math.ceil(h));
    const interval = Math.max(p.intervalMs, stretched);
    intervals.set(key, interval);
    if (interval > p.intervalMs) {
      view.slowedPolls += 1;
      const factor = interval / p.intervalMs;
      if (factor > view.factor) {
        view.factor = factor;
        view.slowedIntervalMs = interval;
      }
    }
  }
  return { intervals, view };
}

/** The budget of one tenant. */
export class RateBudget {
  private readonly polls = new Map<string, BudgetPoll>();
  private latest: BudgetObservation | undefined;
  /** Status requests the polls sent in the current window. */
  private spent = 0;
  /** Bumped when a poll starts or stops, and at the first numbers of a window; other new numbers and charges apply within PLAN_TTL_MS. */
  private version = 0;
  private cached: { plan: ReturnType<typeof planIntervals>; at: number; version: number; share: number } | undefined;

  constructor(
    private readonly maxShare: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Feeds one response's X-RateLimit-* headers. Out-of-order responses do not win over newer ones. */
  observe(info: RateLimitInfo | undefined, observedAt: number): void {
    const remaining = info?.remaining;
    if (typeof remaining !== 'number' || !Number.isFinite(remaining) || remaining < 0) return;
    if (this.latest && observedAt < this.latest.observedAt) return;
    const reset = info?.resetSeconds;
    const resetAt = observedAt + (typeof reset === 'number' && Number.isFinite(reset) && reset >= 0 ? reset : 3600) * 1000;
    // A new window (the old one ended, or the reset moved well past it): the polls' spend starts over.
    const previous = this.latest;
    const newWindow = previous !== undefined && (observedAt >= previous.resetAt || resetAt > previous.resetAt + WINDOW_SLACK_MS);
    if (newWindow) this.spent = 0;
    const obs: BudgetObservation = { remaining: Math.floor(remaining), resetAt, observedAt };
    if (typeof info?.limit === 'number' && Number.isFinite(info.limit) && info.limit >= 0) obs.limit = Math.floor(info.limit);
    this.latest = obs;
    // The first numbers, or a new window, change the plan outright: a plan made before them (the status bar
    // asks for the view as polls start, before any reply) must not stand for another PLAN_TTL_MS. Without
    // this, a burst of polls got its second checks at full speed.
    if (!previous || newWindow) this.version++;
  }

  /** A poll is about to send a status request: one call of this window. */
  charge(): void {
    if (this.latest && this.now() >= this.latest.resetAt) this.spent = 0;
    this.spent += 1;
  }

  /** A poll starts spending. */
  add(key: string, poll: BudgetPoll): void {
    this.polls.set(key, { ...poll });
    this.version++;
  }

  /** A poll stopped. */
  remove(key: string): void {
    if (this.polls.delete(key)) this.version++;
  }

  /** The interval the poll `key` should wait before its next check, ms (its own when unknown). */
  intervalFor(key: string): number {
    const own = this.polls.get(key)?.intervalMs;
    const planned = this.plan().intervals.get(key);
    return planned ?? own ?? 0;
  }

  view(): BudgetView {
    return this.plan().view;
  }

  /**
   * The plan, recomputed when anything it depends on changed or a quarter second passed: with hundreds
   * of polls each asking for its interval, planning once per ask would cost n² log n per round.
   */
  private plan(): ReturnType<typeof planIntervals> {
    const now = this.now();
    const share = this.maxShare();
    const c = this.cached;
    if (c && c.version === this.version && c.share === share && now >= c.at && now - c.at < PLAN_TTL_MS) return c.plan;
    const plan = planIntervals(this.polls, this.latest && { ...this.latest, spent: this.spent }, share, now);
    this.cached = { plan, at: now, version: this.version, share };
    return plan;
  }
}

/** One budget per tenant key (today: the base URL's origin). */
export class RateBudgets {
  private readonly budgets = new Map<string, RateBudget>();

  constructor(
    private readonly maxShare: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  for(tenantKey: string): RateBudget {
    let b = this.budgets.get(tenantKey);
    if (!b) {
      b = new RateBudget(this.maxShare, this.now);
      this.budgets.set(tenantKey, b);
    }
    return b;
  }

  /** Every tenant's view that has polls running. */
  views(): { tenantKey: string; view: BudgetView }[] {
    return [...this.budgets.entries()].map(([tenantKey, b]) => ({ tenantKey, view: b.view() })).filter((v) => v.view.polls > 0);
  }
}

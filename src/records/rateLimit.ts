/**
 * The rate-limit gauge: the latest X-RateLimit-Limit / -Remaining / -Reset that any exchange carried,
 * for the panel header and the status bar tooltip. Every status request spends one call of the
 * account's hourly budget, so this is worth seeing while polling. Pure and `vscode`-free.
 */
import { formatMessage, type Localize } from '../util/l10n';
import type { RateLimitInfo } from '../onelogin/exchange';
import type { BudgetView } from '../verification/budget';

export type GaugeLevel = 'ok' | 'low' | 'exhausted' | 'unknown';

export interface GaugeView {
  limit?: number;
  remaining?: number;
  /** Epoch ms (local clock) when the window resets: observedAt + X-RateLimit-Reset seconds. */
  resetAt?: number;
  /** Epoch ms (local clock) when the response carrying these numbers arrived. */
  observedAt: number;
  /** remaining / limit, 0..1, when both are known. */
  fraction?: number;
  level: GaugeLevel;
  /** Set while the budget guard stretches poll intervals to protect the account's rate limit. */
  slowed?: SlowdownView;
}

export interface SlowdownView {
  /** Polls slowed, of how many running. */
  polls: number;
  running: number;
  /** The longest stretched interval divided by that poll's own interval, rounded to 0.1. */
  factor: number;
  /** The interval slowed polls now run at, whole seconds. */
  intervalSeconds: number;
  /** The setting onelogin-mfa.rateLimit.maxShare, in percent. */
  sharePercent: number;
}

/** The gauge with the budget guard's slowdown, when there is one. */
export function withSlowdown(gauge: GaugeView | undefined, budget: BudgetView | undefined): GaugeView | undefined {
  if (!gauge) return undefined;
  const out: GaugeView = { ...gauge };
  delete out.slowed;
  if (budget && budget.slowedPolls > 0 && budget.slowedIntervalMs !== undefined) {
    out.slowed = {
      polls: budget.slowedPolls,
      running: budget.polls,
      factor: Math.round(budget.factor * 10) / 10,
      intervalSeconds: Math.ceil(budget.slowedIntervalMs / 1000),
      sharePercent: Math.round(budget.maxShare * 100),
    };
  }
  return out;
}

/** "Polling slowed to protect the rate limit: 12 of 20 polls every 7 s (×3.5), to spend at most 50% of what is left." */
function slowdownText(v: SlowdownView, t: Localize = formatMessage): string {
  return t(
    'Polling slowed to protect the rate limit: {0} of {1} polls check every {2} s (×{3} slower), to spend at most {4}% of the calls left.',
    v.polls,
    v.running,
    v.intervalSeconds,
    v.factor,
    v.sharePercent,
  );
}

/** Below this share of the limit (or this many calls) the gauge says "low". */
const LOW_FRACTION = 0.1;
const LOW_CALLS = 100;

export function gaugeLevel(remaining: number | undefined, limit: number | undefined): GaugeLevel {
  if (remaining === undefined) return 'unknown';
  if (remaining <= 0) return 'exhausted';
  if (remaining < LOW_CALLS || (limit !== undefined && limit > 0 && remaining / limit < LOW_FRACTION)) return 'low';
  return 'ok';
}

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);

export function gaugeFrom(info: RateLimitInfo, observedAt: number): GaugeView | undefined {
  const limit = count(info.limit);
  const remaining = count(info.remaining);
  const reset = count(info.resetSeconds);
  if (limit === undefined && remaining === undefined) return undefined;
  const view: GaugeView = { observedAt, level: gaugeLevel(remaining, limit) };
  if (limit !== undefined) view.limit = limit;
  if (remaining !== undefined) view.remaining = remaining;
  if (reset !== undefined) view.resetAt = observedAt + reset * 1000;
  if (limit !== undefined && remaining !== undefined && limit > 0) view.fraction = Math.min(1, remaining / limit);
  return view;
}

/** Keeps the most recently observed numbers (responses of concurrent polls can arrive out of order). */
export class RateLimitGauge {
  private latest: GaugeView | undefined;

  /** Returns true when the gauge changed. */
  update(info: RateLimitInfo | undefined, observedAt: number): boolean {
    if (!info) return false;
    const next = gaugeFrom(info, observedAt);
    if (!next) return false;
    if (this.latest && next.observedAt < this.latest.observedAt) return false;
    const same = this.latest && this.latest.limit === next.limit && this.latest.remaining === next.remaining && this.latest.resetAt === next.resetAt;
    this.latest = next;
    return !same;
  }

  view(): GaugeView | undefined {
    return this.latest ? { ...this.latest } : undefined;
  }
}

/** "API rate limit: 4988 of 5000 calls left, resets in 14 min" (for the status bar tooltip). */
export function gaugeText(v: GaugeView, now: number, t: Localize = formatMessage): string {
  const left =
    v.remaining !== undefined && v.limit !== undefined
      ? t('{0} of {1} calls left', v.remaining, v.limit)
      : v.remaining !== undefined
        ? t('{0} calls left', v.remaining)
        : t('limit {0} calls', v.limit ?? '?');
  const parts = [t('API rate limit: {0}', left)];
  if (v.resetAt !== undefined) {
    const seconds = Math.max(0, Math.ceil((v.resetAt - now) / 1000));
    parts.push(seconds >= 120 ? t('resets in {0} min', Math.round(seconds / 60)) : t('resets in {0} s', seconds));
  }
  const line = parts.join(', ');
  return v.slowed ? `${line}\n${slowdownText(v.slowed, t)}` : line;
}

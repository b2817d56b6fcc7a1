/**
 * Many verification polls at once, one loop per verification. Each poll has its own timer and request,
 * so a slow or hanging one never delays another. Plain Node (no `vscode`).
 */
import type { RateBudget } from './budget';
import { Emitter, type IDisposable } from '../util/lifecycle';
import { VerificationPoller, type PollerOptions } from './poller';
import { isTerminal, verificationKey, type PollState, type VerificationStatusResult } from './types';

export type CheckFactory = (userId: string, verificationId: string, tenant?: string) => (signal: AbortSignal) => Promise<VerificationStatusResult>;

/** Read at every start(), so a settings change applies to the next poll; a running poll keeps its own. */
export type PollDefaults = Pick<
  PollerOptions,
  'intervalMs' | 'timeoutMs' | 'maxBackoffMs' | 'jitterRatio' | 'maxConsecutiveFailures' | 'expiryGraceMs' | 'now' | 'random'
>;

export interface PollRequest {
  userId: string;
  verificationId: string;
  /** The tenant whose host and credentials the poll uses, for its whole life. */
  tenant?: string;
  /** Epoch ms from the trigger's expires_at. */
  expiresAt?: number;
  /** The device, when the caller knows it (a trigger). */
  deviceId?: string;
}

/** How many finished polls states() remembers. */
export const MAX_FINISHED = 50;

/** Every status request is one call of the budget's window. */
function chargedCheck(budget: RateBudget, check: (signal: AbortSignal) => Promise<VerificationStatusResult>): (signal: AbortSignal) => Promise<VerificationStatusResult> {
  return (signal) => {
    budget.charge();
    return check(signal);
  };
}

export class PollManager {
  /** Running polls, oldest first (Map keeps insertion order). */
  private readonly active = new Map<string, { poller: VerificationPoller; sub: IDisposable }>();
  /** Finished polls, most recent first, at most MAX_FINISHED. */
  private finished: { key: string; poller: VerificationPoller }[] = [];
  // One broken listener must not starve the others or the pollers: the emitter isolates their errors.
  private readonly changed = new Emitter<PollState>();
  private disposed = false;

  /** The budget each running poll spends from (removed from it when the poll ends). */
  private readonly budgets = new Map<string, RateBudget>();

  constructor(
    private readonly createCheck: CheckFactory,
    private readonly defaults: () => PollDefaults,
    /** The rate-limit budget of the tenant a poll talks to; none: polls run at their own interval. */
    private readonly budgetFor: (req: PollRequest) => RateBudget | undefined = () => undefined,
  ) {}

  /** Starts polling, or returns the poll already running for that verification (never a second loop). */
  start(req: PollRequest): VerificationPoller {
    if (this.disposed) throw new Error('PollManager is disposed');
    const key = verificationKey(req.userId, req.verificationId, req.tenant);
    const running = this.active.get(key);
    if (running) return running.poller;

    const budget = this.budgetFor(req);
    const poller = new VerificationPoller({
      ...this.defaults(),
      userId: req.userId,
      verificationId: req.verificationId,
      // States name a tenant other than "default" only: with one tenant nothing extra shows anywhere.
      ...(req.tenant !== undefined && req.tenant !== 'default' ? { tenant: req.tenant } : {}),
      expiresAt: req.expiresAt,
      deviceId: req.deviceId,
      check: budget ? chargedCheck(budget, this.createCheck(req.userId, req.verificationId, req.tenant)) : this.createCheck(req.userId, req.verificationId, req.tenant),
      pace: budget ? (): number => budget.intervalFor(key) : undefined,
    });
    if (budget) {
      this.budgets.get(key)?.remove(key);
      budget.add(key, { intervalMs: poller.interval, expiresAt: poller.state.expiresAt });
      this.budgets.set(key, budget);
    }
    // A new poll of a finished verification replaces its old entry.
    this.finished = this.finished.filter((f) => f.key !== key);
    const sub = poller.onDidChange((s) => this.onPollerChange(key, poller, s));
    this.active.set(key, { poller, sub });
    void poller.start(); // never rejects
    return poller;
  }

  /** Cancels one poll (by key) or all; returns how many were running and are now cancelled. */
  stop(key?: string): number {
    const keys = key === undefined ? [...this.active.keys()] : this.active.has(key) ? [key] : [];
    for (const k of keys) this.active.get(k)?.poller.cancel();
    return keys.length;
  }

  /** Ends a running poll with an outcome learned elsewhere (see VerificationPoller.settle). False when none runs. */
  settle(key: string, phase: 'accepted' | 'rejected', detail: { lastHttpStatus?: number } = {}): boolean {
    return this.active.get(key)?.poller.settle(phase, detail) ?? false;
  }

  get(key: string): VerificationPoller | undefined {
    return this.active.get(key)?.poller ?? this.finished.find((f) => f.key === key)?.poller;
  }

  /** Latest state of every poll: running ones (newest first), then finished ones (most recently finished first). */
  states(): PollState[] {
    const running = [...this.active.values()].map((a) => a.poller.state).reverse();
    return [...running, ...this.finished.map((f) => f.poller.state)];
  }

  /** Fires for every state change of any poll. */
  onDidChange(listener: (s: PollState) => void): IDisposable {
    return this.changed.event(listener);
  }

  /** Cancels every poll and drops all listeners. */
  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.changed.dispose();
  }

  private onPollerChange(key: string, poller: VerificationPoller, state: PollState): void {
    const entry = this.active.get(key);
    // Judge by the event, not poller.state: events can trail the state when a listener cancels mid-emit.
    // Move to `finished` before telling anyone, so states() is consistent inside listeners.
    if (isTerminal(state.phase) && entry?.poller === poller) {
      entry.sub.dispose();
      this.active.delete(key);
      this.budgets.get(key)?.remove(key);
      this.budgets.delete(key);
      this.finished.unshift({ key, poller });
      this.finished.length = Math.min(this.finished.length, MAX_FINISHED);
    }
    this.changed.fire(state);
  }
}

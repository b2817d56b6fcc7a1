/**
 * One poll loop for one verification: GET the status until it settles, expires, is cancelled,
 * or fails in a way retrying cannot fix. Plain Node (no `vscode`), driven by setTimeout only,
 * so it runs under fake timers in unit tests.
 *
 * Fixed rate: a regular check is due one interval after the previous one was *sent*, so the round trip
 * does not lengthen the period. Never two requests in flight: a reply slower than the interval is
 * followed at once. Retries after an error, and waits after a 429, count from the response.
 *
 * Never POSTs: `check` is the only way it talks to the API, and it must be the status GET
 * (a second POST /verifications would send the user another push).
 */
import { Emitter, type IDisposable } from '../util/lifecycle';
import { isOneLoginError, isPermanentError, OneLoginError } from '../onelogin/errors';
import type { SerializedOneLoginError } from '../onelogin/errors';
import { backoffDelay, periodJitter, rateLimitDelay } from './backoff';
import { boundedLimits, MAX_TIMEOUT_MS, MIN_INTERVAL_MS, type PollerOptions, type PollLimits } from './pollerOptions';
import { isTerminal, type PollState, type VerificationStatusResult } from './types';

export { DEFAULT_INTERVAL_MS, type PollerOptions } from './pollerOptions';

/** An expires_at further away than the API maximum plus this much clock skew is treated as the maximum. */
const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

type Timer = ReturnType<typeof setTimeout>;
type StatePatch = Partial<Omit<PollState, 'userId' | 'verificationId'>>;

/** A frozen copy without undefined keys, so snapshots compare and serialise cleanly. */
function snapshot(state: PollState): PollState {
  const copy = { ...state } as Record<string, unknown>;
  for (const key of Object.keys(copy)) {
    if (copy[key] === undefined) delete copy[key];
  }
  return Object.freeze(copy) as unknown as PollState;
}

/** The error a poll ends with when OneLogin's rate limit outlasts the verification. */
function rateLimitedEnd(error: OneLoginError, now: number, resetAt: number | undefined): SerializedOneLoginError {
  const at = resetAt !== undefined && Number.isFinite(new Date(resetAt).getTime()) ? ` (${new Date(resetAt).toISOString()})` : '';
  const when = resetAt !== undefined ? `in ${Math.ceil((resetAt - now) / 1000)} s${at}` : 'at an unknown time';
  const out: SerializedOneLoginError = {
    ...error.toJSON(),
    code: 'RATE_LIMITED',
    message: `OneLogin's rate limit is reached and resets ${when}, after this verification expires: polling stopped, the outcome is unknown. Do not send a new push before the limit resets.`,
  };
  if (resetAt !== undefined) out.resetAt = resetAt;
  return out;
}

export class VerificationPoller {
  private readonly check: PollerOptions['check'];
  private readonly limits: PollLimits;
  private readonly signal?: AbortSignal;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onListenerError?: (error: unknown) => void;
  private readonly pace?: () => number;

  private current: PollState;
  private readonly changed = new Emitter<PollState>((e) => this.reportListenerError(e));
  private readonly queue: PollState[] = [];
  private emitting = false;

  private timer?: Timer;
  private deadlineTimer?: Timer;
  private inFlight?: AbortController;
  /** When the latest request was sent: the next regular check counts from here. */
  private sentAt = 0;
  private failures = 0;
  private started = false;
  private resolveDone!: (s: PollState) => void;
  private readonly done = new Promise<PollState>((resolve) => (this.resolveDone = resolve));
  private readonly onAbort = (): void => this.cancel();

  constructor(opts: PollerOptions) {
    this.check = opts.check;
    this.limits = boundedLimits(opts);
    this.signal = opts.signal;
    this.now = opts.now ?? ((): number => Date.now());
    this.random = opts.random ?? Math.random;
    this.onListenerError = opts.onListenerError;
    this.pace = opts.pace;
    this.current = snapshot({
      phase: 'idle',
      userId: opts.userId,
      verificationId: opts.verificationId,
      ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
      deviceId: opts.deviceId,
      attempt: 0,
      expiresAt: this.computeExpiresAt(),
    });
  }

  /** The poll's own interval between checks, ms (after clamping). */
  get interval(): number {
    return this.limits.intervalMs;
  }

  /** The latest state: an immutable snapshot. */
  get state(): PollState {
    return this.current;
  }

  get isFinished(): boolean {
    return isTerminal(this.current.phase);
  }

  /** Fires on every state change, in order, even if a listener changes the state while being called. */
  onDidChange(listener: (s: PollState) => void): IDisposable {
    return this.changed.event(listener);
  }

  /** Starts the loop (first check at once). Resolves with the terminal state; never rejects; idempotent. */
  start(): Promise<PollState> {
    if (this.started || this.isFinished) return this.done;
    this.started = true;
    if (this.signal?.aborted) {
      this.cancel();
      return this.done;
    }
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    // The timeout counts from start, not from construction.
    const expiresAt = this.computeExpiresAt();
    this.current = snapshot({ ...this.current, expiresAt });
    // Safety net: a check that hangs past expiry (plus grace) is aborted, so the loop always ends.
    this.deadlineTimer = setTimeout(() => this.finish({ phase: 'expired' }), Math.max(0, expiresAt + this.limits.graceMs - this.now()));
    this.sendCheck();
    return this.done;
  }

  /** Stops the loop: aborts a request in flight and clears the timer. Idempotent. */
  cancel(): void {
    this.finish({ phase: 'cancelled' });
  }

  /**
   * Ends the loop with an outcome learned outside it (OneLogin accepted a one-time code for this
   * verification): aborts a request in flight, like cancel(), but the final phase is `phase`.
   * Returns false when the loop had already finished (its final state stays).
   */
  settle(phase: 'accepted' | 'rejected', detail: { lastHttpStatus?: number } = {}): boolean {
    if (this.isFinished) return false;
    const patch: StatePatch = { phase, lastCheckedAt: this.now() };
    if (detail.lastHttpStatus !== undefined) patch.lastHttpStatus = detail.lastHttpStatus;
    this.finish(patch);
    return true;
  }

  private computeExpiresAt(): number {
    const now = this.now();
    if (this.limits.fixedExpiresAt === undefined) return now + this.limits.timeoutMs;
    // A garbage expires_at must not keep a poll alive for hours.
    return Math.min(this.limits.fixedExpiresAt, now + MAX_TIMEOUT_MS + CLOCK_SKEW_ALLOWANCE_MS);
  }

  private sendCheck(): void {
    this.timer = undefined;
    const controller = new AbortController();
    this.inFlight = controller;
    this.sentAt = this.now();
    this.update({ phase: 'pending', attempt: this.current.attempt + 1, nextCheckAt: undefined });
    if (this.isFinished) return; // a listener cancelled
    let request: Promise<VerificationStatusResult>;
    try {
      request = this.check(controller.signal);
    } catch (e) {
      request = Promise.reject(e);
    }
    void request.then(
      (result) => this.onResult(controller, result),
      (error: unknown) => this.onError(controller, error),
    );
  }

  private onResult(controller: AbortController, result: VerificationStatusResult): void {
    if (controller !== this.inFlight) return; // settled after cancel/expiry: ignore
    this.inFlight = undefined;
    const patch: StatePatch = {
      lastCheckedAt: this.now(),
      lastHttpStatus: result.httpStatus,
      deviceId: result.deviceId ?? this.current.deviceId,
    };
    switch (result.status) {
      case 'accepted':
      case 'rejected':
        // Wins even if it arrives after expiresAt: the user did answer.
        return this.finish({ ...patch, phase: result.status });
      case 'pending': {
        this.failures = 0;
        // From this request's start, so the period is the interval; already past (a slow reply): at once.
        const period = periodJitter(this.paced(), this.limits.jitterRatio, MIN_INTERVAL_MS, this.random);
        return this.schedule(patch, this.sentAt + period - this.now(), undefined, false);
      }
      default:
        // Unreachable with a well-typed client; treated like any other bad body.
        return this.fail(new OneLoginError('invalidResponse', `Unknown verification status: ${String(result.status)}`), patch);
    }
  }

  /** The interval now: the budget's, when it stretches it; never below our own. */
  private paced(): number {
    let ms = this.limits.intervalMs;
    try {
      const asked = this.pace?.();
      if (asked !== undefined && Number.isFinite(asked)) ms = Math.min(MAX_TIMEOUT_MS, Math.max(this.limits.intervalMs, asked));
    } catch {
      // a broken pacer must not stop the poll: our own interval
    }
    return ms;
  }

  private onError(controller: AbortController, thrown: unknown): void {
    if (controller !== this.inFlight) return; // settled after cancel/expiry: a 'cancelled' error is not an 'error'
    this.inFlight = undefined;
    const httpStatus = isOneLoginError(thrown) ? thrown.httpStatus : undefined;
    this.fail(thrown, { lastCheckedAt: this.now(), lastHttpStatus: httpStatus });
  }

  private fail(thrown: unknown, base: StatePatch): void {
    if (!isOneLoginError(thrown)) {
      // Not a OneLoginError: a bug in the caller, not bad weather. Stop rather than retry and hide it.
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      const error = new OneLoginError('invalidResponse', `Unexpected error while checking the verification: ${message}`);
      return this.finish({ ...base, phase: 'error', error: error.toJSON() });
    }
    const error = thrown;
    // 400/409/422 (say) are as permanent as a 404: the same request gets the same answer.
    if (isPermanentError(error)) {
      return this.finish({ ...base, phase: 'error', error: error.toJSON() });
    }
    this.failures += 1;
    // Bounded, so a broken endpoint (or a proxy page) is not hammered until expiry.
    if (this.failures >= this.limits.maxFailures) {
      return this.finish({ ...base, phase: 'error', error: error.toJSON() });
    }
    const rateLimited = error.kind === 'rateLimited';
    const delayMs =
      rateLimited && error.retryAfterMs !== undefined
        ? rateLimitDelay(error.retryAfterMs, this.limits.intervalMs, this.limits.jitterRatio, this.random)
        : Math.max(MIN_INTERVAL_MS, backoffDelay(this.failures, this.limits.intervalMs, this.limits.maxBackoffMs, this.limits.jitterRatio, this.random));
    const now = this.now();
    if (rateLimited && now + delayMs >= this.current.expiresAt) {
      // The limit lifts only after the verification expires: its outcome is unknown, not "expired",
      // and a new push now would only meet the same limit.
      return this.finish({ ...base, phase: 'error', error: rateLimitedEnd(error, now, error.retryAfterMs !== undefined ? now + error.retryAfterMs : undefined) });
    }
    this.schedule(base, delayMs, { reason: error.toJSON(), delayMs }, rateLimited);
  }

  /**
   * Arms the one timer for the next request, `delayMs` from now (<= 0: at once, which for setTimeout is
   * 1 ms, so nextCheckAt says 1 ms too). If the next request would fall after expiry, the last one is sent
   * exactly at expiresAt instead (so an accept in the final interval is still seen), except after a 429:
   * then we never call before the server said we may, and simply expire at expiresAt.
   */
  private schedule(patch: StatePatch, delayMs: number, retry: PollState['retry'], mustWait: boolean): void {
    const now = this.now();
    const { expiresAt } = this.current;
    if (now >= expiresAt) return this.finish({ ...patch, phase: 'expired' });
    let at = now + Math.max(1, delayMs);
    let action = (): void => this.sendCheck();
    if (at >= expiresAt) {
      at = expiresAt;
      if (mustWait) action = (): void => this.finish({ phase: 'expired' });
    }
    this.timer = setTimeout(action, at - now);
    this.update({ ...patch, phase: 'pending', nextCheckAt: at, retry });
  }

  private finish(patch: StatePatch): void {
    if (this.isFinished) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.timer = this.deadlineTimer = undefined;
    this.signal?.removeEventListener('abort', this.onAbort);
    const controller = this.inFlight;
    this.inFlight = undefined; // before abort(), so the rejection it causes is ignored
    controller?.abort();
    this.update({ ...patch, nextCheckAt: undefined, retry: undefined });
    this.resolveDone(this.current);
  }

  private update(patch: StatePatch): void {
    this.current = snapshot({ ...this.current, ...patch });
    this.emit(this.current);
  }

  /** Queued so that a listener that cancels does not make others see states out of order. */
  private emit(state: PollState): void {
    this.queue.push(state);
    if (this.emitting) return;
    this.emitting = true;
    try {
      let next: PollState | undefined;
      while ((next = this.queue.shift()) !== undefined) {
        this.changed.fire(next);
      }
    } finally {
      this.emitting = false;
    }
  }

  private reportListenerError(e: unknown): void {
    try {
      this.onListenerError?.(e);
    } catch {
      // nothing left to tell
    }
  }
}

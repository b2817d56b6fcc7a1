/**
 * What a poll is given (PollerOptions) and the limits it runs within: every number is clamped here, once,
 * so the poll loop (poller.ts) works with values it can trust.
 */
import type { VerificationStatusResult } from './types';

export const MIN_INTERVAL_MS = 1_000;
export const DEFAULT_INTERVAL_MS = 2_000;
const MIN_TIMEOUT_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 900_000;
const DEFAULT_MAX_BACKOFF_MS = 30_000;
const DEFAULT_JITTER_RATIO = 0.1;
const DEFAULT_MAX_CONSECUTIVE_FAILURES = 10;
/** A request still in flight this long after expiry is aborted (the client's own timeout is 10 s). */
const DEFAULT_EXPIRY_GRACE_MS = 15_000;

export interface PollerOptions {
  userId: string;
  verificationId: string;
  /** The tenant, carried into every state (see PollState.tenant). */
  tenant?: string;
  /** The device the verification was sent to, when known before the first status reply (a trigger). */
  deviceId?: string;
  /** The only way the poller talks to the API: the status GET. Must honour `signal`. */
  check: (signal: AbortSignal) => Promise<VerificationStatusResult>;
  /** From one regular check's request to the next. Default 2000, clamped to >= 1000. */
  intervalMs?: number;
  /** Default 120 000, clamped to 1000..900 000; used when expiresAt is absent. */
  timeoutMs?: number;
  /** Epoch ms (the trigger's expires_at); wins over timeoutMs. */
  expiresAt?: number;
  /** Ceiling of the exponential backoff. Default 30 000 (never below the interval). */
  maxBackoffMs?: number;
  /**
   * Spread of every delay: ± on regular checks (narrower near the 1 s floor, see periodJitter) and on
   * backoff, upwards only after a 429. Default 0.1, clamped to 0..0.5.
   */
  jitterRatio?: number;
  /** Stop with 'error' after this many transient failures in a row. Default 10. */
  maxConsecutiveFailures?: number;
  /** How long a request in flight at expiry may still run before it is aborted. Default 15 000. */
  expiryGraceMs?: number;
  /**
   * The interval between regular checks (request to request), asked each time one is scheduled: the
   * rate-limit budget stretches it when polling would spend too much of the account's calls. Never below
   * intervalMs.
   */
  pace?: () => number;
  /** External cancel. */
  signal?: AbortSignal;
  now?: () => number;
  random?: () => number;
  /** Receives exceptions thrown by onDidChange listeners (which never break the loop). */
  onListenerError?: (error: unknown) => void;
}

/** The numbers a poll runs with, clamped. */
export interface PollLimits {
  intervalMs: number;
  timeoutMs: number;
  /** The trigger's expires_at, when it is a number. */
  fixedExpiresAt?: number;
  maxBackoffMs: number;
  jitterRatio: number;
  maxFailures: number;
  graceMs: number;
}

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value !== undefined && Number.isFinite(value) ? value : fallback;
  return Math.min(max, Math.max(min, v));
}

export function boundedLimits(opts: PollerOptions): PollLimits {
  // Upper bounds keep every setTimeout delay far below the 2^31 ms at which Node fires at once.
  const intervalMs = clamp(opts.intervalMs, DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, MAX_TIMEOUT_MS);
  return {
    intervalMs,
    timeoutMs: clamp(opts.timeoutMs, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
    fixedExpiresAt: opts.expiresAt !== undefined && Number.isFinite(opts.expiresAt) ? opts.expiresAt : undefined,
    maxBackoffMs: Math.max(intervalMs, clamp(opts.maxBackoffMs, DEFAULT_MAX_BACKOFF_MS, 0, MAX_TIMEOUT_MS)),
    jitterRatio: clamp(opts.jitterRatio, DEFAULT_JITTER_RATIO, 0, 0.5),
    maxFailures: Math.round(clamp(opts.maxConsecutiveFailures, DEFAULT_MAX_CONSECUTIVE_FAILURES, 1, Number.MAX_SAFE_INTEGER)),
    graceMs: clamp(opts.expiryGraceMs, DEFAULT_EXPIRY_GRACE_MS, 0, MAX_TIMEOUT_MS),
  };
}

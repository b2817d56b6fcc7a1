/**
 * Delay arithmetic for the poller, kept pure so it can be tested without timers.
 * `random` is injected (default Math.random in the poller) so tests are deterministic.
 */

/** `ms` spread by ±ratio: random() in [0, 1) maps to a factor in [1 - ratio, 1 + ratio). */
export function jitter(ms: number, ratio: number, random: () => number): number {
  return Math.round(ms * (1 + ratio * (2 * random() - 1)));
}

/**
 * The period of regular checks: `ms` spread by ±ratio so the mean stays `ms`, and never below `floorMs`.
 * Near the floor the spread narrows (at the floor there is none) rather than only adding, which would
 * lengthen the mean period.
 */
export function periodJitter(ms: number, ratio: number, floorMs: number, random: () => number): number {
  const r = Math.min(ratio, Math.max(0, 1 - floorMs / ms));
  return Math.max(floorMs, jitter(ms, r, random));
}

/**
 * Delay before the retry that follows the n-th consecutive failure (n >= 1):
 * base, 2·base, 4·base, … capped at capMs, then jittered (and capped again, so the cap is a hard ceiling).
 */
export function backoffDelay(failures: number, baseMs: number, capMs: number, ratio: number, random: () => number): number {
  // Exponent bounded so a long streak cannot overflow to Infinity.
  const nominal = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.min(capMs, jitter(nominal, ratio, random));
}

/**
 * Delay after a 429 that told us how long to wait: never less than the server asked, never less than
 * the interval; jitter only upwards so many polls limited at once do not all return in the same millisecond.
 */
export function rateLimitDelay(retryAfterMs: number, intervalMs: number, ratio: number, random: () => number): number {
  const base = Math.max(retryAfterMs, intervalMs);
  return Math.ceil(base * (1 + ratio * random()));
}

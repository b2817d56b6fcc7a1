// One fixed window per simulator (OneLogin counts per account): N calls, then 429 until the window ends.

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets, as X-RateLimit-Reset reports it. */
  resetSeconds: number;
}

export class RateLimiter {
  private windowStart: number | undefined;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  private roll(): number {
    const now = this.now();
    if (this.windowStart === undefined || now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    return now;
  }

  /** Counts one call; false when the window is exhausted (the call is not counted then). */
  consume(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  state(): RateLimitState {
    const now = this.roll();
    const windowEnd = (this.windowStart ?? now) + this.windowMs;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.used),
      resetSeconds: Math.max(0, Math.ceil((windowEnd - now) / 1000)),
    };
  }
}

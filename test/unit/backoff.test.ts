import * as assert from 'node:assert/strict';
import { backoffDelay, jitter, periodJitter, rateLimitDelay } from '../../src/verification/backoff';

const fixed = (r: number) => (): number => r;

describe('backoff arithmetic', () => {
  it('jitter spreads by ±ratio and is exact at random = 0.5', () => {
    assert.equal(jitter(2000, 0.1, fixed(0.5)), 2000);
    assert.equal(jitter(2000, 0.1, fixed(0)), 1800);
    assert.equal(jitter(2000, 0.1, fixed(0.99999)), 2200);
    assert.equal(jitter(2000, 0, fixed(0)), 2000);
  });

  it('the period jitter is centred on the interval and never below the floor, where its spread narrows', () => {
    // random() over [0, 1) evenly
    const sweep = (ms: number): number[] => Array.from({ length: 100 }, (_, k) => periodJitter(ms, 0.1, 1000, fixed((k + 0.5) / 100)));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const ms of [2000, 1500, 1050, 1000]) {
      const xs = sweep(ms);
      assert.ok(Math.abs(mean(xs) - ms) < 0.5, `mean ${mean(xs)} for ${ms}`);
      assert.ok(Math.min(...xs) >= 1000, `min ${Math.min(...xs)} for ${ms}`);
    }
    assert.deepEqual([0, 0.99999].map((r) => periodJitter(2000, 0.1, 1000, fixed(r))), [1800, 2200]);
    assert.deepEqual([0, 0.99999].map((r) => periodJitter(1050, 0.1, 1000, fixed(r))), [1000, 1100]);
    assert.deepEqual([0, 0.99999].map((r) => periodJitter(1000, 0.1, 1000, fixed(r))), [1000, 1000]);
  });

  it('backoff doubles from the base per consecutive failure and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 2000, 30_000, 0.1, fixed(0.5)));
    assert.deepEqual(delays, [2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('the cap is a hard ceiling even with the largest jitter', () => {
    assert.equal(backoffDelay(5, 2000, 30_000, 0.1, fixed(0.99999)), 30_000);
    assert.equal(backoffDelay(4, 2000, 30_000, 0.1, fixed(0.99999)), 17_600);
  });

  it('a very long streak does not overflow', () => {
    assert.equal(backoffDelay(10_000, 2000, 30_000, 0, fixed(0.5)), 30_000);
  });

  it('a 429 delay is never below Retry-After nor the interval, and jitters only upwards', () => {
    assert.equal(rateLimitDelay(7000, 2000, 0.1, fixed(0)), 7000);
    assert.equal(rateLimitDelay(7000, 2000, 0.1, fixed(0.99999)), 7700);
    assert.equal(rateLimitDelay(300, 2000, 0.1, fixed(0)), 2000);
  });
});

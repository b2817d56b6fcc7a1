import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as FakeTimers from '@sinonjs/fake-timers';
import { OneLoginError, type OneLoginErrorKind } from '../../src/onelogin/errors';
import { VerificationPoller, type PollerOptions } from '../../src/verification/poller';
import type { PollState, VerificationStatus, VerificationStatusResult } from '../../src/verification/types';

const T0 = 1_700_000_000_000;

type Step = (signal: AbortSignal) => Promise<VerificationStatusResult>;

const result = (status: VerificationStatus): VerificationStatusResult => ({
  id: 'v1',
  status,
  deviceId: '3919988',
  httpStatus: 200,
  exchangeId: 1,
});
const cancelledError = (): OneLoginError => new OneLoginError('cancelled', 'aborted');

/** Answers at once. */
const ok =
  (status: VerificationStatus): Step =>
  () =>
    Promise.resolve(result(status));
/** Fails at once. */
const fail =
  (error: unknown): Step =>
  () =>
    Promise.reject(error);
/** Answers after `ms` of (fake) time; rejects like the real client when aborted. */
const slow =
  (ms: number, status: VerificationStatus): Step =>
  (signal) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => resolve(result(status)), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(cancelledError());
      });
    });
/** Fails after `ms` of (fake) time. */
const slowFail =
  (ms: number, error: unknown): Step =>
  () =>
    new Promise((_resolve, reject) => setTimeout(() => reject(error), ms));
/** Never answers unless aborted. */
const hang = (): Step => (signal) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(cancelledError())));

const http = (kind: OneLoginErrorKind, httpStatus?: number, retryAfterMs?: number): OneLoginError =>
  new OneLoginError(kind, `${kind} ${httpStatus ?? ''}`.trim(), { httpStatus, retryAfterMs });

/** A scripted status endpoint: replays `steps`, repeating the last one; records when each call was made. */
class FakeEndpoint {
  readonly calls: { at: number; signal: AbortSignal }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly steps: Step[]) {}
  readonly check = (signal: AbortSignal): Promise<VerificationStatusResult> => {
    const step = this.steps[Math.min(this.calls.length, this.steps.length - 1)];
    this.calls.push({ at: Date.now() - T0, signal });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return step(signal).finally(() => (this.inFlight -= 1));
  };
  get times(): number[] {
    return this.calls.map((c) => c.at);
  }
  get gaps(): number[] {
    return this.times.slice(1).map((t, i) => t - this.times[i]);
  }
}

describe('VerificationPoller', () => {
  let clock: ReturnType<typeof FakeTimers.install>;

  beforeEach(() => {
    clock = FakeTimers.install({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  /** A poller on `steps` with no jitter (random = 0.5) unless overridden; records every emitted state. */
  function setup(steps: Step[], opts: Partial<PollerOptions> = {}) {
    const endpoint = new FakeEndpoint(steps);
    const poller = new VerificationPoller({ userId: 'u1', verificationId: 'v1', check: endpoint.check, random: () => 0.5, ...opts });
    const states: PollState[] = [];
    const at: number[] = [];
    poller.onDidChange((s) => {
      states.push(s);
      at.push(Date.now() - T0);
    });
    return { endpoint, poller, states, at, phases: () => states.map((s) => s.phase) };
  }

  function assertNoTimers(): void {
    assert.equal(clock.countTimers(), 0, 'no timer may be left after a terminal state');
  }

  describe('settling', () => {
    it('reports accepted after N pending polls, one request every interval', async () => {
      const { endpoint, poller } = setup([ok('pending'), ok('pending'), ok('pending'), ok('accepted')]);
      const done = poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000, 4000, 6000]);
      assert.equal(poller.state.phase, 'accepted');
      assert.equal(poller.state.attempt, 4);
      assert.equal(poller.state.deviceId, '3919988');
      assert.equal(poller.state.lastHttpStatus, 200);
      assert.equal(poller.state.lastCheckedAt, T0 + 6000);
      assert.deepEqual(await done, poller.state);
      assertNoTimers();
    });

    it('reports rejected and stops polling', async () => {
      const { endpoint, poller } = setup([ok('pending'), ok('rejected'), ok('pending')]);
      const done = poller.start();
      await clock.tickAsync(60_000);
      assert.equal((await done).phase, 'rejected');
      assert.equal(endpoint.calls.length, 2);
      assertNoTimers();
    });

    it('fires the first request synchronously in start()', () => {
      const { endpoint, poller } = setup([hang()]);
      void poller.start();
      assert.equal(endpoint.calls.length, 1);
      poller.cancel();
    });

    it('is idle before start, and start() twice returns the same promise and one loop', async () => {
      const { endpoint, poller } = setup([ok('pending')]);
      assert.equal(poller.state.phase, 'idle');
      assert.equal(poller.state.attempt, 0);
      const a = poller.start();
      const b = poller.start();
      assert.equal(a, b);
      await clock.tickAsync(2000);
      assert.deepEqual(endpoint.times, [0, 2000]);
      poller.cancel();
    });
  });

  describe('expiry', () => {
    it('expires after timeoutMs, with a last request exactly at the deadline', async () => {
      const { endpoint, poller, at, phases } = setup([ok('pending')], { timeoutMs: 10_000 });
      const done = poller.start();
      assert.equal(poller.state.expiresAt, T0 + 10_000);
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000, 4000, 6000, 8000, 10_000]);
      assert.equal((await done).phase, 'expired');
      assert.equal(at[phases().indexOf('expired')], 10_000);
      assertNoTimers();
    });

    it('expiresAt wins over timeoutMs; the last request moves up to expiresAt', async () => {
      const { endpoint, poller, at, phases } = setup([ok('pending')], { timeoutMs: 60_000, expiresAt: T0 + 7000 });
      const done = poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000, 4000, 6000, 7000]);
      assert.equal((await done).phase, 'expired');
      assert.equal(at[phases().indexOf('expired')], 7000);
      assertNoTimers();
    });

    it('an expiresAt already past makes exactly one check', async () => {
      const { endpoint, poller } = setup([ok('pending')], { expiresAt: T0 - 1000 });
      assert.equal((await Promise.all([poller.start(), clock.tickAsync(10_000)]))[0].phase, 'expired');
      assert.equal(endpoint.calls.length, 1);
      assertNoTimers();
    });

    it('an expiresAt already past still reports an accept that happened before', async () => {
      const { poller } = setup([ok('accepted')], { expiresAt: T0 - 1000 });
      const done = poller.start();
      await clock.tickAsync(0);
      assert.equal((await done).phase, 'accepted');
    });

    it('an accepted answer that arrives after the deadline wins', async () => {
      const { endpoint, poller } = setup([ok('pending'), ok('pending'), slow(3000, 'accepted')], { expiresAt: T0 + 5000 });
      const done = poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000, 4000]);
      assert.equal((await done).phase, 'accepted');
      assert.equal(poller.state.lastCheckedAt, T0 + 7000);
      assertNoTimers();
    });

    it('a pending answer that arrives after the deadline expires at once', async () => {
      const { endpoint, poller, at, phases } = setup([ok('pending'), slow(3000, 'pending')], { expiresAt: T0 + 3000 });
      void poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000]);
      assert.equal(poller.state.phase, 'expired');
      assert.equal(at[phases().indexOf('expired')], 5000);
      assertNoTimers();
    });

    it('a request hanging past expiry is aborted after the grace period', async () => {
      const { endpoint, poller } = setup([ok('pending'), hang()], { expiresAt: T0 + 3000, expiryGraceMs: 5000 });
      void poller.start();
      await clock.tickAsync(7999);
      assert.equal(poller.state.phase, 'pending');
      assert.equal(endpoint.calls[1].signal.aborted, false);
      await clock.tickAsync(1);
      assert.equal(poller.state.phase, 'expired');
      assert.equal(endpoint.calls[1].signal.aborted, true);
      assert.equal(endpoint.calls.length, 2);
      await clock.tickAsync(0);
      assert.equal(poller.state.phase, 'expired', 'the abort rejection must not turn into error');
      assertNoTimers();
    });

    it('timeoutMs is clamped to 1 s .. 900 s, and the timeout counts from start()', async () => {
      const short = setup([ok('pending')], { timeoutMs: 10 });
      await clock.tickAsync(5000);
      void short.poller.start();
      assert.equal(short.poller.state.expiresAt, T0 + 5000 + 1000);
      short.poller.cancel();
      const long = setup([ok('pending')], { timeoutMs: 10_000_000 });
      void long.poller.start();
      assert.equal(long.poller.state.expiresAt, T0 + 5000 + 900_000);
      long.poller.cancel();
    });

    it('a garbage expiresAt far in the future cannot keep a poll alive for hours', () => {
      const { poller } = setup([ok('pending')], { expiresAt: T0 + 24 * 3600_000 });
      void poller.start();
      assert.ok(poller.state.expiresAt <= T0 + 900_000 + 60_000);
      poller.cancel();
    });
  });

  describe('cancel', () => {
    it('cancel() while waiting clears the timer and sends nothing more', async () => {
      const { endpoint, poller, phases } = setup([ok('pending')]);
      const done = poller.start();
      await clock.tickAsync(500);
      assert.equal(clock.countTimers() > 0, true);
      poller.cancel();
      assert.equal(poller.state.phase, 'cancelled');
      assert.equal(poller.state.nextCheckAt, undefined);
      assertNoTimers();
      await clock.tickAsync(60_000);
      assert.equal(endpoint.calls.length, 1);
      assert.equal((await done).phase, 'cancelled');
      poller.cancel();
      assert.equal(phases().filter((p) => p === 'cancelled').length, 1, 'cancel is idempotent');
    });

    it('cancel() during a request aborts it, and its cancelled error is not reported as error', async () => {
      const { endpoint, poller, phases } = setup([ok('pending'), hang()]);
      const done = poller.start();
      await clock.tickAsync(2100);
      assert.equal(endpoint.calls.length, 2);
      assert.equal(endpoint.calls[1].signal.aborted, false);
      poller.cancel();
      assert.equal(endpoint.calls[1].signal.aborted, true);
      await clock.tickAsync(60_000);
      assert.equal((await done).phase, 'cancelled');
      assert.deepEqual(phases().slice(-1), ['cancelled']);
      assert.ok(!phases().includes('error'));
      assert.equal(endpoint.inFlight, 0);
      assertNoTimers();
    });

    it('a check that ignores the abort and answers late cannot restart the loop', async () => {
      const deaf: Step = () => new Promise((resolve) => setTimeout(() => resolve(result('pending')), 3000));
      const { endpoint, poller, phases } = setup([deaf]);
      void poller.start();
      await clock.tickAsync(1000);
      poller.cancel();
      await clock.tickAsync(2000); // the late answer arrives now
      assert.equal(poller.state.phase, 'cancelled');
      assert.deepEqual(phases(), ['pending', 'cancelled']);
      assertNoTimers();
      await clock.tickAsync(60_000);
      assert.equal(endpoint.calls.length, 1);
    });

    it('an external AbortSignal cancels, and its listener is removed afterwards', async () => {
      const external = new AbortController();
      const { endpoint, poller } = setup([ok('pending'), hang()], { signal: external.signal });
      const done = poller.start();
      await clock.tickAsync(2100);
      external.abort();
      assert.equal(endpoint.calls[1].signal.aborted, true);
      assert.equal((await done).phase, 'cancelled');
      assert.equal(getEventListeners(external.signal, 'abort').length, 0);
      assertNoTimers();
    });

    it('does not leave a listener on the external signal after settling', async () => {
      const external = new AbortController();
      const { poller } = setup([ok('accepted')], { signal: external.signal });
      const done = poller.start();
      await clock.tickAsync(0);
      assert.equal((await done).phase, 'accepted');
      assert.equal(getEventListeners(external.signal, 'abort').length, 0);
    });

    it('an already aborted signal sends no request at all', async () => {
      const external = new AbortController();
      external.abort();
      const { endpoint, poller } = setup([ok('pending')], { signal: external.signal });
      assert.equal((await poller.start()).phase, 'cancelled');
      assert.equal(endpoint.calls.length, 0);
      assertNoTimers();
    });

    it('cancel() before start() makes start() resolve cancelled without a request', async () => {
      const { endpoint, poller } = setup([ok('pending')]);
      poller.cancel();
      assert.equal((await poller.start()).phase, 'cancelled');
      assert.equal(endpoint.calls.length, 0);
      assertNoTimers();
    });
  });

  describe('errors', () => {
    for (const [kind, status] of [
      ['auth', 401],
      ['forbidden', 403],
      ['notFound', 404],
      ['invalidInput', undefined],
    ] as const) {
      it(`stops at once on ${kind}`, async () => {
        const { endpoint, poller } = setup([fail(http(kind, status)), ok('accepted')]);
        const done = poller.start();
        await clock.tickAsync(60_000);
        const final = await done;
        assert.equal(final.phase, 'error');
        assert.equal(final.error?.kind, kind);
        assert.equal(final.error?.httpStatus, status);
        assert.equal(final.lastHttpStatus, status);
        assert.equal(endpoint.calls.length, 1);
        assertNoTimers();
      });
    }

    it('a cancelled error it did not cause is an error, not a silent stop', async () => {
      const { poller } = setup([fail(cancelledError())]);
      const done = poller.start();
      await clock.tickAsync(0);
      assert.equal((await done).error?.kind, 'cancelled');
    });

    it('an unexpected exception (a bug, not the API) stops with an error', async () => {
      const { endpoint, poller } = setup([fail(new TypeError('boom'))]);
      const done = poller.start();
      await clock.tickAsync(60_000);
      const final = await done;
      assert.equal(final.phase, 'error');
      assert.match(final.error?.message ?? '', /boom/);
      assert.equal(endpoint.calls.length, 1);
      assertNoTimers();
    });

    it('a check that throws synchronously is handled the same way', async () => {
      const poller = new VerificationPoller({
        userId: 'u1',
        verificationId: 'v1',
        check: () => {
          throw new RangeError('sync boom');
        },
      });
      const done = poller.start();
      await clock.tickAsync(0);
      assert.match((await done).error?.message ?? '', /sync boom/);
      assertNoTimers();
    });

    for (const kind of ['server', 'network', 'timeout', 'invalidResponse'] as const) {
      it(`retries ${kind} and then reports the answer`, async () => {
        const { endpoint, poller, states } = setup([fail(http(kind, kind === 'server' ? 502 : undefined)), ok('accepted')]);
        const done = poller.start();
        await clock.tickAsync(0);
        assert.equal(poller.state.phase, 'pending');
        assert.deepEqual(poller.state.retry, { reason: http(kind, kind === 'server' ? 502 : undefined).toJSON(), delayMs: 2000 });
        await clock.tickAsync(60_000);
        assert.equal((await done).phase, 'accepted');
        assert.deepEqual(endpoint.times, [0, 2000]);
        assert.ok(states.some((s) => s.retry?.reason.kind === kind));
      });
    }
  });

  describe('rate limiting and backoff', () => {
    it('429 with retryAfterMs waits exactly that long, not less', async () => {
      const { endpoint, poller } = setup([fail(http('rateLimited', 429, 7000)), ok('accepted')], { random: () => 0 });
      void poller.start();
      await clock.tickAsync(0);
      assert.equal(poller.state.retry?.delayMs, 7000);
      assert.equal(poller.state.retry?.reason.kind, 'rateLimited');
      assert.equal(poller.state.nextCheckAt, T0 + 7000);
      assert.equal(poller.state.lastHttpStatus, 429);
      await clock.tickAsync(6999);
      assert.equal(endpoint.calls.length, 1);
      await clock.tickAsync(1);
      assert.deepEqual(endpoint.times, [0, 7000]);
      await clock.tickAsync(0);
      assert.equal(poller.state.phase, 'accepted');
    });

    it('429 jitter only adds to Retry-After, within the ratio', async () => {
      const { endpoint, poller } = setup([fail(http('rateLimited', 429, 7000)), ok('accepted')], { random: () => 0.99999 });
      void poller.start();
      await clock.tickAsync(60_000);
      assert.equal(endpoint.times[1], 7700);
    });

    it('429 asking for less than the interval still waits the interval', async () => {
      const { endpoint, poller } = setup([fail(http('rateLimited', 429, 300)), ok('accepted')], { random: () => 0 });
      void poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.times, [0, 2000]);
    });

    it('429 without Retry-After backs off exponentially', async () => {
      const limited = fail(http('rateLimited', 429));
      const { endpoint, poller } = setup([limited, limited, limited, ok('accepted')]);
      void poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.gaps, [2000, 4000, 8000]);
      assert.equal(poller.state.phase, 'accepted');
    });

    it('a 429 wait that runs past expiry ends the poll as rate-limited (not "expired"), saying when the limit resets, without another request (issue 14, defect 5)', async () => {
      const { endpoint, poller, at, phases } = setup([fail(http('rateLimited', 429, 60_000))], { timeoutMs: 10_000, random: () => 0 });
      void poller.start();
      await clock.tickAsync(60_000);
      assert.equal(endpoint.calls.length, 1);
      assert.equal(poller.state.phase, 'error');
      assert.equal(poller.state.error?.kind, 'rateLimited');
      assert.equal(poller.state.error?.code, 'RATE_LIMITED');
      assert.equal(poller.state.error?.resetAt, T0 + 60_000);
      assert.match(poller.state.error?.message ?? '', /resets in 60 s .*outcome is unknown.*new push/);
      assert.equal(at[phases().indexOf('error')], 0, 'said at once, not after waiting for the expiry');
      assert.ok(!phases().includes('expired'));
      assertNoTimers();
    });

    it('400, 409 and 422 are permanent: one request, never ten (issue 14, defect 8)', async () => {
      for (const status of [400, 409, 422]) {
        const { endpoint, poller } = setup([fail(http('invalidResponse', status))], { timeoutMs: 900_000 });
        void poller.start();
        await clock.tickAsync(60_000);
        assert.equal(endpoint.calls.length, 1, String(status));
        assert.equal(poller.state.phase, 'error');
        assert.equal(poller.state.error?.httpStatus, status);
      }
    });

    it('a 5xx streak backs off 2, 4, 8 s and a success resets it', async () => {
      const e500 = fail(http('server', 500));
      const { endpoint, poller } = setup([e500, e500, e500, ok('pending'), e500, ok('accepted')]);
      void poller.start();
      await clock.tickAsync(60_000);
      // after the pending answer the gap is the plain interval again, and so is the first gap after the next 500
      assert.deepEqual(endpoint.gaps, [2000, 4000, 8000, 2000, 2000]);
      assert.equal(poller.state.phase, 'accepted');
    });

    it('backoff is capped at maxBackoffMs, even with the largest jitter', async () => {
      const { endpoint, poller } = setup([fail(http('server', 503))], {
        maxBackoffMs: 10_000,
        maxConsecutiveFailures: 100,
        random: () => 0.99999,
      });
      void poller.start();
      await clock.tickAsync(60_000);
      assert.deepEqual(endpoint.gaps.slice(0, 6), [2200, 4400, 8800, 10_000, 10_000, 10_000]);
      assert.ok(endpoint.gaps.every((g) => g <= 10_000));
      poller.cancel();
    });

    it('stops with error after maxConsecutiveFailures transient failures in a row', async () => {
      const { endpoint, poller } = setup([fail(http('server', 500))], { maxConsecutiveFailures: 3 });
      const done = poller.start();
      await clock.tickAsync(60_000);
      const final = await done;
      assert.equal(final.phase, 'error');
      assert.equal(final.error?.kind, 'server');
      assert.equal(endpoint.calls.length, 3);
      assertNoTimers();
    });

    it('the default cap on consecutive failures is 10', async () => {
      const { endpoint, poller } = setup([fail(http('invalidResponse', 200))], { timeoutMs: 900_000 });
      const done = poller.start();
      await clock.tickAsync(900_000);
      assert.equal((await done).phase, 'error');
      assert.equal(endpoint.calls.length, 10);
    });

    it('a success in between resets the failure count', async () => {
      const e500 = fail(http('server', 500));
      const { endpoint, poller } = setup([e500, e500, ok('pending'), e500, e500, ok('pending')], { maxConsecutiveFailures: 3 });
      void poller.start();
      await clock.tickAsync(30_000);
      assert.equal(poller.state.phase, 'pending');
      assert.ok(endpoint.calls.length > 6);
      poller.cancel();
    });
  });

  describe('timing', () => {
    it('jitter keeps every interval within ±10 %', async () => {
      const values = [0, 0.99999, 0.25, 0.75, 0.5];
      let i = 0;
      const { endpoint, poller } = setup([ok('pending')], { random: () => values[i++ % values.length], timeoutMs: 60_000 });
      void poller.start();
      await clock.tickAsync(10_000);
      assert.deepEqual(endpoint.gaps.slice(0, 5), [1800, 2200, 1900, 2100, 2000]);
      poller.cancel();
    });

    it('never waits less than 1 s: at the minimum interval the spread narrows to none (it does not only add)', async () => {
      const { endpoint, poller } = setup([ok('pending')], { intervalMs: 1000, random: () => 0 });
      void poller.start();
      await clock.tickAsync(5000);
      assert.deepEqual(endpoint.gaps, [1000, 1000, 1000, 1000, 1000]);
      poller.cancel();
    });

    it('clamps an interval below 1 s to 1 s', async () => {
      const { endpoint, poller } = setup([ok('pending')], { intervalMs: 100 });
      void poller.start();
      await clock.tickAsync(3000);
      assert.deepEqual(endpoint.times, [0, 1000, 2000, 3000]);
      poller.cancel();
    });

    it('fixed rate: one interval from request start to request start, whatever the round trip', async () => {
      const { endpoint, poller } = setup([slow(300, 'pending')], { timeoutMs: 30_000 });
      void poller.start();
      await clock.tickAsync(300);
      assert.equal(poller.state.lastCheckedAt, T0 + 300);
      assert.equal(poller.state.nextCheckAt, T0 + 2000, 'counted from the request, not the reply');
      await clock.tickAsync(5700);
      assert.deepEqual(endpoint.times, [0, 2000, 4000, 6000]);
      poller.cancel();
    });

    it('a reply slower than the interval is never overlapped: the next request follows it at once', async () => {
      const { endpoint, poller, states } = setup([ok('pending'), slow(5000, 'pending'), slow(2500, 'pending'), ok('pending')], { timeoutMs: 30_000 });
      void poller.start();
      await clock.tickAsync(12_000);
      // 0 → 2000 (5 s reply) → 7000 (2.5 s reply) → 9500 → back on the interval; "at once" is setTimeout's 1 ms
      assert.deepEqual(endpoint.times, [0, 2000, 7001, 9502, 11_502]);
      assert.equal(endpoint.maxInFlight, 1);
      assert.ok(states.some((s) => s.lastCheckedAt === T0 + 7000 && s.nextCheckAt === T0 + 7001), 'due the moment the slow reply came');
      poller.cancel();
    });

    it('jitter is centred: the mean period is the interval, each within ±10 %', async () => {
      // random() sweeps [0, 1) evenly, like a uniform source over 20 checks
      let i = 0;
      const { endpoint, poller } = setup([slow(150, 'pending')], { random: () => (i++ % 20) / 20 + 1 / 40, timeoutMs: 120_000 });
      void poller.start();
      await clock.tickAsync(41_000);
      const gaps = endpoint.gaps.slice(0, 20);
      assert.equal(gaps.length, 20);
      assert.equal(gaps.reduce((a, b) => a + b, 0) / gaps.length, 2000);
      assert.ok(Math.min(...gaps) >= 1800 && Math.max(...gaps) <= 2200, gaps.join(' '));
      assert.ok(new Set(gaps).size > 10, 'spread, not constant');
      poller.cancel();
    });

    it('the budget\'s paced interval is a period too (request start to request start)', async () => {
      const { endpoint, poller } = setup([slow(400, 'pending')], { pace: () => 5000, timeoutMs: 30_000 });
      void poller.start();
      await clock.tickAsync(15_000);
      assert.deepEqual(endpoint.times, [0, 5000, 10_000, 15_000]);
      poller.cancel();
    });

    it('Retry-After and backoff still wait from the response, not from the request start', async () => {
      const { endpoint, poller } = setup([slowFail(700, http('server', 503)), slowFail(500, http('rateLimited', 429, 3000)), ok('pending')], {
        jitterRatio: 0,
        timeoutMs: 30_000,
      });
      void poller.start();
      await clock.tickAsync(700);
      assert.equal(poller.state.nextCheckAt, T0 + 2700, 'the backoff counts from the 503');
      await clock.tickAsync(2500);
      assert.equal(poller.state.nextCheckAt, T0 + 6200, 'Retry-After counts from the 429');
      await clock.tickAsync(5000);
      // 503 answered at 700 → 2 s backoff → 2700; 429 answered at 3200 → 3 s → 6200; then the interval again
      assert.deepEqual(endpoint.times, [0, 2700, 6200, 8200]);
      poller.cancel();
    });
  });

  describe('state changes', () => {
    it('emits every state in order with attempt, nextCheckAt and retry', async () => {
      const { poller, states } = setup([ok('pending'), fail(http('server', 500)), ok('accepted')]);
      void poller.start();
      await clock.tickAsync(60_000);
      const base = { userId: 'u1', verificationId: 'v1', expiresAt: T0 + 120_000 };
      const server = http('server', 500).toJSON();
      assert.deepEqual(states, [
        { ...base, phase: 'pending', attempt: 1 },
        { ...base, phase: 'pending', attempt: 1, deviceId: '3919988', lastHttpStatus: 200, lastCheckedAt: T0, nextCheckAt: T0 + 2000 },
        { ...base, phase: 'pending', attempt: 2, deviceId: '3919988', lastHttpStatus: 200, lastCheckedAt: T0 },
        {
          ...base,
          phase: 'pending',
          attempt: 2,
          deviceId: '3919988',
          lastHttpStatus: 500,
          lastCheckedAt: T0 + 2000,
          nextCheckAt: T0 + 4000,
          retry: { reason: server, delayMs: 2000 },
        },
        // the retry stays visible while the retry request is in flight
        { ...base, phase: 'pending', attempt: 3, deviceId: '3919988', lastHttpStatus: 500, lastCheckedAt: T0 + 2000, retry: { reason: server, delayMs: 2000 } },
        { ...base, phase: 'accepted', attempt: 3, deviceId: '3919988', lastHttpStatus: 200, lastCheckedAt: T0 + 4000 },
      ]);
    });

    it('state snapshots are frozen', async () => {
      const { poller, states } = setup([ok('accepted')]);
      void poller.start();
      await clock.tickAsync(0);
      assert.ok(states.length > 0 && states.every((s) => Object.isFrozen(s)));
      assert.ok(Object.isFrozen(poller.state));
    });

    it('a throwing listener neither breaks the loop nor starves other listeners', async () => {
      const errors: unknown[] = [];
      const { poller, phases } = setup([ok('pending'), ok('accepted')], { onListenerError: (e) => errors.push(e) });
      poller.onDidChange(() => {
        throw new Error('listener bug');
      });
      const done = poller.start();
      await clock.tickAsync(60_000);
      assert.equal((await done).phase, 'accepted');
      assert.deepEqual(phases(), ['pending', 'pending', 'pending', 'accepted']);
      assert.equal(errors.length, 4);
    });

    it('a listener that cancels does not make other listeners see states out of order', async () => {
      const { endpoint, poller } = setup([ok('pending')]);
      poller.onDidChange((s) => {
        if (s.phase === 'pending') poller.cancel();
      });
      const seen: string[] = [];
      poller.onDidChange((s) => seen.push(s.phase));
      assert.equal((await poller.start()).phase, 'cancelled');
      assert.deepEqual(seen, ['pending', 'cancelled']);
      assert.equal(endpoint.calls.length, 0, 'cancelled before the request was sent');
      assertNoTimers();
    });

    it('dispose() of a subscription stops its events', async () => {
      const { poller } = setup([ok('pending')]);
      const seen: PollState[] = [];
      const sub = poller.onDidChange((s) => seen.push(s));
      void poller.start();
      sub.dispose();
      await clock.tickAsync(5000);
      assert.equal(seen.length, 1);
      poller.cancel();
    });
  });
});

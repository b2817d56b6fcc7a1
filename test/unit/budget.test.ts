import * as assert from 'node:assert/strict';
import * as FakeTimers from '@sinonjs/fake-timers';
import { boundedShare, planIntervals, RateBudget, RateBudgets, type BudgetPoll } from '../../src/verification/budget';
import { PollManager } from '../../src/verification/pollManager';
import type { VerificationStatusResult } from '../../src/verification/types';

const T0 = 1_700_000_000_000;
const polls = (...list: BudgetPoll[]): Map<string, BudgetPoll> => new Map(list.map((p, i) => [`p${i}`, p]));

describe('rate-limit budget guard (issue 14)', () => {
  describe('planIntervals', () => {
    it('one poll at the 1 s minimum for a whole 900 s verification on a fresh 5,000-call budget runs at full speed', () => {
      const { intervals, view } = planIntervals(polls({ intervalMs: 1000, expiresAt: T0 + 900_000 }), { limit: 5000, remaining: 5000, resetAt: T0 + 3_600_000, observedAt: T0 }, 0.5, T0);
      assert.equal(intervals.get('p0'), 1000);
      assert.deepEqual(view, { polls: 1, slowedPolls: 0, factor: 1, projectedCalls: 900, allowedCalls: 2500, maxShare: 0.5 });
    });

    it('a few polls on a healthy budget are never slowed', () => {
      const p = polls(...Array.from({ length: 2 }, () => ({ intervalMs: 1000, expiresAt: T0 + 900_000 })));
      const { view } = planIntervals(p, { limit: 5000, remaining: 4000, resetAt: T0 + 3_600_000, observedAt: T0 }, 0.5, T0);
      assert.equal(view.slowedPolls, 0);
    });

    it('many polls: intervals stretch, shared equally, so the projection stays within maxShare of what remains', () => {
      const p = polls(...Array.from({ length: 20 }, () => ({ intervalMs: 1000, expiresAt: T0 + 900_000 })));
      const obs = { limit: 5000, remaining: 5000, resetAt: T0 + 3_600_000, observedAt: T0 };
      const { intervals, view } = planIntervals(p, obs, 0.5, T0);
      assert.equal(view.projectedCalls, 18_000);
      assert.equal(view.allowedCalls, 2500);
      assert.equal(view.slowedPolls, 20);
      assert.equal(new Set(intervals.values()).size, 1, 'fair: all the same');
      const interval = intervals.get('p0') as number;
      assert.equal(interval, 7200);
      assert.equal(view.factor, 7.2);
      assert.equal(view.slowedIntervalMs, 7200);
      const spent = [...intervals.values()].reduce((sum, ms) => sum + 900_000 / ms, 0);
      assert.ok(spent <= 2500, `projected after stretching: ${spent}`);
    });

    it('a poll that asks for less keeps its own interval; the fast ones share what is left; nobody is sped up', () => {
      const p = new Map<string, BudgetPoll>([
        ['slow', { intervalMs: 60_000, expiresAt: T0 + 600_000 }],
        ['fast1', { intervalMs: 1000, expiresAt: T0 + 600_000 }],
        ['fast2', { intervalMs: 1000, expiresAt: T0 + 600_000 }],
      ]);
      // allowed 0.5 * 410 = 205: slow spends 10, the two fast ones share 195 over 600 s each.
      const { intervals } = planIntervals(p, { limit: 5000, remaining: 410, resetAt: T0 + 3_600_000, observedAt: T0 }, 0.5, T0);
      assert.equal(intervals.get('slow'), 60_000);
      assert.equal(intervals.get('fast1'), intervals.get('fast2'));
      assert.equal(intervals.get('fast1'), Math.ceil(1 / (195 / 1_200_000)));
      for (const [key, ms] of intervals) assert.ok(ms >= (p.get(key) as BudgetPoll).intervalMs);
    });

    it('counts only up to the window reset, and knows the window is back after it', () => {
      const p = polls(...Array.from({ length: 3 }, () => ({ intervalMs: 1000, expiresAt: T0 + 100_000 })));
      const obs = { limit: 5000, remaining: 10, resetAt: T0 + 10_000, observedAt: T0 };
      const before = planIntervals(p, obs, 0.5, T0);
      assert.equal(before.view.projectedCalls, 30);
      assert.equal(before.intervals.get('p0'), 6000);
      const after = planIntervals(p, obs, 0.5, T0 + 10_000);
      assert.equal(after.view.slowedPolls, 0, 'a fresh window of 5,000 calls');
    });

    it('nothing left: one interval as long as the poll has left (it still checks once at expiry)', () => {
      const { intervals } = planIntervals(polls({ intervalMs: 2000, expiresAt: T0 + 100_000 }), { limit: 5000, remaining: 0, resetAt: T0 + 3_600_000, observedAt: T0 }, 0.5, T0);
      assert.equal(intervals.get('p0'), 100_000);
    });

    it('what the polls already spent in this window counts against the share (it cannot add up to everything)', () => {
      const p = polls({ intervalMs: 1000, expiresAt: T0 + 100_000 });
      // 300 spent by the polls, 300 left: with share 0.5 the polls may not spend any more
      const { intervals, view } = planIntervals(p, { limit: 600, remaining: 300, resetAt: T0 + 3_600_000, observedAt: T0, spent: 300 }, 0.5, T0);
      assert.equal(view.allowedCalls, 0);
      assert.equal(intervals.get('p0'), 100_000);
    });

    it('the share setting is bounded: 0.05..1, the default 0.5 otherwise', () => {
      assert.equal(boundedShare(0.01), 0.05);
      assert.equal(boundedShare(2), 1);
      assert.equal(boundedShare('x'), 0.5);
      assert.equal(boundedShare(0.3), 0.3);
    });
  });

  describe('RateBudget', () => {
    it('reads the headers of every response; an older response does not win over a newer one; budgets are per tenant', () => {
      let now = T0;
      const budgets = new RateBudgets(() => 0.5, () => now);
      const a = budgets.for('https://a.onelogin.com');
      assert.equal(budgets.for('https://a.onelogin.com'), a);
      const b = budgets.for('https://b.onelogin.com');
      for (let i = 0; i < 10; i++) a.add(`k${i}`, { intervalMs: 1000, expiresAt: now + 100_000 });
      b.add('k0', { intervalMs: 1000, expiresAt: now + 100_000 });
      a.observe({ limit: 5000, remaining: 400, resetSeconds: 3600 }, now);
      a.observe({ limit: 5000, remaining: 5000, resetSeconds: 3600 }, now - 1);
      b.observe({ limit: 5000, remaining: 5000, resetSeconds: 3600 }, now);
      assert.equal(a.intervalFor('k0'), 5000, '10 polls × 100 s at 1 s = 1000 calls; 200 allowed');
      assert.equal(b.intervalFor('k0'), 1000);
      assert.deepEqual(budgets.views().map((v) => v.view.slowedPolls), [10, 0]);
      a.remove('k0');
      now += 1;
      assert.equal(a.view().polls, 9);
    });

    it('the first numbers apply at once, even when a plan was made without them a moment before (the status bar asks as polls start)', () => {
      let now = T0;
      const budget = new RateBudget(() => 0.5, () => now);
      for (let i = 0; i < 20; i++) budget.add(`k${i}`, { intervalMs: 1000, expiresAt: T0 + 60_000 });
      assert.equal(budget.view().slowedPolls, 0, 'nothing known yet: nothing slowed');
      // 20 polls × 60 s at 1 s = 1200 calls; 0.5 × 1200 = 600 allowed: twice as slow.
      budget.observe({ limit: 1200, remaining: 1200, resetSeconds: 3600 }, now);
      assert.equal(budget.intervalFor('k0'), 2000);
      // Later numbers of the same window wait for the plan to age (PLAN_TTL_MS): 20 left, 20 spent, none allowed.
      for (let i = 0; i < 20; i++) budget.charge();
      budget.observe({ limit: 1200, remaining: 20, resetSeconds: 3600 }, now);
      assert.equal(budget.intervalFor('k0'), 2000);
      now += 300;
      budget.observe({ limit: 1200, remaining: 20, resetSeconds: 3600 }, now);
      assert.equal(budget.view().allowedCalls, 0);
      // A new window is news too: the spend starts over, and the plan with it, at once.
      now += 1;
      budget.observe({ limit: 1200, remaining: 1200, resetSeconds: 3700 }, now);
      assert.equal(budget.view().allowedCalls, 600);
      assert.equal(budget.intervalFor('k0'), Math.ceil((20 * (60_000 - 301)) / 600));
    });

    it('with fake timers: 20 polls whose nominal demand is twice what the guard allows spend no more than allowed', async () => {
      const clock = FakeTimers.install({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const LIMIT = 1200;
        let remaining = LIMIT;
        const resetAt = T0 + 3_600_000;
        const budget = new RateBudget(() => 0.5, () => Date.now());
        let calls = 0;
        const check = (_userId: string, verificationId: string) => (): Promise<VerificationStatusResult> => {
          calls++;
          remaining--;
          // the response's headers feed the budget, as the client's exchanges do in the extension
          budget.observe({ limit: LIMIT, remaining, resetSeconds: Math.ceil((resetAt - Date.now()) / 1000) }, Date.now());
          return Promise.resolve({ id: verificationId, status: 'pending', httpStatus: 200, exchangeId: calls });
        };
        const manager = new PollManager(check, () => ({ intervalMs: 1000, timeoutMs: 60_000, jitterRatio: 0, random: () => 0.5 }), () => budget);
        // nominal: 20 polls × 60 calls = 1200 = twice the 600 the guard allows (0.5 × 1200)
        for (let i = 0; i < 20; i++) manager.start({ userId: 'u', verificationId: `v${i}` });
        await clock.tickAsync(61_000);
        assert.ok(manager.states().every((s) => s.phase === 'expired'));
        assert.ok(calls <= 600 + 20, `spent ${calls} calls; at most the allowed 600, plus each poll's last check at expiry`);
        assert.ok(calls >= 500, `but not starved either: ${calls}`);
        assert.ok(remaining >= 580, `what is left for the rest of the account: ${remaining}`);
        assert.equal(budget.view().polls, 0, 'finished polls leave the budget');
        manager.dispose();
      } finally {
        clock.uninstall();
      }
    });

    it('at scale, with fake timers: 200 polls with staggered expiries demanding twice what it allows; every accept before expiry is seen, the spend stays within the allowance, polls running together share evenly', async () => {
      const clock = FakeTimers.install({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        // Expiries 20..30 s, 60% accepted 10..95% of the way there: the bench's `budget` area, deterministic.
        const lifetime = (i: number): number => 20_000 + ((i * 7919) % 10_000);
        const acceptAt = (i: number): number | undefined => (i % 5 < 3 ? T0 + lifetime(i) * (0.1 + ((i * 37) % 85) / 100) : undefined);
        const LIMIT = Math.round(Array.from({ length: 200 }, (_, i) => lifetime(i) / 1000).reduce((a, b) => a + b, 0)); // nominal = 2 × 0.5 × LIMIT
        let remaining = LIMIT;
        const budget = new RateBudget(() => 0.5, () => Date.now());
        let calls = 0;
        let refused = 0;
        const check = (_userId: string, verificationId: string) => (): Promise<VerificationStatusResult> => {
          const i = Number(verificationId.slice(1));
          calls++;
          if (remaining === 0) refused++; // what the account would answer with 429
          remaining = Math.max(0, remaining - 1);
          budget.observe({ limit: LIMIT, remaining, resetSeconds: 600 }, Date.now());
          const accepted = (acceptAt(i) ?? Infinity) <= Date.now();
          return Promise.resolve({ id: verificationId, status: accepted ? 'accepted' : 'pending', httpStatus: 200, exchangeId: calls });
        };
        const manager = new PollManager(check, () => ({ intervalMs: 1000, timeoutMs: 60_000, jitterRatio: 0, random: () => 0.5 }), () => budget);
        const bySecond = new Map<number, number[]>();
        const finals = new Map<string, string>();
        manager.onDidChange((s) => {
          if (s.phase !== 'pending' && s.phase !== 'idle') finals.set(s.verificationId, s.phase);
          if (s.phase !== 'pending' || s.nextCheckAt === undefined || s.lastCheckedAt === undefined || s.nextCheckAt >= s.expiresAt) return;
          const second = Math.floor((s.lastCheckedAt - T0) / 1000);
          bySecond.set(second, [...(bySecond.get(second) ?? []), s.nextCheckAt - s.lastCheckedAt]);
        });
        for (let i = 0; i < 200; i++) manager.start({ userId: 'u', verificationId: `v${i}`, expiresAt: T0 + lifetime(i) });
        await clock.tickAsync(31_000);

        assert.equal(refused, 0, 'no call beyond the window (a 429)');
        for (let i = 0; i < 200; i++) assert.equal(finals.get(`v${i}`), acceptAt(i) !== undefined ? 'accepted' : 'expired', `v${i}`);
        assert.ok(calls <= LIMIT / 2 + 200, `spent ${calls}: at most the ${LIMIT / 2} allowed plus one check at expiry per poll`);
        assert.ok(calls >= LIMIT * 0.4, `not starved: ${calls}`);
        // Within a second the plan may change (polls end, the spend moves), so intervals are compared by
        // Jain's index of their rates: 1 when all equal; intervals in proportion to what each poll has left
        // (20..30 s) would score about 0.986.
        for (const [second, intervals] of bySecond) {
          if (intervals.length < 20) continue;
          const rates = intervals.map((ms) => 1 / ms);
          const jain = rates.reduce((a, r) => a + r, 0) ** 2 / (rates.length * rates.reduce((a, r) => a + r * r, 0));
          assert.ok(jain >= 0.995, `second ${second}: Jain ${jain.toFixed(4)}, intervals ${Math.min(...intervals)}..${Math.max(...intervals)} ms for polls running together`);
        }
        manager.dispose();
      } finally {
        clock.uninstall();
      }
    });
  });
});

/**
 * (8) The budget at scale: 200 verifications polled at once through the extension's data path with the
 * rate-limit budget guard wired as the extension wires it (src/app.ts through bench/lib/benchApp.ts, `maxShare`), against the
 * simulator (its own process) enforcing one fixed window of calls, with X-RateLimit-* on every reply.
 *
 * Time is scaled down: every poll runs at the 1 s minimum interval and its verification expires 20..30 s
 * after it starts (8..12 s with --quick). The window's limit is set so that the polls' nominal demand
 * (each one at its own interval until its expiry: what the guard projects at the start) is twice what the
 * guard allows (maxShare 0.5 of the window), and the window outlasts the run. 60% of the verifications are
 * accepted (sim.setStatus) at a random moment 10..95% of the way to their expiry; the rest expire.
 *
 * Reported: 429s (goal 0); the verifications accepted before their expiry that the polls saw accepted
 * (goal all), with how long each took to be seen; requests spent against the limit; and how evenly the
 * stretched intervals were shared: each poll's mean interval, and Jain's fairness index over the call
 * rates the guard gave in each quarter second of the run (it re-plans at most that often, so intervals
 * given together come from one plan; over longer slots the plan's own movement as polls end would count
 * as unfairness), in % (100 = perfectly even; the poller's ±10% jitter alone gives about 99.7).
 */
import { createBenchApp } from './lib/benchApp';
import { startRemoteSim } from './lib/remoteSim';
import { fmt, max, median, min, quantile, single, sleep } from './lib/stats';
import type { Area, Metric } from './lib/types';

const A = 'budget';
const TOKEN = 'bench-token';
const USER = '1001';
const POLLS = 200;
const INTERVAL_MS = 1000;
const SHARE = 0.5;
const ACCEPTED_SHARE = 0.6;

interface Plan {
  id: string;
  expiresAt: number;
  /** Epoch ms the simulator flips it to accepted; undefined: it never is. */
  acceptAt?: number;
}

/** A regular interval the poller scheduled (not a retry, not the last check clamped to expiry). */
interface Scheduled {
  id: string;
  at: number;
  intervalMs: number;
}

/** Jain's fairness index: (Σx)² / (n Σx²); 1 when all equal. */
export function jain(xs: readonly number[]): number {
  const sum = xs.reduce((a, x) => a + x, 0);
  const squares = xs.reduce((a, x) => a + x * x, 0);
  return xs.length === 0 || squares === 0 ? NaN : (sum * sum) / (xs.length * squares);
}

/** Jain's index over the rates given in each `slotMs` of the run (slots with at least 10 intervals given). */
function fairnessPerSlot(scheduled: readonly Scheduled[], t0: number, slotMs: number): number[] {
  const slots = new Map<number, number[]>();
  for (const s of scheduled) {
    const slot = Math.floor((s.at - t0) / slotMs);
    let rates = slots.get(slot);
    if (!rates) slots.set(slot, (rates = []));
    rates.push(1 / s.intervalMs);
  }
  return [...slots.values()].filter((r) => r.length >= 10).map(jain);
}

export const budget: Area = async ({ quick }, log) => {
  const [lo, hi] = quick ? [8_000, 12_000] : [20_000, 30_000];
  const lifetimes = Array.from({ length: POLLS }, () => lo + Math.random() * (hi - lo));
  // What the guard projects at the start: every poll at its own interval until its expiry.
  const nominal = lifetimes.reduce((sum, ms) => sum + ms / INTERVAL_MS, 0);
  const limit = Math.round(nominal / (2 * SHARE)); // allowed = SHARE × limit = nominal / 2
  const sim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit, windowMs: 600_000 } });
  const p = await createBenchApp({ baseUrl: sim.url, token: TOKEN, intervalMs: INTERVAL_MS, timeoutMs: hi, maxShare: SHARE });
  const timers: ReturnType<typeof setTimeout>[] = [];
  try {
    const ids = await sim.addVerifications(USER, lifetimes.map(() => ({ expiresInSeconds: 900 })));
    const t0 = Date.now();
    const plans: Plan[] = ids.map((id, i) => {
      const expiresAt = t0 + lifetimes[i];
      const accepted = Math.random() < ACCEPTED_SHARE;
      return { id, expiresAt, acceptAt: accepted ? t0 + lifetimes[i] * (0.1 + Math.random() * 0.85) : undefined };
    });
    const flippedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const scheduled: Scheduled[] = [];
    p.app.polls.onDidChange((s) => {
      if (s.phase === 'accepted') seenAt.set(s.verificationId, Date.now());
      const at = s.lastCheckedAt;
      if (s.phase !== 'pending' || s.retry || s.nextCheckAt === undefined || at === undefined || s.nextCheckAt >= s.expiresAt) return;
      scheduled.push({ id: s.verificationId, at, intervalMs: s.nextCheckAt - at });
    });
    for (const plan of plans) {
      if (plan.acceptAt === undefined) continue;
      timers.push(
        setTimeout(() => {
          sim.setStatus(USER, plan.id, 'accepted').then(
            (t) => flippedAt.set(plan.id, t),
            () => undefined,
          );
        }, plan.acceptAt - t0),
      );
    }

    log(`${POLLS} polls at ${INTERVAL_MS} ms, expiring ${lo / 1000}..${hi / 1000} s; window limit ${limit} (nominal demand ${Math.round(nominal)} = 2 × the ${Math.round(SHARE * limit)} the guard allows)`);
    let peakSlowed = 0;
    const watch = setInterval(() => {
      for (const { view } of p.app.budgets.views()) peakSlowed = Math.max(peakSlowed, view.slowedPolls);
    }, 250);
    const finals = await Promise.all(plans.map((plan) => p.app.polls.start({ userId: USER, verificationId: plan.id, expiresAt: plan.expiresAt }).start()));
    clearInterval(watch);
    const elapsed = Date.now() - t0;
    await sleep(100); // flips still on their way back over IPC
    const stats = await sim.stats();

    const r429 = stats.byStatus['429'] ?? 0;
    const other = Object.entries(stats.byStatus).filter(([k]) => k !== '200' && k !== '429').map(([k, v]) => `${k}×${v}`).join(', ');
    const acceptedInTime = plans.filter((plan) => (flippedAt.get(plan.id) ?? Infinity) < plan.expiresAt);
    const seen = acceptedInTime.filter((plan) => finals[plans.indexOf(plan)].phase === 'accepted');
    const lags = seen.map((plan) => (seenAt.get(plan.id) ?? NaN) - (flippedAt.get(plan.id) ?? NaN)).filter(Number.isFinite);
    const phases = finals.reduce<Record<string, number>>((acc, s) => ((acc[s.phase] = (acc[s.phase] ?? 0) + 1), acc), {});
    const polls = finals.reduce((n, s) => n + s.attempt, 0);

    const byPoll = new Map<string, number[]>();
    for (const s of scheduled) byPoll.set(s.id, [...(byPoll.get(s.id) ?? []), s.intervalMs]);
    const meanIntervals = [...byPoll.values()].map((xs) => xs.reduce((a, x) => a + x, 0) / xs.length / 1000);
    const fairness = fairnessPerSlot(scheduled, t0, 250).map((j) => j * 100);
    // What the same polls would have spent without the guard: a check every interval from the start until
    // the one that sees the accept, or until the check at expiry.
    const unguarded = plans.reduce((sum, plan) => sum + Math.ceil(((plan.acceptAt ?? plan.expiresAt) - t0) / INTERVAL_MS) + 1, 0);

    return [
      single(A, `429 responses, ${POLLS} polls demanding 2× what the guard allows`, r429, 'count', `goal 0; window limit ${limit}, maxShare ${SHARE}, nominal demand ${Math.round(nominal)}${other ? `; other statuses: ${other}` : ''}; final phases: ${Object.entries(phases).map(([k, v]) => `${k} ${v}`).join(', ')}; ${(elapsed / 1000).toFixed(1)} s`, { byStatus: stats.byStatus, phases }),
      single(A, 'accepted before expiry and seen accepted', seen.length, 'verifications', `goal all: ${seen.length} of ${acceptedInTime.length}; accept → seen p50 ${fmt(median(lags) / 1000)} s, p90 ${fmt(quantile(lags, 0.9) / 1000)} s, max ${fmt(max(lags) / 1000)} s`, { lagsMs: lags }),
      single(A, 'requests spent (simulator count)', stats.requests, 'req', `${fmt((100 * stats.requests) / limit)}% of the window's ${limit}; the guard allows ${Math.round(SHARE * limit)} plus each poll's check at its expiry; ${limit - stats.requests} left for the rest of the account; ${polls} status checks by the polls; without the guard ≈ ${unguarded} (${fmt((100 * unguarded) / limit)}%)`),
      single(A, 'stretched interval per verification (its mean)', median(meanIntervals), 's', `min ${fmt(min(meanIntervals))} / max ${fmt(max(meanIntervals))} over ${meanIntervals.length} polls; own interval ${INTERVAL_MS / 1000} s; ${peakSlowed} polls slowed at once at most; means differ with when a poll ran (intervals shorten as polls end)`),
      single(A, "fairness: Jain's index of the rates given together (per 0.25 s)", median(fairness), '%', `min ${fmt(min(fairness))}% over ${fairness.length} quarter seconds with ≥ 10 intervals given; 100 = even; the ±10% jitter alone ≈ 99.7`),
    ] satisfies Metric[];
  } finally {
    for (const t of timers) clearTimeout(t);
    p.dispose();
    await sim.close();
  }
};

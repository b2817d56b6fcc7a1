/**
 * (4) Detection latency: from the simulator flipping a verification to accepted (sim.setStatus) to the
 * poller emitting 'accepted', the status requests each verification cost (the simulator's count), and
 * the period from one request's start to the next. Each verification is accepted at a random moment
 * 4..6 s after its poll starts (2..4 s with --quick), like a user who takes a while to find the phone:
 * a span of whole intervals, so the accept falls anywhere between two requests. Three strategies, all
 * with the extension's client on real HTTP:
 *   - the extension's PollManager at the default interval (2 s, ±10% jitter),
 *   - the extension's PollManager at 1 s,
 *   - a fixed 1 s loop (request, wait 1 s, repeat: what clisso and saml2aws do).
 * The latency is roughly uniform over one period, so its median is noisy: with 20 random samples per
 * strategy it moved by about 0.1 s between runs, more than the differences measured. Hence 5 rounds of
 * 40 verifications per strategy (200 samples), and common random numbers: the k-th verification of
 * every strategy starts at the same moment and is accepted the same time after its start, so the
 * strategies are compared on the same draws (the notes add the mean of these paired differences). In a
 * round all 120 run at once (about 100 requests per second), their starts spread over one second. The
 * simulator runs in this process so the flip and the event are timed on one clock.
 */
import { OneLoginClient } from '../src/onelogin/client';
import { PollManager } from '../src/verification/pollManager';
import { DEFAULT_INTERVAL_MS } from '../src/verification/poller';
import { startSimulator } from '../test/mock-onelogin/server';
import { fmt, median, now, ratio, row, sleep, spread } from './lib/stats';
import type { Area, Metric } from './lib/types';

const A = 'detection';
const TOKEN = 'bench-token';
const USER = '1001';

interface Outcome {
  latencyMs: number;
  requests: number;
  /** Request start to request start, ms. */
  periods: number[];
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const detection: Area = async ({ quick }, log) => {
  const sim = await startSimulator({ accessTokens: [TOKEN], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  const client = new OneLoginClient({ baseUrl: sim.url, getCredentials: () => Promise.resolve({ kind: 'accessToken', accessToken: TOKEN }) });
  const rounds = quick ? 1 : 5;
  const n = quick ? 8 : 40; // per strategy and round, all at once
  const [lo, hi] = quick ? [2000, 4000] : [4000, 6000];
  /** One draw per verification, shared by the strategies: when it starts (within the round's first second), when it is accepted after that. */
  const draw = (): { startAfter: number; acceptAfter: number } => ({ startAfter: Math.random() * 1000, acceptAfter: lo + Math.random() * (hi - lo) });
  const managers: PollManager[] = [];
  /** When each verification's status requests started (the check is called, or the loop sends). */
  const sent = new Map<string, number[]>();
  const stamp = (id: string): void => {
    const list = sent.get(id) ?? [];
    list.push(now());
    sent.set(id, list);
  };

  /** The extension's poll manager at `intervalMs`: resolves when the accepted event arrives. */
  const viaPoller = (intervalMs: number) => {
    const polls = new PollManager(
      (u, v) => (signal) => {
        stamp(v);
        return client.getVerificationStatus(u, v, signal);
      },
      () => ({ intervalMs, timeoutMs: 120_000 }),
    );
    managers.push(polls);
    return (id: string, flippedAt: () => number | undefined): Promise<number> =>
      new Promise((resolve, reject) => {
        const sub = polls.onDidChange((s) => {
          if (s.verificationId !== id || s.phase === 'pending' || s.phase === 'idle') return;
          const t = now();
          sub.dispose();
          const f = flippedAt();
          if (s.phase === 'accepted' && f !== undefined) resolve(t - f);
          else reject(new Error(`poll ended ${s.phase}${s.error ? `: ${s.error.message}` : ''}`));
        });
        polls.start({ userId: USER, verificationId: id });
      });
  };

  /** clisso / saml2aws: check, sleep 1 s, check again, until not pending. */
  const fixedLoop = async (id: string, flippedAt: () => number | undefined): Promise<number> => {
    for (;;) {
      stamp(id);
      const r = await client.getVerificationStatus(USER, id);
      if (r.status !== 'pending') {
        const t = now();
        const f = flippedAt();
        if (f === undefined) throw new Error('accepted before the flip');
        return t - f;
      }
      await sleep(1000);
    }
  };

  const strategies: [string, (id: string, flippedAt: () => number | undefined) => Promise<number>][] = [
    [`extension poller, default interval (${DEFAULT_INTERVAL_MS / 1000} s)`, viaPoller(DEFAULT_INTERVAL_MS)],
    ['extension poller, 1 s interval', viaPoller(1000)],
    ['fixed 1 s loop (clisso, saml2aws)', fixedLoop],
  ];
  try {
    log(`${rounds} rounds × ${strategies.length} strategies × ${n} verifications, accepted ${lo / 1000}..${hi / 1000} s after the poll starts`);
    const one = async (run: (typeof strategies)[number][1], { startAfter, acceptAfter }: ReturnType<typeof draw>): Promise<Outcome> => {
      await sleep(startAfter);
      const id = sim.addVerification(USER);
      let flipped: number | undefined;
      const timer = setTimeout(() => {
        sim.setStatus(USER, id, 'accepted');
        flipped = now();
      }, acceptAfter);
      try {
        const latencyMs = await run(id, () => flipped);
        const starts = sent.get(id) ?? [];
        const periods = starts.slice(1).map((t, i) => t - starts[i]);
        return { latencyMs, requests: sim.getVerification(USER, id)?.polls ?? NaN, periods };
      } finally {
        clearTimeout(timer);
      }
    };
    const results: Outcome[][] = strategies.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const draws = Array.from({ length: n }, draw);
      const round = await Promise.all(strategies.map(([, run]) => Promise.all(draws.map((d) => one(run, d)))));
      round.forEach((outcomes, i) => results[i].push(...outcomes));
    }
    const rows: Metric[] = [];
    const base = results[2];
    const baseLatency = median(base.map((o) => o.latencyMs));
    const baseRequests = mean(base.map((o) => o.requests));
    strategies.forEach(([name], i) => {
      const lat = results[i].map((o) => o.latencyMs);
      const req = results[i].map((o) => o.requests);
      const per = results[i].flatMap((o) => o.periods);
      const isBase = i === 2;
      const vsBase = (r: string): string => (isBase ? 'baseline' : `${r} the fixed 1 s loop`);
      const interval = i === 0 ? DEFAULT_INTERVAL_MS : 1000;
      const paired = isBase ? '' : ` (paired difference ${fmt(mean(lat.map((x, k) => x - base[k].latencyMs)))} ms)`;
      rows.push(
        row(A, `accept → detected: ${name}`, lat, 'ms', `${vsBase(ratio(median(lat), baseLatency))}; mean ${fmt(mean(lat))}${paired}; expected ≈ interval/2 = ${interval / 2} ms + a request; ${spread(lat)}`),
        row(
          A,
          `requests per verification: ${name}`,
          req,
          'req',
          `mean ${fmt(mean(req))}, ${vsBase(ratio(mean(req), baseRequests))}; accepted after ${lo / 1000}..${hi / 1000} s; min ${fmt(Math.min(...req))} max ${fmt(Math.max(...req))}`,
        ),
        row(A, `request period, start to start: ${name}`, per, 'ms', `interval ${interval} ms; mean ${fmt(mean(per))}; ${spread(per)}`),
      );
    });
    return rows;
  } finally {
    for (const m of managers) m.dispose();
    await sim.close();
  }
};

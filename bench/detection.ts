/**
 * (4) Detection latency: from the simulator flipping a verification to accepted (sim.setStatus) to the
 * poller emitting 'accepted', and the status requests each verification cost. Each verification is
 * accepted at a random moment 8..12 s after its poll starts (2..4 s with --quick), like a user who
 * takes a while to find the phone. Three strategies, all with the extension's client on real HTTP:
 *   - the extension's PollManager at the default interval (2 s, ±10% jitter),
 *   - the extension's PollManager at 1 s,
 *   - a fixed 1 s loop (request, wait 1 s, repeat: what clisso and saml2aws do).
 * All verifications run at once (independent; 60 verifications, about 35 requests per second); the
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
}

export const detection: Area = async ({ quick }, log) => {
  const sim = await startSimulator({ accessTokens: [TOKEN], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
  const client = new OneLoginClient({ baseUrl: sim.url, getCredentials: () => Promise.resolve({ kind: 'accessToken', accessToken: TOKEN }) });
  const n = quick ? 8 : 20; // concurrent: more samples cost no time
  const [lo, hi] = quick ? [2000, 4000] : [8000, 12000];
  const acceptAfter = (): number => lo + Math.random() * (hi - lo);
  const managers: PollManager[] = [];

  /** The extension's poll manager at `intervalMs`: resolves when the accepted event arrives. */
  const viaPoller = (intervalMs: number) => {
    const polls = new PollManager((u, v) => (signal) => client.getVerificationStatus(u, v, signal), () => ({ intervalMs, timeoutMs: 120_000 }));
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
    log(`${strategies.length} strategies × ${n} verifications, accepted ${lo / 1000}..${hi / 1000} s after the poll starts`);
    const results = await Promise.all(
      strategies.map(([, run]) =>
        Promise.all(
          Array.from({ length: n }, async (): Promise<Outcome> => {
            const id = sim.addVerification(USER);
            let flipped: number | undefined;
            const timer = setTimeout(() => {
              sim.setStatus(USER, id, 'accepted');
              flipped = now();
            }, acceptAfter());
            try {
              const latencyMs = await run(id, () => flipped);
              return { latencyMs, requests: sim.getVerification(USER, id)?.polls ?? NaN };
            } finally {
              clearTimeout(timer);
            }
          }),
        ),
      ),
    );
    const rows: Metric[] = [];
    const base = results[2];
    const baseLatency = median(base.map((o) => o.latencyMs));
    const baseRequests = median(base.map((o) => o.requests));
    strategies.forEach(([name], i) => {
      const lat = results[i].map((o) => o.latencyMs);
      const req = results[i].map((o) => o.requests);
      const isBase = i === 2;
      const interval = i === 0 ? DEFAULT_INTERVAL_MS : 1000;
      rows.push(
        row(A, `accept → detected: ${name}`, lat, 'ms', `${isBase ? 'baseline' : `${ratio(median(lat), baseLatency)} the fixed 1 s loop`}; expected ≈ interval/2 = ${interval / 2} ms + a request; ${spread(lat)}`),
        row(A, `requests per verification: ${name}`, req, 'req', `${isBase ? 'baseline' : `${ratio(median(req), baseRequests)} the fixed 1 s loop`}; accepted after ${lo / 1000}..${hi / 1000} s; min ${fmt(Math.min(...req))} max ${fmt(Math.max(...req))}`),
      );
    });
    return rows;
  } finally {
    for (const m of managers) m.dispose();
    await sim.close();
  }
};

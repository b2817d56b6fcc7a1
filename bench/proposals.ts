/**
 * Not in the default run (`--only proposals`, about 75 s): A/B measurements of changes this benchmark
 * proposes for src/, simulated in the benchmark's copy of the wiring (bench/lib/pipeline.ts):
 *   - status bar coalescing: the status bar model (and the "polling" context key) recomputed at most every
 *     100 ms instead of on every store change; 200 concurrent polls at 2 s, 15 s per run, shipped and
 *     proposed alternating, after one discarded warm-up run.
 */
import { createPipeline } from './lib/pipeline';
import { startRemoteSim } from './lib/remoteSim';
import { fmt, median, ratio, row } from './lib/stats';
import type { Area } from './lib/types';

const A = 'proposals';
const TOKEN = 'bench-token';
const USER = '1001';

async function cpuPerPoll(pollers: number, durationMs: number, coalesceStatusBarMs: number | undefined): Promise<{ cpuMs: number; renders: number }> {
  const sim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit: 10_000_000, windowMs: 3_600_000 } });
  try {
    const ids = await sim.addVerifications(USER, Array.from({ length: pollers }, () => ({ expiresInSeconds: 900 })));
    const p = createPipeline({ baseUrl: sim.url, token: TOKEN, intervalMs: 2000, timeoutMs: durationMs, coalesceStatusBarMs });
    const c0 = process.cpuUsage();
    const finals = await Promise.all(ids.map((id) => p.polls.start({ userId: USER, verificationId: id }).start()));
    const c = process.cpuUsage(c0);
    const polls = finals.reduce((n, s) => n + s.attempt, 0);
    const renders = p.counters.statusBarRenders / polls;
    p.dispose();
    return { cpuMs: (c.user + c.system) / 1000 / polls, renders };
  } finally {
    await sim.close();
  }
}

export const proposals: Area = async ({ quick }, log) => {
  const pollers = 200;
  const duration = quick ? 6000 : 15_000;
  const rounds = quick ? 1 : 2;
  log(`warm-up run, then ${rounds} × (shipped, coalesced) with ${pollers} polls for ${duration / 1000} s each`);
  await cpuPerPoll(pollers, quick ? 3000 : 5000, undefined);
  const shipped: number[] = [];
  const proposed: number[] = [];
  let rendersShipped = 0;
  let rendersProposed = 0;
  for (let r = 0; r < rounds; r++) {
    const a = await cpuPerPoll(pollers, duration, undefined);
    const b = await cpuPerPoll(pollers, duration, 100);
    shipped.push(a.cpuMs);
    proposed.push(b.cpuMs);
    rendersShipped = a.renders;
    rendersProposed = b.renders;
  }
  return [
    row(A, `CPU per poll, ${pollers} polls, status bar rendered on every store change (shipped)`, shipped, 'ms', `${fmt(rendersShipped)} status bar renders per poll`),
    row(A, `CPU per poll, ${pollers} polls, status bar coalesced to ≤ 1 per 100 ms (proposed)`, proposed, 'ms', `${ratio(median(proposed), median(shipped))} shipped (${fmt((100 * (median(shipped) - median(proposed))) / median(shipped))}% less); ${fmt(rendersProposed)} renders per poll`),
  ];
};

/**
 * (6) Soak: 10,000 status polls in one process through the extension's data path (src/app.ts, through bench/lib/benchApp.ts)
 * against the simulator in its own process: 500 verifications at a time at the 1 s minimum interval, each accepted
 * by the simulator on its 5th status request, in 4 waves (so 2,000 poll loops start, run and finish).
 * Two warm-up waves (500 × 3 polls) first fill every bounded cache (finished polls, store entries,
 * exchange groups, history); heap is read after forced GC (--expose-gc) after each wave. Then: heap
 * growth (last reading minus the warm-up level) and its trend (least squares over the readings: a leak is
 * a steady slope, noise is scatter), and the timers left once every poll has finished (and after dispose).
 */
import { createBenchApp, type BenchApp } from './lib/benchApp';
import { startRemoteSim, type RemoteSim } from './lib/remoteSim';
import { fmt, single, sleep } from './lib/stats';
import type { Area } from './lib/types';

const A = 'soak';
const TOKEN = 'bench-token';
const USER = '1001';
const MiB = 1024 * 1024;

function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return false;
  for (let i = 0; i < 3; i++) g();
  return true;
}

async function heap(): Promise<number> {
  await sleep(20); // let finished sockets and promises settle before collecting
  gc();
  return process.memoryUsage().heapUsed;
}

function active(kind: string): number {
  return process.getActiveResourcesInfo().filter((t) => t === kind).length;
}

/** `count` verifications, each accepted on poll `polls`, started spread over one interval; resolves with the polls made. */
async function wave(sim: RemoteSim, p: BenchApp, count: number, polls: number, intervalMs: number): Promise<number> {
  const ids = await sim.addVerifications(USER, Array.from({ length: count }, () => ({ expiresInSeconds: 900, settle: { to: 'accepted' as const, afterPolls: polls } })));
  const finals = await Promise.all(
    ids.map(async (id, i) => {
      await sleep((i / count) * intervalMs);
      return p.app.polls.start({ userId: USER, verificationId: id }).start();
    }),
  );
  const wrong = finals.filter((s) => s.phase !== 'accepted');
  if (wrong.length) throw new Error(`${wrong.length} polls ended ${wrong[0].phase}${wrong[0].error ? `: ${wrong[0].error.message}` : ''}`);
  return finals.reduce((n, s) => n + s.attempt, 0);
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export const soak: Area = async ({ quick }, log) => {
  const intervalMs = 1000;
  const pollers = quick ? 250 : 500;
  const waves = quick ? 2 : 4;
  const pollsPerWave = quick ? 4 : 5; // 500 × 5 × 4 = 10,000 polls
  const sim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit: 10_000_000, windowMs: 3_600_000 } });
  try {
    const timersAtStart = active('Timeout');
    const p = await createBenchApp({ baseUrl: sim.url, token: TOKEN, intervalMs, timeoutMs: 300_000 });
    const hasGc = gc();
    // Warm-up at the same concurrency as the measured waves, so pools and maps already have their size.
    log(`warm-up: 2 waves of ${pollers} verifications × 3 polls`);
    await wave(sim, p, pollers, 3, intervalMs);
    const warm1 = await heap();
    await wave(sim, p, pollers, 3, intervalMs);
    const warm2 = await heap();
    const base = (warm1 + warm2) / 2;
    const rss0 = process.memoryUsage().rss;
    log(`${waves} waves of ${pollers} verifications × ${pollsPerWave} polls at ${intervalMs} ms, heap after each`);
    const t0 = Date.now();
    let made = 0;
    const xs = [0, 0];
    const ys = [warm1, warm2];
    for (let w = 0; w < waves; w++) {
      made += await wave(sim, p, pollers, pollsPerWave, intervalMs);
      xs.push(made);
      ys.push(await heap());
    }
    const seconds = (Date.now() - t0) / 1000;
    const after = ys[ys.length - 1];
    const rss1 = process.memoryUsage().rss;
    const timersIdle = active('Timeout') - timersAtStart;
    const sockets = active('TCPSocketWrap');
    p.dispose();
    const disposed = await heap();
    const timersAfterDispose = active('Timeout') - timersAtStart;

    const perPoll = slope(xs, ys); // bytes per poll
    const trend = perPoll * made;
    const readings = ys.map((y) => fmt(y / MiB)).join(' → ');
    const noise = Math.max(...ys) - Math.min(...ys);
    const verdict = trend <= Math.max(1 * MiB, noise) && after - base <= Math.max(1 * MiB, noise) ? 'no growth beyond noise' : 'GROWTH beyond noise';
    return [
      single(A, `heap growth over ${made} polls (after GC)`, (after - base) / MiB, 'MiB', `${verdict}: trend ${fmt(perPoll)} B/poll = ${fmt(trend / MiB)} MiB per ${made}; readings (MiB, 2 warm-up then every ${pollers * pollsPerWave} polls) ${readings}; ${fmt(disposed / MiB)} after dispose${hasGc ? '' : '; no --expose-gc: unreliable'}`, { heap: ys, polls: xs, disposed }),
      single(A, 'RSS growth over the soak', (rss1 - rss0) / MiB, 'MiB', `${fmt(rss0 / MiB)} → ${fmt(rss1 / MiB)} MiB; ${made} polls in ${seconds.toFixed(1)} s (${fmt(made / seconds)}/s)`),
      single(A, 'timers left after every poll finished', timersIdle, 'timers', `${timersAfterDispose} after dispose; keep-alive sockets open: ${sockets}`),
    ];
  } finally {
    await sim.close();
  }
};

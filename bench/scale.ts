/**
 * (5) Scale: 200 verifications polled at once by the extension's own wiring (src/app.ts through
 * bench/lib/benchApp.ts: client, PollManager, store, exchange log, budget guard, history, status bar renderer) against the simulator in its own
 * process, at the default 2 s interval, for 60 s of real time and real HTTP (10 s with --quick).
 * The simulator has a rate budget of 110% of the nominal request count: any request storm would get 429s.
 * Measured: CPU time of this process per poll, peak memory, requests per second, and lateness (each
 * request's real start, as its exchange records it, minus the time the poller scheduled it).
 * Baseline in the same run: bare node:http loops over the same verifications at the same pace.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { formatMessage } from '../src/util/l10n';
import { statusBarModel } from '../src/statusBar/model';
import { DEFAULT_INTERVAL_MS } from '../src/verification/poller';
import { VerificationStore } from '../src/verification/store';
import { bareCpuPerRequest } from './lib/bareLoop';
import { createBenchApp } from './lib/benchApp';
import { startRemoteSim } from './lib/remoteSim';
import { fmt, max, median, now, quantile, ratio, row, single, sleep } from './lib/stats';
import type { Area } from './lib/types';

const A = 'scale';
const TOKEN = 'bench-token';
const USER = '1001';
const MiB = 1024 * 1024;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/**
 * What one status bar render costs with `n` live polls: StatusBar.render() runs statusBarModel() over
 * store.entries() (sorted) on every store change, and extension.ts checks entries().some(polling) for the
 * context key on every change too. Returns µs per store change (both), median of 300.
 */
function perChangeCost(n: number): number {
  const store = new VerificationStore();
  const t = Date.now();
  for (let i = 0; i < n; i++) {
    store.updateFromPoll({ phase: 'pending', userId: USER, verificationId: `v${i}`, attempt: 3, expiresAt: t + 60_000 + i, lastCheckedAt: t, lastHttpStatus: 200, nextCheckAt: t + 2000 }, true);
  }
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = now();
    statusBarModel(store.entries(), { now: Date.now(), t: formatMessage, rateLimitLine: 'API rate limit: 4988 of 5000 calls left' });
    void store.entries().some((e) => e.polling);
    samples.push((now() - t0) * 1000);
  }
  return median(samples.slice(50));
}

export const scale: Area = async ({ quick }, log) => {
  const pollers = 200;
  const interval = DEFAULT_INTERVAL_MS;
  const durationMs = quick ? 10_000 : 60_000;
  const nominal = pollers * (Math.floor(durationMs / interval) + 1);
  const budget = Math.ceil(nominal * 1.1);
  const sim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit: budget, windowMs: durationMs + 60_000 } });
  try {
    const ids = await sim.addVerifications(USER, Array.from({ length: pollers }, () => ({ expiresInSeconds: 900 })));

    // The baseline gets a simulator of its own, so it spends nothing of the measured run's rate budget.
    log(`baseline: ${pollers} bare node:http loops at ${interval} ms for 4 s`);
    const baseSim = await startRemoteSim({ accessTokens: [TOKEN], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } });
    let bare: { cpuMsPerRequest: number; requests: number };
    try {
      const baselineIds = await baseSim.addVerifications(USER, Array.from({ length: pollers }, () => ({ expiresInSeconds: 900 })));
      bare = await bareCpuPerRequest(baseSim.url, TOKEN, USER, baselineIds, interval, 4000);
    } finally {
      await baseSim.close();
    }

    const lateness: number[] = [];
    const scheduled = new Map<string, number>();
    // The guard may spend the whole window (maxShare 1): the simulator's budget of 110% of the nominal
    // count is what any request storm would run into, not the guard.
    const p = await createBenchApp({ baseUrl: sim.url, token: TOKEN, intervalMs: interval, timeoutMs: durationMs, maxShare: 1 });
    p.app.polls.onDidChange((s) => {
      if (s.nextCheckAt !== undefined) scheduled.set(`${s.userId}/${s.verificationId}`, s.nextCheckAt);
    });
    // Each exchange is recorded when its reply is in, before the poller schedules the next check.
    p.app.onDidRecordExchange(({ key, view }) => {
      const at = scheduled.get(key);
      if (at !== undefined) lateness.push(Date.parse(view.startedAt) - at);
    });
    gc();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 250);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();

    log(`${pollers} pollers at ${interval} ms for ${durationMs / 1000} s (rate budget ${budget} requests)`);
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    const done = ids.map((id) => p.app.polls.start({ userId: USER, verificationId: id }).start());
    const finals = await Promise.all(done);
    const elapsed = Date.now() - t0;
    const cpu = process.cpuUsage(c0);
    loopDelay.disable();
    clearInterval(sampler);
    const stats = await sim.stats();
    p.dispose();
    await sleep(50);

    const polls = finals.reduce((n, s) => n + s.attempt, 0);
    const changesPerPoll = p.counters.storeChanges / polls;
    const rendersPerPoll = p.counters.statusBarRenders / polls;
    const costN = perChangeCost(pollers);
    const cost5 = perChangeCost(5);
    const cpuPerPoll = (cpu.user + cpu.system) / 1000 / polls;
    const late = lateness.filter((l) => l > interval).length;
    const notExpired = finals.filter((s) => s.phase !== 'expired').length;
    const r429 = stats.byStatus['429'] ?? 0;
    const other = Object.entries(stats.byStatus).filter(([k]) => k !== '200' && k !== '429').map(([k, v]) => `${k}×${v}`).join(', ');
    return [
      single(A, `CPU per poll, ${pollers} concurrent polls (extension data path)`, cpuPerPoll, 'ms', `${ratio(cpuPerPoll, bare.cpuMsPerRequest)} bare node:http at the same pace (${fmt(bare.cpuMsPerRequest)} ms/req); ${polls} polls in ${(elapsed / 1000).toFixed(1)} s = ${fmt(((cpu.user + cpu.system) / 1000 / elapsed) * 100)}% of one core`, { cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, polls, bare }),
      single(A, 'peak memory (RSS) while polling', peakRss / MiB, 'MiB', `+${fmt((peakRss - before.rss) / MiB)} MiB over the start; heap peak ${fmt(peakHeap / MiB)} MiB (+${fmt((peakHeap - before.heapUsed) / MiB)})`),
      single(A, 'requests per second (simulator count)', stats.requests / (elapsed / 1000), 'req/s', `nominal ${fmt(pollers / (interval / 1000))}/s; ${stats.requests} requests; 429s: ${r429}${other ? `; other: ${other}` : ''}; rate budget ${budget}`, { byStatus: stats.byStatus, simCpuMs: stats.cpuMs }),
      single(A, `status bar model + context key per store change, ${pollers} live polls`, costN, 'µs', `${fmt(rendersPerPoll)} renders and ${fmt(changesPerPoll)} store changes per poll → ≈ ${fmt((costN * rendersPerPoll) / 1000)} ms per poll = ${fmt((100 * costN * rendersPerPoll) / 1000 / ((cpu.user + cpu.system) / 1000 / polls))}% of the CPU per poll; with 5 polls: ${fmt(cost5)} µs (O(n) per change, O(n²) per interval)`),
      row(A, 'lateness of a request vs its schedule', lateness, 'ms', `p99 ${fmt(quantile(lateness, 0.99))}, max ${fmt(max(lateness))}; late by more than one interval (${interval} ms): ${late}; event-loop delay p99 ${fmt(loopDelay.percentile(99) / 1e6)} ms`),
      single(A, '429 responses with a rate budget of 110% nominal', r429, 'count', `${notExpired === 0 ? `all ${pollers} polls ended expired on time` : `${notExpired} polls did not end as expired`}; ${durationMs / 1000} s real time`),
    ];
  } finally {
    await sim.close();
  }
};

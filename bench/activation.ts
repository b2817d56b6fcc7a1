/**
 * (2) Activation.
 * Plain Node, one fresh process per sample: require() time of the production bundle (with a stub
 * `vscode`), beside require() of axios alone (the baseline: the bundle carries axios); activate() on a
 * stub context, cold (first call in the process) and warm; and an audit of the I/O and timers activate()
 * causes (async_hooks + counters on every fs *Sync function).
 * Real VS Code: the unpacked .vsix in code-server's extension host (the test host of scripts/test-host),
 * one fresh host per sample: module load, activate() alone (first and warm calls), and VS Code's
 * `extension.activate()` around it; the plain-Node figures of the same run are the baseline.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { launchBrowser, runSuiteInWorkbench } from '../scripts/test-host/browser';
import { startCodeServer, VERSIONS } from '../scripts/test-host/codeServer';
import { buildAndPackage } from './lib/packaging';
import { fmt, median, na, ratio, row, single, spread } from './lib/stats';
import type { Area, AreaOptions, Metric } from './lib/types';
import type { LoadResult } from './lib/loadChild';
import { MARK, OUR_ID, type HostTiming } from './host/constants';

const A = 'activation';
const GOAL_MS = 5;

function child(mode: 'bundle' | 'axios' | 'audit', bundle: string, cwd: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const c = fork(path.join(__dirname, 'lib', 'loadChild.js'), [mode, bundle], { cwd, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    let result: LoadResult | undefined;
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('message', (m: LoadResult) => (result = m));
    c.on('error', reject);
    c.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load child (${mode}) exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

async function plainNode(opts: AreaOptions, bundle: string, log: (l: string) => void): Promise<{ rows: Metric[]; coldMs: number; warmMs: number; loadMs: number }> {
  const n = opts.quick ? 5 : 15;
  log(`plain Node: ${n} fresh processes each for the bundle and for axios`);
  const loads: number[] = [];
  const axios: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  let missing: string[] = [];
  for (let i = 0; i < n; i++) {
    // Interleaved, so drift in the machine's load hits both alike.
    const b = await child('bundle', bundle, opts.root);
    if (b.error) throw new Error(b.error);
    loads.push(b.loadMs);
    if (b.activateMs !== undefined) cold.push(b.activateMs);
    warm.push(...(b.warmActivateMs ?? []));
    missing = b.missingApi ?? missing;
    axios.push((await child('axios', bundle, opts.root)).loadMs);
  }
  const audit = await child('audit', bundle, opts.root);
  const io = audit.io;
  const ioCount = io ? Object.values(io.resources).reduce((a, b) => a + b, 0) + Object.values(io.fsSyncCalls).reduce((a, b) => a + b, 0) : NaN;
  const ioWhat = io ? [...Object.entries(io.resources), ...Object.entries(io.fsSyncCalls)].map(([k, v]) => `${k}×${v}`).join(', ') : '';
  const stubNote = missing.length ? `; the stub lacked: ${missing.slice(0, 5).join(', ')}` : '';
  const rows = [
    row(A, 'bundle module load, plain Node (cold process)', loads, 'ms', `${ratio(median(loads), median(axios))} axios alone (${fmt(median(axios))} ms, same run); ${spread(loads)}`, { axiosMs: axios }),
    row(A, 'activate(), plain Node + stub API, first call', cold, 'ms', `goal < ${GOAL_MS} ms: ${median(cold) < GOAL_MS ? 'met' : 'NOT met'}; ${spread(cold)}${stubNote}`),
    row(A, 'activate(), plain Node + stub API, warm', warm, 'ms', `${warm.length} calls after deactivate + dispose; ${spread(warm)}`),
    single(A, 'I/O started by activate() (fs, sockets, DNS, processes)', ioCount, 'ops', io ? `${ioCount === 0 ? 'none' : ioWhat}; timers created ${io.timers}, timers left ${io.timersLeft}` : `n/a (${audit.error ?? 'audit failed'})`, io ? { io } : undefined),
  ];
  return { rows, coldMs: median(cold), warmMs: median(warm), loadMs: median(loads) };
}

function hostProblem(root: string): string | undefined {
  const marker = path.join(root, '.vscode-test', 'test-host.json');
  if (!fs.existsSync(marker)) return 'test host not installed: run npm run test-host:install';
  const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) return `Chromium not found at ${chromium}`;
  return undefined;
}

async function inVsCode(opts: AreaOptions, staged: string | undefined, plain: { coldMs: number; warmMs: number; loadMs: number }, log: (l: string) => void): Promise<Metric[]> {
  const name = 'activate() in VS Code (code-server extension host)';
  const problem = hostProblem(opts.root) ?? (staged ? undefined : 'the .vsix could not be unpacked');
  if (problem) return [na(A, name, 'ms', problem)];
  // A fresh code-server per sample: activate() runs once per extension host.
  const plan = opts.quick ? [staged as string] : [staged as string, staged as string];
  const results: HostTiming[][] = [];
  let versions = '';
  for (const [i, dev] of plan.entries()) {
    log(`VS Code: code-server ${VERSIONS.codeServer}, launch ${i + 1}/${plan.length}: the extension as unpacked from the .vsix`);
    const server = await startCodeServer({ label: 'bench', env: { BENCH_WARM_ROUNDS: opts.quick ? '5' : '20' } });
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    try {
      const session = await launchBrowser(server.tmpDir);
      try {
        const run = await runSuiteInWorkbench(
          server,
          session.page,
          { extensionDevelopmentPath: dev, extensionTestsPath: path.join(__dirname, 'host', 'activationSuite.js') },
          { timeoutMs: 120_000, out: out as unknown as typeof process.stdout, err: out as unknown as typeof process.stderr },
        );
        const line = text.split('\n').find((l) => l.includes(MARK));
        if (run.code !== 0 || !line) throw new Error(`the host suite exited with ${run.code}: ${text.slice(-400)}`);
        const parsed = JSON.parse(line.slice(line.indexOf(MARK) + MARK.length)) as { vscode: string; node: string; results: HostTiming[] };
        versions = `VS Code ${parsed.vscode}, Node ${parsed.node}`;
        results.push(parsed.results);
      } finally {
        await session.close();
      }
    } finally {
      await server.stop();
    }
  }
  const pick = (id: string, f: (t: HostTiming) => number | undefined): number[] =>
    results.flatMap((r) => r.filter((t) => t.id === id).map(f)).filter((v): v is number => typeof v === 'number');
  const ours = results.map((r) => r.find((t) => t.id === OUR_ID)).filter((t): t is HostTiming => !!t);
  if (ours.length === 0) return [na(A, name, 'ms', 'the extension was not found in the host')];
  const err = ours.find((t) => t.error || !t.found || t.wasActive);
  if (err && !ours.some((t) => t.activateCallMs !== undefined)) {
    return [na(A, name, 'ms', err.error ?? (err.wasActive ? 'the extension was already active when the suite started' : 'extension not found in the host'))];
  }
  const call = pick(OUR_ID, (t) => t.activateCallMs);
  const total = pick(OUR_ID, (t) => t.extActivateMs);
  const load = pick(OUR_ID, (t) => t.loadMs);
  const warm = results.flatMap((r) => r.find((t) => t.id === OUR_ID)?.warmMs ?? []);
  return [
    row(A, 'activate() in VS Code, first call', call, 'ms', `goal < ${GOAL_MS} ms: ${median(call) < GOAL_MS ? 'met' : 'NOT met'}; ${ratio(median(call), plain.coldMs)} the plain-Node first call (same run); ${call.length} host launch(es), ${versions}`),
    row(A, 'activate() in VS Code, warm', warm, 'ms', `re-activation after deactivate + dispose; ${ratio(median(warm), plain.warmMs)} plain Node warm; ${spread(warm)}`),
    row(A, 'await extension.activate() in VS Code (includes activate())', total, 'ms', 'module already loaded: the rest is VS Code\'s own work around the call, which varies with what the starting host is doing'),
    row(A, 'bundle module load in the VS Code extension host', load, 'ms', `${ratio(median(load), plain.loadMs)} plain Node (same run)`),
  ];
}

export const activation: Area = async (opts, log) => {
  const host = hostProblem(opts.root) === undefined;
  const p = buildAndPackage(opts.root, opts.scratch, { vsix: host, runId: opts.runId });
  const plain = await plainNode(opts, p.bundle, log);
  const rows = plain.rows;
  try {
    rows.push(...(await inVsCode(opts, p.staged, plain, log)));
  } catch (e) {
    rows.push(na(A, 'activate() in VS Code (code-server extension host)', 'ms', `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
  }
  return rows;
};

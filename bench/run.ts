/**
 * `npm run bench`: measures the extension against the local OneLogin simulator and prints one table
 * (metric, median, unit, runs, notes/ratio); writes the same as JSON to test-artifacts/bench.json.
 * Every area runs in a fresh Node process (--expose-gc), one after the other, so that memory and timer
 * figures of one are not disturbed by another. Only 127.0.0.1 is contacted. Nothing here asserts a
 * wall-clock limit: figures are printed, and BENCHMARKS.md says what they mean.
 *
 *   node out/bench/run.js [--quick] [--only area[,area]] [--list]
 * Areas: bundle, activation, status, detection, scale, budget, soak, panel.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineInfo, type MachineInfo } from './lib/machine';
import { fmt } from './lib/stats';
import type { AreaOptions, Metric } from './lib/types';

const ORDER = ['bundle', 'activation', 'status', 'detection', 'scale', 'budget', 'soak', 'panel'];
const ROOT = path.resolve(__dirname, '..', '..');

interface Args {
  quick: boolean;
  only: string[];
  list: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [], list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--list') args.list = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error('--only needs a value');
      args.only.push(...v.split(',').map((s) => s.trim()).filter(Boolean));
    } else throw new Error(`unknown argument ${a}\nusage: node out/bench/run.js [--quick] [--only ${ORDER.join(',')}] [--list]`);
  }
  const unknown = args.only.filter((a) => !ORDER.includes(a));
  if (unknown.length) throw new Error(`unknown area ${unknown.join(', ')}; areas: ${ORDER.join(', ')}`);
  return args;
}

function runArea(name: string, opts: AreaOptions): Promise<{ metrics: Metric[]; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'lib', 'worker.js'), [name], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, BENCH_OPTS: JSON.stringify(opts) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply: { metrics?: Metric[]; error?: string } | undefined;
    child.on('message', (m: { metrics?: Metric[]; error?: string }) => (reply = m));
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (reply?.metrics) return resolve({ metrics: reply.metrics, ms });
      const why = reply?.error ?? `exited with ${code}`;
      process.stderr.write(`[bench ${name}] FAILED: ${why}\n`);
      resolve({ metrics: [{ area: name, name: `${name} (failed)`, median: null, unit: '', runs: 0, notes: `error: ${why.split('\n')[0]}` }], ms });
    });
  });
}

function table(metrics: Metric[]): string {
  const header = ['area', 'metric', 'median', 'unit', 'runs', 'notes / ratio'];
  const rows = metrics.map((m) => [m.area, m.name, fmt(m.median), m.unit, String(m.runs), m.notes]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i].length))));
  const line = (r: string[]): string => r.map((c, i) => (i === 5 ? c : i === 2 || i === 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w, i) => (i === 5 ? '-'.repeat(13) : '-'.repeat(w))).join('  '), ...rows.map(line)].join('\n');
}

/** The same table in Markdown, for BENCHMARKS.md. */
function markdown(metrics: Metric[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    '| area | metric | median | unit | runs | notes / ratio |',
    '|---|---|--:|---|--:|---|',
    ...metrics.map((m) => `| ${m.area} | ${esc(m.name)} | ${fmt(m.median)} | ${m.unit} | ${m.runs} | ${esc(m.notes)} |`),
  ].join('\n');
}

function describeMachine(m: MachineInfo): string {
  return `${m.date} · ${m.cpus} CPUs (${m.cpuModel}) · ${m.memoryGiB} GiB · Node ${m.node} · ${m.platform} · load avg ${m.loadAverage.join(' ')} · calibration ${fmt(m.calibrationMs)} ms`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    console.log(ORDER.join('\n'));
    return;
  }
  const areas = args.only.length ? ORDER.filter((a) => args.only.includes(a)) : ORDER;
  const scratch = path.join(ROOT, 'test-artifacts', 'bench');
  fs.mkdirSync(scratch, { recursive: true });
  const opts: AreaOptions = { quick: args.quick, root: ROOT, scratch, runId: `${Date.now().toString(36)}-${process.pid}` };
  const machine = machineInfo();
  process.stderr.write(`[bench] ${describeMachine(machine)}\n[bench] areas: ${areas.join(', ')}${args.quick ? ' (quick)' : ''}\n`);
  const started = performance.now();
  const metrics: Metric[] = [];
  const durations: Record<string, number> = {};
  for (const name of areas) {
    process.stderr.write(`[bench] ${name}...\n`);
    const r = await runArea(name, opts);
    metrics.push(...r.metrics);
    durations[name] = Math.round(r.ms);
    process.stderr.write(`[bench] ${name} done in ${(r.ms / 1000).toFixed(1)} s\n`);
  }
  const totalMs = Math.round(performance.now() - started);
  console.log(`\nOneLogin MFA Verify benchmarks${args.quick ? ' (--quick)' : ''}\n${describeMachine(machine)}\n`);
  console.log(table(metrics));
  console.log(`\n${areas.length} area(s) in ${(totalMs / 1000).toFixed(1)} s (${Object.entries(durations).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`);
  const out = path.join(ROOT, 'test-artifacts', 'bench.json');
  fs.writeFileSync(out, JSON.stringify({ machine, quick: args.quick, areas, durationsMs: durations, totalMs, metrics, markdown: markdown(metrics) }, null, 2) + '\n');
  console.log(`results: ${path.relative(ROOT, out)}`);
  if (metrics.some((m) => m.notes.startsWith('error:'))) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});

/** Runs one benchmark area in a fresh process (forked by bench/run.ts) and sends its rows back. */
import { AREAS } from '../areas';
import type { AreaOptions, Metric } from './types';

async function main(): Promise<Metric[]> {
  const name = process.argv[2];
  const opts = JSON.parse(process.env.BENCH_OPTS ?? '{}') as AreaOptions;
  const area = AREAS[name];
  if (!area) throw new Error(`unknown area ${name}`);
  const t0 = Date.now();
  return area(opts, (line) => process.stderr.write(`[bench ${name} +${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}\n`));
}

main().then(
  (metrics) => process.send?.({ metrics }, () => process.exit(0)),
  (e: unknown) => process.send?.({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }, () => process.exit(1)),
);

/** What machine the figures came from, and a CPU calibration measured in the same run. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadAverage: number[];
  node: string;
  platform: string;
  /** Median ms to JSON.stringify + JSON.parse a fixed ~1 MB document: divide by it to compare machines. */
  calibrationMs: number;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** A fixed CPU-bound workload (deterministic data), timed 15 times. */
export function calibrate(): number {
  const doc = Array.from({ length: 8000 }, (_, i) => ({ id: `406fefd4-8a36-4aee-880c-${String(i).padStart(12, '0')}`, status: i % 3 ? 'pending' : 'accepted', device_id: String(3919988 + i), n: i * 1.5, tags: ['a', 'b', 'c'] }));
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    JSON.parse(JSON.stringify(doc));
    samples.push(performance.now() - t);
  }
  return median(samples.slice(3));
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    calibrationMs: calibrate(),
  };
}

/** Small statistics and timing helpers (no dependencies). */
import { performance } from 'node:perf_hooks';
import type { Metric } from './types';

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile, q in 0..1; NaN for an empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function max(xs: readonly number[]): number {
  return xs.reduce((m, x) => (x > m ? x : m), -Infinity);
}

export function min(xs: readonly number[]): number {
  return xs.reduce((m, x) => (x < m ? x : m), Infinity);
}

/** Rounds to `digits` significant-ish decimals for display: 3 significant figures, at most 3 decimals. */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toString();
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  if (a === 0) return '0';
  return n.toPrecision(2);
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return `${fmt(a / b)}x`;
}

/** "p10 1.2 / p90 3.4" */
export function spread(xs: readonly number[]): string {
  if (xs.length < 3) return '';
  return `p10 ${fmt(quantile(xs, 0.1))} / p90 ${fmt(quantile(xs, 0.9))}`;
}

export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A row from samples: the median, the sample count, and the notes. */
export function row(area: string, name: string, samples: readonly number[], unit: string, notes = '', extra?: Record<string, unknown>): Metric {
  return { area, name, median: samples.length ? median(samples) : null, unit, runs: samples.length, notes, samples: [...samples], ...(extra ? { extra } : {}) };
}

/** A row for a single value (a size, a count). */
export function single(area: string, name: string, value: number | null, unit: string, notes = '', extra?: Record<string, unknown>): Metric {
  return { area, name, median: value, unit, runs: value === null ? 0 : 1, notes, ...(extra ? { extra } : {}) };
}

/** A row that says why a figure could not be measured. */
export function na(area: string, name: string, unit: string, why: string): Metric {
  return { area, name, median: null, unit, runs: 0, notes: `n/a (${why})` };
}

/** The shapes every benchmark area shares: one row of the printed table, and what an area receives. */

export interface Metric {
  /** Area name (`--only` accepts it): bundle, activation, status, detection, scale, budget, soak, panel. */
  area: string;
  /** What was measured, one line. */
  name: string;
  /** The median of the samples (or the single value); null when the figure is not available. */
  median: number | null;
  unit: string;
  /** How many samples the median is over (1 for a size). */
  runs: number;
  /** Ratio against a baseline measured in the same run, the spread, or why the figure is n/a. */
  notes: string;
  /** Raw samples (or summary figures) for bench.json. */
  samples?: number[];
  extra?: Record<string, unknown>;
}

export interface AreaOptions {
  /** Fewer runs and shorter durations (a smoke run of the benchmark itself). */
  quick: boolean;
  /** Project root. */
  root: string;
  /** test-artifacts/bench (ignored): scratch files of this run. */
  scratch: string;
  /** Identifies this `npm run bench` run (areas run in separate processes and share what they built). */
  runId: string;
}

export type Area = (opts: AreaOptions, log: (line: string) => void) => Promise<Metric[]>;

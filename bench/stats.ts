/**
 * Small statistics helpers for the benchmark: medians of repeated runs and "how many times slower" ratios.
 * Pure functions; every figure the table prints goes through them.
 */

/** Thrown when a statistic is asked of no samples (a benchmark step that produced nothing). */
export class NoSamplesError extends Error {
  constructor(what: string) {
    super(`${what}: no samples`);
    this.name = 'NoSamplesError';
  }
}

/** The median (middle value; mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new NoSamplesError('median');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0–100) by nearest rank: a value that was actually measured. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new NoSamplesError('percentile');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** `alternative / ours`, e.g. 4.2 for "the alternative takes 4.2 times as long"; undefined when ours is 0. */
export function ratio(alternative: number, ours: number): number | undefined {
  return ours === 0 ? undefined : alternative / ours;
}

/** Rounds to `digits` significant digits (readable table cells without hiding magnitude). */
export function significant(value: number, digits = 3): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Summary of a list of samples, as stored in the JSON output. */
export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function summarize(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new NoSamplesError('summarize');
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples: [...samples] };
}

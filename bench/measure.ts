/**
 * Measurement helpers: every figure is measured in the same run as its raw baseline,
 * interleaved (baseline, subject, baseline, subject, …), and reported as the median of the
 * repetitions, so drift on a shared machine hits both sides alike.
 */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  /** value / baseline */
  readonly ratio: number;
  /** What the target is, in words (for the table). */
  readonly target?: string;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nanoseconds per operation of `batch` (which performs `n` operations). */
async function timeBatch(n: number, batch: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await batch();
  return Number(process.hrtime.bigint() - start) / n;
}

export interface PairOptions {
  readonly repetitions?: number;
  /** Operations per timed batch. */
  readonly n: number;
  /** Untimed warm-up batches of each side. */
  readonly warmup?: number;
}

/** Interleaved timing of a subject against its baseline; per-operation medians in ns. */
export async function comparePerCall(
  options: PairOptions, baseline: () => unknown, subject: () => unknown,
): Promise<{ value: number; baseline: number }> {
  const reps = Math.max(5, options.repetitions ?? 7);
  for (let i = 0; i < (options.warmup ?? 2); i++) {
    await baseline();
    await subject();
  }
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < reps; i++) {
    b.push(await timeBatch(options.n, baseline));
    s.push(await timeBatch(options.n, subject));
  }
  return { value: median(s), baseline: median(b) };
}

/** Interleaved measurements of any quantity (e.g. milliseconds measured in child processes). */
export async function compareSamples(
  repetitions: number, baseline: () => Promise<number>, subject: () => Promise<number>,
): Promise<{ value: number; baseline: number }> {
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < Math.max(5, repetitions); i++) {
    b.push(await baseline());
    s.push(await subject());
  }
  return { value: median(s), baseline: median(b) };
}

export function figure(name: string, unit: string, m: { value: number; baseline: number }, target?: string): Figure {
  return { name, value: round(m.value), unit, baseline: round(m.baseline), ratio: round(m.value / m.baseline, 2), ...(target ? { target } : {}) };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

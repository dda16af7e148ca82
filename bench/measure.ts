/**
 * Measurement helpers: every figure is measured in the same run as its raw baseline,
 * interleaved, with the order rotated between repetitions (baseline first, then subject
 * first, …: on this machine whatever is timed first in a pair comes out 10–25 % worse), and
 * reported as the median of each side, the median of the per-pair ratios and their spread,
 * so drift on a shared machine hits both sides alike.
 */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  /** The median of the per-repetition ratios (subject / its paired baseline): robust to a slow spell hitting one pair. */
  readonly ratio: number;
  /** The middle half of the per-repetition ratios (subject / its paired baseline): [25th, 75th] percentile. */
  readonly spread?: readonly [number, number];
  /** What the target is, in words (for the table). */
  readonly target?: string;
}

/** Medians of both sides and the ratio of each interleaved pair. */
export interface Measured {
  readonly value: number;
  readonly baseline: number;
  readonly ratios: readonly number[];
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
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
export async function comparePerCall(options: PairOptions, baseline: () => unknown, subject: () => unknown): Promise<Measured> {
  for (let i = 0; i < (options.warmup ?? 2); i++) {
    await baseline();
    await subject();
  }
  return compareSamples(Math.max(5, options.repetitions ?? 7), () => timeBatch(options.n, baseline), () => timeBatch(options.n, subject));
}

/**
 * Interleaved measurements of any quantity (milliseconds measured in child processes, CPU
 * time, bytes), the order of each pair rotated.
 */
export async function compareSamples(repetitions: number, baseline: () => Promise<number>, subject: () => Promise<number>): Promise<Measured> {
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < Math.max(5, repetitions); i++) {
    if (i % 2 === 0) {
      b.push(await baseline());
      s.push(await subject());
    } else {
      s.push(await subject());
      b.push(await baseline());
    }
  }
  return { value: median(s), baseline: median(b), ratios: s.map((x, i) => x / b[i]!) };
}

/** The same measurement in other units (e.g. ns to µs). */
export function scaled(m: Measured, factor: number): Measured {
  return { value: m.value * factor, baseline: m.baseline * factor, ratios: m.ratios };
}

export function figure(name: string, unit: string, m: Measured, target?: string): Figure {
  return {
    name, value: round(m.value), unit, baseline: round(m.baseline), ratio: round(median(m.ratios), 2),
    spread: [round(quantile(m.ratios, 0.25), 2), round(quantile(m.ratios, 0.75), 2)],
    ...(target ? { target } : {}),
  };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

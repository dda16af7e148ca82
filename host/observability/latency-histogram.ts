/** A fixed-bucket latency histogram: cheap to record (one comparison loop), mergeable, exportable as OpenTelemetry's explicit buckets. */

/** Upper bounds of the buckets, in milliseconds; one more bucket counts everything above the last. */
export const LATENCY_BUCKETS_MS: readonly number[] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 5000];

export interface LatencyHistogram {
  /** Upper bounds (ms) of `counts[0…n-1]`; `counts[n]` is above the last bound. */
  readonly boundsMs: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
}

export class LatencyRecorder {
  readonly #counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  #count = 0;
  #sum = 0;
  #max = 0;

  record(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.#counts[i]!++;
    this.#count++;
    this.#sum += ms;
    if (ms > this.#max) this.#max = ms;
  }

  snapshot(): LatencyHistogram {
    return { boundsMs: LATENCY_BUCKETS_MS, counts: [...this.#counts], count: this.#count, sumMs: this.#sum, maxMs: this.#max };
  }
}

/** The bucket bound below which `q` (0–1) of the calls finished: an upper estimate, as histogram quantiles are. */
export function latencyQuantile(h: LatencyHistogram, q: number): number | undefined {
  if (h.count === 0) return undefined;
  const rank = q * h.count;
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i]!;
    if (seen >= rank) return i < h.boundsMs.length ? h.boundsMs[i] : h.maxMs;
  }
  return h.maxMs;
}

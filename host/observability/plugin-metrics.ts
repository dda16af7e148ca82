/**
 * Per-plugin metrics, kept by the host as calls go through it: calls, calls pending,
 * errors by code, a latency histogram, per-function counts, restarts. `memoryBytes` is
 * read when a snapshot is taken. Off unless the application sets `metrics: true`, so the
 * inline fast path pays nothing by default.
 */
import { isPluginHostError } from '../../common/errors.js';
import { LatencyRecorder, type LatencyHistogram } from './latency-histogram.js';

/** A snapshot of one plugin's metrics (a pool's members are reported under their own names, `name.0`, `name.1`, …). */
export interface PluginMetrics {
  readonly plugin: string;
  /** Calls started (settled or pending). */
  readonly calls: number;
  /** Calls started and not yet settled. */
  readonly pending: number;
  /** Failed calls by error code (`ERR_RESULT` counts a WIT `err` result). */
  readonly errors: Readonly<Record<string, number>>;
  /** Duration of settled calls, as the application sees them. */
  readonly latency: LatencyHistogram;
  /** Calls and errors per WIT function (`greet`, `[method]counter.get`). */
  readonly functions: Readonly<Record<string, { readonly calls: number; readonly errors: number }>>;
  /** Restarts by the supervisor since the system started. */
  readonly restarts: number;
  /** Linear memory of a wasm plugin now (undefined where the host cannot read it). */
  readonly memoryBytes: number | undefined;
}

/** The live counters of one plugin. */
export class PluginMeter {
  calls = 0;
  pending = 0;
  restarts = 0;
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyRecorder();
  readonly functions = new Map<string, { calls: number; errors: number }>();

  constructor(readonly plugin: string) {}

  function(name: string): { calls: number; errors: number } {
    let f = this.functions.get(name);
    if (!f) this.functions.set(name, (f = { calls: 0, errors: 0 }));
    return f;
  }

  failed(fn: { errors: number }, error: unknown): string {
    const code = isPluginHostError(error) ? error.code : 'ERR_UNKNOWN';
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    fn.errors++;
    return code;
  }

  snapshot(memoryBytes: number | undefined): PluginMetrics {
    return {
      plugin: this.plugin,
      calls: this.calls,
      pending: this.pending,
      errors: Object.fromEntries(this.errors),
      latency: this.latency.snapshot(),
      functions: Object.fromEntries([...this.functions].filter(([, v]) => v.calls > 0).map(([k, v]) => [k, { ...v }])),
      restarts: this.restarts,
      memoryBytes,
    };
  }
}

/** Every plugin's meter, by node name. */
export class MetricsRegistry {
  readonly #meters = new Map<string, PluginMeter>();

  meter(plugin: string): PluginMeter {
    let m = this.#meters.get(plugin);
    if (!m) this.#meters.set(plugin, (m = new PluginMeter(plugin)));
    return m;
  }

  get(plugin: string): PluginMeter | undefined {
    return this.#meters.get(plugin);
  }

  names(): string[] {
    return [...this.#meters.keys()];
  }
}

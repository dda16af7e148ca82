/**
 * The public entry to the runner. The runner and the NATS client it needs are imported on
 * first use, so importing the library never loads them (see `transports/registry.ts`).
 */
import type { Runner, RunnerOptions } from './runner.js';

export type { Runner, RunnerOptions, RunnerPlugin } from './runner.js';

/** Starts a runner that serves `options.plugins` to hosts on NATS (docs/distributed.md). */
export async function startRunner(options: RunnerOptions): Promise<Runner> {
  return (await import('./runner.js')).startRunner(options);
}

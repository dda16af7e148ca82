// The text pipeline: an extensible command whose steps are user plugins. Every folder of
// the plugins directory holds one step with its manifest (plugin.json); `loadAll` loads them
// in folder order — wasm components in-process, subprocesses behind the same API — and the
// text flows through each. A broken plugin is reported and skipped; the others still run.
import { ActorSystem, isPluginHostError, type LoadedPlugin, type Logger, type PluginLoadFailure, type PluginMetrics } from 'plugin-actors';

/** The step world's one interface, as the application calls it. */
export interface Step {
  describe(): string;
  run(text: string): string;
}

export interface PipelineOptions {
  /** The folder of step plugins. */
  readonly pluginsDir: string;
  /** The application's definition of the step world: every plugin is checked against it. */
  readonly wit: string;
  readonly logger?: Logger;
}

export interface StepReport {
  readonly name: string;
  readonly version: string;
  readonly runs: 'wasm' | 'process';
  readonly description: string;
  /** The host's metrics of the step's plugin after the run (calls, errors by code, latency). */
  readonly metrics: PluginMetrics;
}

export interface PipelineResult {
  readonly output: string;
  readonly steps: readonly StepReport[];
  readonly skipped: readonly PluginLoadFailure[];
}

export const STEP_WORLD = 'example:text-pipeline/step-plugin';
const STEP = 'example:text-pipeline/step';

/** Runs `input` through every step plugin in `pluginsDir`, in folder order. */
export async function runPipeline(input: string, options: PipelineOptions): Promise<PipelineResult> {
  const system = new ActorSystem({ metrics: true, ...(options.logger ? { logger: options.logger } : {}) });
  try {
    // Subprocess steps run with the user's rights: this application allows that (`process`),
    // and no WASI grant — a wasm step asking for files or the clock is refused.
    const { loaded, failed } = await system.loadAll(options.pluginsDir, { world: STEP_WORLD, wit: options.wit, allowGrants: ['process'] });
    const descriptions: string[] = [];
    let text = input;
    for (const plugin of loaded) {
      const step = plugin.node.exports<Step>(STEP);
      descriptions.push(await step.describe());
      try {
        text = await step.run(text, { timeoutMs: 10_000 });
      } catch (e) {
        if (isPluginHostError(e, 'ERR_RESULT')) throw new Error(`step ${plugin.name} refused the text: ${String(e.payload)}`, { cause: e });
        throw e;
      }
    }
    const steps = loaded.map((plugin, i) => report(plugin, descriptions[i]!, system.metrics(plugin.name)!));
    return { output: text, steps, skipped: failed };
  } finally {
    await system.close();
  }
}

function report(plugin: LoadedPlugin, description: string, metrics: PluginMetrics): StepReport {
  return { name: plugin.name, version: plugin.manifest.version, runs: plugin.runs, description, metrics };
}

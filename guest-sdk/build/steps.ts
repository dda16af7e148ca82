/**
 * Runs build steps with one progress line each; a failing step becomes ERR_BUILD_FAILED
 * naming the step and carrying its output.
 */
import { isPluginHostError, PluginHostError } from '../../common/errors.js';

export interface BuildReporter {
  step(index: number, total: number, name: string, detail: string): void;
}

export const consoleReporter: BuildReporter = {
  step(index, total, name, detail) {
    process.stderr.write(`[${index}/${total}] ${name.padEnd(10)} ${detail}\n`);
  },
};

export const silentReporter: BuildReporter = { step() {} };

export class StepRunner {
  private index = 0;

  constructor(private readonly total: number, private readonly reporter: BuildReporter) {}

  async run<T>(name: string, work: () => Promise<{ value: T; detail: string }>): Promise<T> {
    const index = ++this.index;
    const started = performance.now();
    try {
      const { value, detail } = await work();
      this.reporter.step(index, this.total, name, `${detail} (${Math.round(performance.now() - started)} ms)`);
      return value;
    } catch (e) {
      const output = (e as { output?: string }).output;
      const message = `step ${index}/${this.total} "${name}" failed: ${(e as Error).message}${output ? `\n${output}` : ''}`;
      if (isPluginHostError(e) && e.code === 'ERR_TOOLCHAIN_MISSING') throw e;
      throw new PluginHostError('ERR_BUILD_FAILED', message, { cause: e });
    }
  }
}

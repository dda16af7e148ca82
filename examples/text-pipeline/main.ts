// `npm start`: the text pipeline on its bundled sample (or a file given as the argument),
// with the step plugins of examples/text-pipeline/plugins (or --plugins <dir>).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { latencyQuantile } from 'plugin-actors';
import { runPipeline } from './pipeline.js';

// Compiled to dist/examples/text-pipeline/: the sources sit three folders up.
const here = (path: string) => fileURLToPath(new URL(`../../../examples/text-pipeline/${path}`, import.meta.url));
const { values, positionals } = parseArgs({ options: { plugins: { type: 'string' } }, allowPositionals: true });
const inputFile = positionals[0] ?? here('sample.txt');

const quiet = () => {};
const warnings: string[] = [];
const result = await runPipeline(await readFile(inputFile, 'utf8'), {
  pluginsDir: values.plugins ?? here('plugins'),
  wit: here('wit'),
  logger: { debug: quiet, info: quiet, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
});

console.log('text-pipeline: steps loaded from their manifests\n');
for (const step of result.steps) console.log(`  ${`${step.name}@${step.version}`.padEnd(16)} ${step.runs.padEnd(8)} ${step.description}`);
for (const skipped of result.skipped) console.log(`  skipped ${skipped.source}: ${skipped.error.code}: ${skipped.error.message}`);
for (const w of warnings.filter((m) => !/ skipped: /.test(m))) console.log(`  warning: ${w}`);
console.log(`\n${result.output}`);
console.log('\nper-step metrics (the host\'s, from system.metrics):');
for (const { name, metrics } of result.steps) {
  const errors = Object.entries(metrics.errors).map(([code, n]) => `${code}×${n}`).join(' ') || 'no errors';
  console.log(`  ${name.padEnd(10)} ${metrics.calls} calls, ${errors}, slowest ${metrics.latency.maxMs.toFixed(2)} ms, p50 ≤ ${latencyQuantile(metrics.latency, 0.5)} ms`);
}

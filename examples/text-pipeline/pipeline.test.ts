// The motivating example: one host, four step plugins in four languages (AssemblyScript and
// Rust components, Node and Python subprocesses), each with its manifest, loaded by loadAll.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const sample = () => readFile(here('sample.txt'), 'utf8');

describe('the text pipeline', () => {
  it('runs the sample through an AssemblyScript, a Rust, a Node and a Python step', async () => {
    const result = await runPipeline(await sample(), { pluginsDir: here('plugins'), wit: here('wit') });
    expect(result.steps.map((s) => [s.name, s.runs])).toEqual([['normalize', 'wasm'], ['redact', 'wasm'], ['wrap', 'process'], ['stats', 'process']]);
    expect(result.skipped).toEqual([]);
    const lines = result.output.split('\n');
    expect(lines[0]).toBe('Plugin actors host third-party plugins as actors.');      // normalize
    expect(result.output).toContain('#### 555 ####');                                  // redact
    expect(result.output).toContain('################ and your customer number 73.');
    expect(result.output).not.toMatch(/\d{4}/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);           // wrap
    expect(lines.at(-1)).toBe('-- 57 words, 6 lines');                                 // stats
    for (const step of result.steps) expect(step.metrics).toMatchObject({ plugin: step.name, calls: 2, pending: 0, errors: {}, latency: { count: 2 } });
  });

  it('skips a broken plugin and a plugin asking for a grant, reporting both, and runs the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'text-pipeline-'));
    try {
      for (const step of ['1-normalize', '2-redact', '3-wrap', '4-stats']) await symlink(here(`plugins/${step}`), join(dir, step));
      await mkdir(join(dir, '0-greedy'));
      await cp(here('plugins/1-normalize/build/normalize.wasm'), join(dir, '0-greedy/step.wasm'));
      await writeFile(join(dir, '0-greedy/plugin.json'), JSON.stringify({ name: 'greedy', version: '1.0.0', world: 'example:text-pipeline/step-plugin', wasm: 'step.wasm', grants: { fs: { preopens: { '/': { path: '.' } } } } }));
      await mkdir(join(dir, '5-broken'));
      await writeFile(join(dir, '5-broken/plugin.json'), '{"name": "broken"');
      const result = await runPipeline('a 12345 b', { pluginsDir: dir, wit: here('wit'), logger: { debug() {}, info() {}, warn() {}, error() {} } });
      expect(result.steps.map((s) => s.name)).toEqual(['normalize', 'redact', 'wrap', 'stats']);
      expect(result.skipped.map((s) => [s.source.slice(dir.length + 1), s.error.code])).toEqual([['0-greedy', 'ERR_GRANT_DENIED'], ['5-broken', 'ERR_MANIFEST_INVALID']]);
      expect(result.output).toBe('a ##### b\n\n-- 3 words, 1 lines');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops with the step\'s own message when a step refuses the text', async () => {
    await expect(runPipeline('   \n  ', { pluginsDir: here('plugins'), wit: here('wit') })).rejects.toThrow(/step stats refused the text: there is no text to count/);
  });

  it('is what `npm start` runs (the built command on the bundled sample)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [here('../../dist/examples/text-pipeline/main.js')]);
    expect(stdout).toMatch(/normalize@1\.0\.0\s+wasm/);
    expect(stdout).toMatch(/stats@1\.0\.0\s+process/);
    expect(stdout).toContain('-- 57 words, 6 lines');
    expect(stdout).toMatch(/redact\s+2 calls, no errors/);
  });
});

/**
 * Cold start, each sample a fresh process (bench/children/cold-start.ts): import + load +
 * first call against Extism's JS SDK doing the same `greet` (an Extism plugin built from
 * bench/plugins/extism) and against the raw floor (compile the component's core modules,
 * instantiate them, call by hand); importing the library alone against importing Extism's SDK.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractCoreModules } from '../core-modules.js';
import { compareSamples, figure, type Figure } from '../measure.js';
import { benchWasm, extismGreetWasm, repo } from '../paths.js';

const run = promisify(execFile);

export async function coldStartFigures(): Promise<Figure[]> {
  const work = await mkdtemp(join(tmpdir(), 'plugin-actors-cold-'));
  const modules = join(work, 'modules');
  const child = async (mode: string): Promise<number> => {
    const { stdout } = await run(process.execPath, [repo('dist/bench/children/cold-start.js'), mode, benchWasm, modules, extismGreetWasm], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as number;
  };
  try {
    await extractCoreModules(benchWasm, modules);
    for (const mode of ['plugin-actors', 'extism', 'raw']) await child(mode); // the page cache, not the process
    const reps = 11;
    return [
      figure('cold start: import + load + first greet (fresh process), vs Extism JS SDK', 'ms', await compareSamples(reps,
        () => child('extism'), () => child('plugin-actors')), '≤ 0.5× Extism'),
      figure('cold start: the same, vs raw compile + instantiate + hand-lowered call', 'ms', await compareSamples(reps,
        () => child('raw'), () => child('plugin-actors')), '≤ 2× raw'),
      figure('import: the library alone (fresh process), vs importing Extism JS SDK', 'ms', await compareSamples(reps,
        () => child('import-extism'), () => child('import-plugin-actors')), '≤ 1.5× Extism import'),
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

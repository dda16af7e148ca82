/**
 * Load time and memory, each sample from a fresh child process (a warm process would hide
 * compilation, and RSS is per process).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractCoreModules } from '../core-modules.js';
import { compareSamples, figure, scaled, type Figure } from '../measure.js';
import { benchWasm, repo } from '../paths.js';

const run = promisify(execFile);

async function inChild(mode: string, ...args: string[]): Promise<number> {
  const { stdout } = await run(process.execPath, ['--expose-gc', repo('dist/bench/children/startup.js'), mode, benchWasm, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as number;
}

export async function startupFigures(): Promise<Figure[]> {
  const work = await mkdtemp(join(tmpdir(), 'plugin-actors-bench-'));
  const modules = join(work, 'modules');
  const cache = join(work, 'cache');
  try {
    await extractCoreModules(benchWasm, modules);
    await inChild('cached-load', modules, cache); // warms the persistent cache
    const reps = 7;
    return [
      figure('load: first load of bench.wasm (fresh process, no cache)', 'ms', await compareSamples(reps,
        () => inChild('raw-load', modules), () => inChild('first-load', modules)), '≤ 1 s'),
      // The baseline here is the first load itself: validation is a part of it.
      figure('load: validating bench.wasm, against its first load (fresh processes)', 'ms', await compareSamples(reps,
        () => inChild('first-load', modules), () => inChild('validate')), '≤ 0.1× first load'),
      figure('load: cached load of bench.wasm (fresh process, warm cacheDir)', 'ms', await compareSamples(reps,
        () => inChild('raw-load', modules), () => inChild('cached-load', modules, cache)), '≤ 3× raw compile + instantiate'),
      figure('memory: per live wasm plugin instance (RSS growth over 1,000), vs a raw instance of its core modules', 'KiB', scaled(await compareSamples(5,
        () => inChild('raw-instances', modules), () => inChild('instances', modules)), 1024 / 1000), '≤ 1.5× raw'),
      figure('memory: per live wasm plugin instance, vs an Extism plugin of the same greet', 'KiB', scaled(await compareSamples(5,
        () => inChild('extism-instances'), () => inChild('instances', modules)), 1024 / 1000), 'for comparison'),
      figure('memory: 100,000 live resource actors in one instance (RSS growth)', 'MiB', await compareSamples(5,
        () => inChild('raw-resources', modules), () => inChild('resources', modules))),
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Load time and memory, each sample from a fresh child process (a warm process would hide
 * compilation, and RSS is per process).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseComponent } from '../../host/component/binary/parse.js';
import type { Definition } from '../../host/component/binary/ast.js';
import { compareSamples, figure, type Figure } from '../measure.js';
import { benchWasm, repo } from '../paths.js';

const run = promisify(execFile);

async function inChild(mode: string, ...args: string[]): Promise<number> {
  const { stdout } = await run(process.execPath, ['--expose-gc', repo('dist/bench/children/startup.js'), mode, benchWasm, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as number;
}

/** The component's core modules as separate files: the raw baseline compiles these. */
async function extractCoreModules(dir: string): Promise<void> {
  let n = 0;
  const visit = async (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') await writeFile(join(dir, `${String(n++).padStart(3, '0')}.wasm`), d.bytes);
      else if (d.kind === 'component') await visit(d.body);
    }
  };
  await visit(parseComponent(new Uint8Array(await readFile(benchWasm))));
}

export async function startupFigures(): Promise<Figure[]> {
  const work = await mkdtemp(join(tmpdir(), 'plugin-actors-bench-'));
  const modules = join(work, 'modules');
  const cache = join(work, 'cache');
  try {
    await import('node:fs/promises').then((fs) => fs.mkdir(modules));
    await extractCoreModules(modules);
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
      figure('memory: 1,000 live wasm plugin instances (RSS growth)', 'MiB', await compareSamples(5,
        () => inChild('raw-instances', modules), () => inChild('instances', modules)), '≤ 150 MiB'),
      figure('memory: 100,000 live resource actors in one instance (RSS growth)', 'MiB', await compareSamples(5,
        () => inChild('raw-resources', modules), () => inChild('resources', modules))),
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

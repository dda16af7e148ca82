/**
 * One measurement in a fresh process (so nothing is compiled or cached in memory), printed
 * as JSON on stdout. Usage: node startup.js <mode> <component.wasm> [core-modules-dir] [cache-dir]
 *
 * Load modes (milliseconds, module imports excluded):
 *   raw-load    compile the component's core modules and instantiate them (the floor)
 *   first-load  ActorSystem.load() with nothing cached
 *   cached-load ActorSystem.load() with a warm persistent cache (`cacheDir`)
 *   validate    the validator alone on the decoded component (part of every first load)
 * Memory modes (RSS growth in MiB, after a full GC, objects kept alive):
 *   raw-instances / instances   1,000 instantiations of the component's core modules / 1,000 loaded plugins
 *   extism-instances            1,000 Extism plugins of the same greet (one compiled module), for comparison
 *   raw-resources / resources   100,000 counters made by the core constructor / resource actors
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ActorSystem, type Remote, type ResourceActor } from '../../host/index.js';
import { parseComponent } from '../../host/component/binary/parse.js';
import { validateComponent } from '../../host/component/validate/index.js';
import { compileCoreModules, instantiateCoreModules, mainInstance } from '../raw/core-instances.js';
import { handLowered } from '../raw/hand-lowered.js';
import { extismGreetWasm, quietLogger } from '../paths.js';

const [mode, wasmPath, modulesDir, cacheDir] = process.argv.slice(2) as [string, string, string?, string?];
const INSTANCES = 1_000;
const RESOURCES = 100_000;

async function rawLoad(): Promise<number> {
  const start = performance.now();
  mainInstance(instantiateCoreModules(await compileCoreModules(modulesDir!)));
  return performance.now() - start;
}

async function load(withCache: boolean): Promise<number> {
  const start = performance.now();
  const system = new ActorSystem({ logger: quietLogger, ...(withCache ? { cacheDir: cacheDir! } : {}) });
  await system.load({ name: 'bench', wasm: await readFile(wasmPath) });
  const ms = performance.now() - start;
  await system.close();
  return ms;
}

function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc!();
  return process.memoryUsage().rss / 2 ** 20;
}

async function growth(make: () => Promise<unknown>): Promise<number> {
  const before = rssMiB();
  const kept = await make();
  const after = rssMiB();
  if (kept === undefined) throw new Error('nothing kept alive');
  return after - before;
}

interface Counter extends ResourceActor { increment(by: number): number }
type BenchApi = { Counter: { create(start: number): Counter } };

const bytes = new Uint8Array(await readFile(wasmPath));
const measurements: Record<string, () => Promise<number>> = {
  'raw-load': rawLoad,
  'first-load': () => load(false),
  'cached-load': () => load(true),
  validate: async () => {
    const definitions = parseComponent(bytes);
    const start = performance.now();
    validateComponent(definitions, bytes);
    return performance.now() - start;
  },
  'raw-instances': async () => {
    const modules = await compileCoreModules(modulesDir!);
    return growth(async () => Array.from({ length: INSTANCES }, () => instantiateCoreModules(modules)));
  },
  'extism-instances': async () => {
    const { default: createPlugin } = await import('@extism/extism');
    const data = await readFile(extismGreetWasm);
    const module = await WebAssembly.compile(data);
    await createPlugin({ wasm: [{ module }] }, { useWasi: false });
    return growth(async () => {
      const plugins = [];
      for (let i = 0; i < INSTANCES; i++) plugins.push(await createPlugin({ wasm: [{ module }] }, { useWasi: false }));
      return plugins;
    });
  },
  instances: async () => {
    const system = new ActorSystem({ logger: quietLogger });
    await system.load({ name: 'warm-up', wasm: bytes });
    return growth(async () => {
      const nodes = [];
      for (let i = 0; i < INSTANCES; i++) nodes.push(await system.load({ name: `bench-${i}`, wasm: bytes }));
      return nodes;
    });
  },
  'raw-resources': async () => {
    const raw = await handLowered(bytes);
    return growth(async () => Array.from({ length: RESOURCES }, (_, i) => raw.newCounter(i)));
  },
  resources: async () => {
    const system = new ActorSystem({ logger: quietLogger });
    const api = (await system.load({ name: 'bench', wasm: bytes })).exports<BenchApi>();
    return growth(async () => {
      const counters: Remote<Counter>[] = [];
      for (let i = 0; i < RESOURCES; i++) counters.push(await api.Counter.create(i));
      return counters;
    });
  },
};

const measure = measurements[mode];
if (!measure) throw new Error(`unknown mode ${mode}`);
process.stdout.write(`${JSON.stringify(await measure())}\n`);
process.exit(0);

/**
 * One cold start in a fresh process, timed from this script's first line (Node's own
 * bootstrap, the same for every mode, is left out), printed as milliseconds on stdout.
 * Usage: node cold-start.js <mode> <bench.wasm> <core-modules-dir> <extism-greet.wasm>
 *
 *   plugin-actors         import the library, load bench.wasm, call greet("world")
 *   extism                import Extism's JS SDK, createPlugin(greet.wasm), call greet("world")
 *   raw                   compile bench.wasm's core modules, instantiate them, call greet by hand-written lowering
 *   import-plugin-actors  import the library alone
 *   import-extism         import Extism's SDK alone
 *
 * Nothing is imported before the clock starts but Node's built-in modules.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const start = performance.now();
const [mode, benchWasm, modulesDir, extismWasm] = process.argv.slice(2) as [string, string, string, string];
// Through the package's own name, as an application imports it (the bundle its exports name).
const library = 'plugin-actors';
const extism = '@extism/extism';

type Library = typeof import('../../host/index.js');
type Extism = { default: (manifest: { wasm: { data: Uint8Array }[] }, options: { useWasi: boolean }) => Promise<{ call(fn: string, input: string): Promise<{ text(): string } | null>; close(): Promise<void> }> };

function check(greeting: string | undefined): void {
  if (greeting !== 'Hello, world!') throw new Error(`${mode}: greet returned ${JSON.stringify(greeting)}`);
}

const modes: Record<string, () => Promise<void>> = {
  async 'plugin-actors'() {
    const { ActorSystem } = (await import(library)) as Library;
    const system = new ActorSystem();
    const node = await system.load({ name: 'cold', wasm: await readFile(benchWasm) });
    check(await node.exports<{ greet(name: string): string }>().greet('world'));
  },
  async extism() {
    const { default: createPlugin } = (await import(extism)) as Extism;
    const plugin = await createPlugin({ wasm: [{ data: await readFile(extismWasm) }] }, { useWasi: false });
    check((await plugin.call('greet', 'world'))?.text());
  },
  async raw() {
    const { compileCoreModules, instantiateCoreModules, mainInstance } = await import('../raw/core-instances.js');
    const { coreCalls } = await import('../raw/core-calls.js');
    check(coreCalls(mainInstance(instantiateCoreModules(await compileCoreModules(modulesDir)))).greet('world'));
  },
  async 'import-plugin-actors'() { await import(library); },
  async 'import-extism'() { await import(extism); },
};

const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
await run();
process.stdout.write(`${JSON.stringify(performance.now() - start)}\n`);
process.exit(0);

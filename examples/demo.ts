// The plugin-actors demo: one WIT world implemented four times — AssemblyScript and Rust
// components run in-process, a Node and a Python subprocess — called through the same actor API.
import { fileURLToPath } from 'node:url';
import { ActorSystem, isPluginHostError, type Logger, type Remote } from 'plugin-actors';
import type { GreeterApi } from './greeter/api.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const logs: string[] = [];
const logger: Logger = {
  debug: (m, f) => logs.push(`  [${String(f?.plugin)}] debug: ${m}`),
  info: (m, f) => logs.push(`  [${String(f?.plugin)}] ${m}`),
  warn: (m, f) => logs.push(`  [${String(f?.plugin)}] warn: ${m}`),
  error: (m, f) => logs.push(`  [${String(f?.plugin)}] error: ${m}`),
};

const show = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint32Array ? [...x] : x));

const system = new ActorSystem({ logger });
try {
  const wasm = await system.load({ name: 'greeter-as', wasm: root('examples/greeter/assemblyscript/build/greeter.wasm') });
  const rust = await system.load({ name: 'greeter-rust', wasm: root('examples/greeter/rust/build/greeter.wasm') });
  const proc = await system.load({
    name: 'greeter-node',
    command: [process.execPath, root('dist/examples/greeter/node/plugin.js')],
    world: 'example:greeter/greeter',
    wit: root('examples/greeter/wit'),
  });
  const py = await system.load({
    name: 'greeter-py',
    command: ['python3', root('examples/greeter/python/plugin.py')],
    world: 'example:greeter/greeter',
    wit: root('examples/greeter/wit'),
  });
  console.log('plugin-actors demo: one world (example:greeter/greeter), four plugins\n');
  console.log(`  ${wasm.id}    AssemblyScript component, in-process`);
  console.log(`  ${rust.id}  Rust component, in-process`);
  console.log(`  ${proc.id}  Node subprocess`);
  console.log(`  ${py.id}    Python subprocess\n`);

  const plugins = [wasm, rust, proc, py].map((node) => ({ node, api: node.exports<GreeterApi>('example:greeter/api') }));
  const calls: [string, (api: Remote<GreeterApi>) => Promise<unknown>][] = [
    ['greet("world")', (api) => api.greet('world')],
    ['greetWith("Ada", repeat(2))', (api) => api.greetWith('Ada', { tag: 'repeat', val: 2 })],
    ['greetWith("Ada", wrapped)', (api) => api.greetWith('Ada', { tag: 'wrapped', val: ['<<', '>>'] })],
    ['sum([1, 2, 3, 4000000000])', (api) => api.sum(new Uint32Array([1, 2, 3, 4_000_000_000]))],
    ['words("to be  or not")', (api) => api.words('to be  or not')],
    ['words("") (an err result)', (api) => api.words('').catch((e: unknown) => (isPluginHostError(e) ? `${e.code}: ${show(e.payload)}` : e))],
    ['greet(42) (a wrong argument)', (api) => api.greet(42 as never).catch((e: unknown) => (isPluginHostError(e) ? e.code : e))],
    ['Counter.create(5) → increment(2)', async (api) => {
      const counter = await api.Counter.create(5);
      const after = await counter.increment(2);
      await counter[Symbol.asyncDispose]();
      return after;
    }],
    ['getStats()', (api) => api.getStats()],
  ];
  let same = true;
  const width = 34;
  const column = 38;
  console.log(`${'call'.padEnd(width)}${'greeter-as'.padEnd(column)}${'greeter-rust'.padEnd(column)}${'greeter-node'.padEnd(column)}greeter-py`);
  for (const [label, call] of calls) {
    const results: string[] = [];
    for (const p of plugins) results.push(show(await call(p.api)));
    same &&= results.every((r) => r === results[0]);
    console.log(`${label.padEnd(width)}${results.map((r, i) => (i < results.length - 1 ? r.padEnd(column) : r)).join('')}`);
  }
  console.log(`\nsame results from all four plugins: ${same ? 'yes' : 'NO'}`);

  console.log('\nkilling greeter-node (SIGKILL) while a call is in flight…');
  const watched = new Promise<string>((resolve) => system.watch(proc.id, (t) => resolve(`${t.id} ended (${t.cause}${t.reason ? `: ${t.reason.code}` : ''})`)));
  const inFlight = plugins[2]!.api.greet('never answered');
  proc.kill('SIGKILL');
  for (const [what, attempt] of [['in-flight call', inFlight], ['next call', plugins[2]!.api.greet('too late')]] as const) {
    try {
      await attempt;
      console.log(`  ${what}: unexpectedly succeeded`);
    } catch (e) {
      if (!isPluginHostError(e)) throw e;
      console.log(`  ${what} rejected: ${e.code} (exit code ${e.exitCode}, signal ${e.signal}): ${e.message}`);
    }
  }
  console.log(`  watch: ${await watched}`);
  console.log(`  greeter-as and greeter-rust still answer: ${show(await plugins[0]!.api.greet('again'))}, ${show(await plugins[1]!.api.greet('again'))}`);
} finally {
  await system.close();
}
if (logs.length > 0) console.log(`\nplugin logs:\n${logs.join('\n')}`);

// `plugin-actors types`: declarations generated from WIT, checked by compiling real host and
// Node plugin programs against them with tsc --strict (and no DOM library), and compiling
// wrong ones to see each mistake refused.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostWitDir } from '../../../common/package-files.js';
import { loadWit, parseWitSource, selectWorld } from '../../../common/wit/load.js';
import { generateTypeScript } from '../../../guest-sdk/codegen/typescript/generate.js';
import { root } from '../../helpers.js';

const TYPED_WIT = `package test:typed@1.0.0;

interface host {
  /// The host's clock.
  now: func() -> u64;
  resource widget {
    constructor(start: u32);
    get: func() -> u32;
  }
}

interface api {
  use host.{widget};
  flags perms { read, write-all }
  enum mode { fast, careful-mode }
  record item { name: string, tags: list<string>, size: option<u64> }
  variant shape { none, circle(f64), named(item) }
  /// Runs once.
  run: func(x: s64, data: list<u8>, note: option<string>) -> result<u32, string>;
  check: func(p: perms, m: mode, s: shape) -> tuple<bool, list<f32>>;
  nested: func(o: option<option<u8>>) -> result<_, mode>;
  resource job {
    constructor(name: string);
    progress: func() -> f32;
    cancel: static func(j: job) -> bool;
  }
  spawn: func(name: string) -> job;
}

world typed {
  import host;
  import decorate: func(s: string) -> string;
  export api;
  export version: func() -> string;
}
`;

const WORK = root('.cache/typescript-bindings');
const TSC = root('node_modules/typescript/bin/tsc');

function generate(text: string, world?: string): string {
  const { files } = generateTypeScript({ world: selectWorld(parseWitSource(text), world) });
  return [...files.values()][0]!;
}

/** Compiles a project in WORK/<name> against the built package; resolves to tsc's diagnostics. */
function compile(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(WORK, name);
  return (async () => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'types'), { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        skipLibCheck: false, noEmit: true, types: ['node'], typeRoots: [join(WORK, 'node_modules/@types')],
      },
      include: ['**/*.ts'],
    }));
    return new Promise<string>((resolve) => {
      execFile(process.execPath, [TSC, '-p', dir], (_error, stdout) => resolve(stdout));
    });
  })();
}

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(join(WORK, 'node_modules/@types'), { recursive: true });
  await symlink(root('.'), join(WORK, 'node_modules/plugin-actors'));
  await symlink(root('node_modules/@types/node'), join(WORK, 'node_modules/@types/node'));
});

describe('generated declarations', () => {
  it('for the greeter world', async () => {
    const world = selectWorld(await loadWit(root('examples/greeter/wit'), { deps: [hostWitDir()] }));
    await expect([...generateTypeScript({ world }).files.values()][0]).toMatchFileSnapshot('__snapshots__/greeter.d.ts.snap');
  });

  it('map every kind of value as jco does', async () => {
    const text = generate(TYPED_WIT);
    await expect(text).toMatchFileSnapshot('__snapshots__/typed.d.ts.snap');
    expect(text).toContain('run(x: bigint, data: Uint8Array | number[], note: string | undefined): number;');
    expect(text).toContain('export type Mode = "fast" | "careful-mode";');
    expect(text).toMatch(/export interface Perms \{\s+read\?: boolean;\s+writeAll\?: boolean;\s+\}/);
    // option<option<u8>>: the outer one is tagged, the inner one stays `T | undefined`.
    expect(text).toContain("nested(o: { tag: 'none' } | { tag: 'some'; val: number | undefined }): void;");
    expect(text).toContain('check(p: TestTypedApi.Perms, m: TestTypedApi.Mode, s: TestTypedApi.Shape): [boolean, Float32Array];');
  });
});

const GREETER_HOST = `
import { ActorSystem, isPluginHostError } from 'plugin-actors';
import type { Greeter } from './types/greeter.js';

const system = new ActorSystem({ logger: console });
const node = await system.load<Greeter>({ name: 'greeter', wasm: './greeter.wasm' });
const api = node.exports('example:greeter/api');
const hello: string = await api.greet('world', { timeoutMs: 100 });
const counter = await api.Counter.create(5);
const next: number = await counter.increment(1);
await counter[Symbol.asyncDispose]();
const total: bigint = await api.sum(new Uint32Array([1, 2]));
const stats = await api.getStats();
const chars: bigint = stats.characters;
await api.greetWith('a', { tag: 'wrapped', val: ['<', '>'] });
try { await api.words(''); } catch (e) { if (isPluginHostError(e, 'ERR_RESULT')) console.log(e.payload); }
const untyped = node.exports('api');
const anything: unknown = await untyped.whatever(1, 'two', [3]);
console.log(hello, next, total, chars, anything);
await system.close();
`;

const GREETER_PLUGIN = `
import { serve, ResultError } from 'plugin-actors/guest';
import type { Greeter } from './types/greeter.js';

const plugin = await serve<Greeter>({
  wit: new URL('./wit', import.meta.url),
  exports: {
    'example:greeter/api': {
      greet: (name) => \`Hello, \${name}!\`,
      greetWith: (name, delivery) => delivery.tag === 'repeat' ? name.repeat(delivery.val) : name,
      sum: async (values) => values.reduce((a, v) => a + BigInt(v), 0n),
      getStats: () => ({ calls: 1, characters: 2n }),
      words: (line) => { if (!line) throw new ResultError('empty'); return line.split(' '); },
      Counter: class { n: number; constructor(start: number) { this.n = start; } increment(by: number) { return (this.n += by); } get() { return this.n; } },
    },
  },
});
await plugin.imports['plugin-actors:host/log'].log('info', 'ready');
`;

const TYPED_HOST = `
import { ActorSystem } from 'plugin-actors';
import type { Typed, TestTypedHost } from './types/typed.js';

class Widget implements TestTypedHost.Widget { constructor(private n: number) {} get() { return this.n; } }
const system = new ActorSystem();
const node = await system.load<Typed>({
  name: 'typed', wasm: './typed.wasm',
  imports: { 'test:typed/host': { now: () => 1n, Widget }, decorate: (s: string) => \`*\${s}*\` },
});
const api = node.exports('test:typed/api');
const n: number = await api.run(1n, [1, 2], undefined);
await api.run(1n, new Uint8Array(2), 'note');
await api.nested({ tag: 'some', val: 1 });
const job = await api.spawn('x');
const progress: number = await job.progress();
await api.Job.cancel(job);
const version: string = await node.exports('').version();
console.log(n, progress, version);
`;

describe('compiled with tsc --strict, skipLibCheck false, no DOM', () => {
  it('a host and a Node plugin using them compile', async () => {
    const greeter = generate(await readFile(root('examples/greeter/wit/greeter.wit'), 'utf8') + await readFile(join(hostWitDir(), 'log.wit'), 'utf8').then((t) => `\n${t.replace(/^package ([^;]+);/m, 'package $1 {')}\n}\n`));
    const out = await compile('valid', {
      'types/greeter.d.ts': greeter, 'types/typed.d.ts': generate(TYPED_WIT),
      'host.ts': GREETER_HOST, 'plugin.ts': GREETER_PLUGIN, 'typed.ts': TYPED_HOST,
    });
    expect(out).toBe('');
  }, 120_000);

  it('refuse a wrong argument, a wrong host import, a missing import and a missing implementation', async () => {
    const greeter = generate(await readFile(root('examples/greeter/wit/greeter.wit'), 'utf8') + await readFile(join(hostWitDir(), 'log.wit'), 'utf8').then((t) => `\n${t.replace(/^package ([^;]+);/m, 'package $1 {')}\n}\n`));
    const out = await compile('invalid', {
      'types/greeter.d.ts': greeter, 'types/typed.d.ts': generate(TYPED_WIT),
      'host.ts': GREETER_HOST.replace("api.greet('world', { timeoutMs: 100 })", 'api.greet(42)'),
      'plugin.ts': GREETER_PLUGIN.replace(/ {6}words: .*\n/, ''),
      'typed.ts': TYPED_HOST.replace('now: () => 1n', 'now: () => 1'),
      'missing.ts': `import { ActorSystem } from 'plugin-actors';\nimport type { Typed } from './types/typed.js';\nawait new ActorSystem().load<Typed>({ name: 't', wasm: './t.wasm' });\n`,
    });
    const errors = out.split('\n').filter((l) => l.includes(': error TS')).map((l) => l.replace(/^.*\/invalid\//, ''));
    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^host\.ts\(8,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'/),
      expect.stringMatching(/^plugin\.ts\(\d+,\d+\): error TS2741: Property 'words' is missing/),
      expect.stringMatching(/^typed\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'bigint/),
      expect.stringMatching(/^missing\.ts\(3,\d+\): error TS2345: .*TypedPluginSpec<Typed>/),
    ]));
    expect(out).toMatch(/Property 'imports' is missing/);
    expect(errors.length).toBe(4);
  }, 120_000);
});

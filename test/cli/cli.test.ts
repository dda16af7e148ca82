// The plugin-actors command, run as users run it: the bundled binary (dist/bundle/cli.js).
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { compareInterfaces } from '../../common/wit/equal.js';
import { hostWitDir } from '../../common/package-files.js';
import { loadWit, parseWitSource } from '../../common/wit/load.js';
import { packageId } from '../../common/wit/model.js';
import { findRustToolchain } from '../../guest-sdk/build/rust-toolchain.js';
import { root } from '../helpers.js';
import type { Built } from '../interop/support/build-cache.js';
import { buildComponentizeJs } from '../interop/support/componentize-js.js';

const CLI = root('dist/bundle/cli.js');
const GREETER_AS = root('examples/greeter/assemblyscript/build/greeter.wasm');
const GREETER_NODE = root('dist/examples/greeter/node/plugin.js');
const WORK = root('.cache/cli-test');

interface Run { code: number; stdout: string; stderr: string }

type WitItem = { kind: 'interface' | 'function'; name: string; wit: string } | { kind: 'opaque'; name: string; why: string; wit?: undefined };
interface WitData {
  world: { name: string; imports: string[]; exports: string[] };
  interfaces: { imports: WitItem[]; exports: WitItem[] };
  wit: string;
}

/** A world with a string function, a record, a list, a result and a resource, for `new --wit`. */
const NOTES_WIT = `package demo:notes@0.2.0;

/// A notebook.
interface notes {
  /// A note.
  record note {
    title: string,
    tags: list<string>,
  }

  /// The title of a note.
  title-of: func(n: note) -> string;
  make: func(title: string) -> note;
  /// Splits a line into words.
  split: func(line: string) -> result<list<string>, string>;

  resource book {
    constructor(name: string);
    /// How many notes the book holds.
    count: func() -> u32;
    add: func(n: note) -> result<u32, string>;
  }
}

world notebook {
  import plugin-actors:host/log@0.1.0;
  export notes;
}
`;

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...options.env }, cwd: options.cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const COMMANDS = ['build', 'new', 'inspect', 'wit', 'call', 'types', 'keygen', 'sign', 'verify', 'serve'];

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  // Projects made by `new` import plugin-actors as an installed package would be.
  await mkdir(join(WORK, 'node_modules'), { recursive: true });
  await symlink(root('.'), join(WORK, 'node_modules', 'plugin-actors'));
});

describe('the command', () => {
  it('prints its version and its commands', async () => {
    const pkg = JSON.parse(await readFile(root('package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('names an unknown command and exits with 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plugin-actors: unknown command 'frobnicate'/);
    expect(r.stdout).toBe('');
  });

  it.each(COMMANDS)('%s --help shows its usage and exits with 0', async (c) => {
    const r = await cli([c, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: plugin-actors ${c} `));
  });

  it('serve refuses a command line without --nats with exit code 2 and the usage', async () => {
    const r = await cli(['serve', GREETER_AS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--nats <url> is required/);
    expect(r.stderr).toMatch(/usage: plugin-actors serve/);
  });

  it('refuses an unknown option with exit code 2 and the usage', async () => {
    const r = await cli(['inspect', GREETER_AS, '--frob']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--frob'/);
    expect(r.stderr).toMatch(/usage: plugin-actors inspect/);
  });

  it('colours only when asked to by the terminal, never with NO_COLOR', async () => {
    // Under execFile stdout is a pipe: no colour; FORCE_COLOR stands in for a terminal.
    expect((await cli(['inspect', GREETER_AS])).stdout).not.toContain('\x1b[');
    expect((await cli(['inspect', GREETER_AS], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[1m');
    expect((await cli(['inspect', GREETER_AS], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });
});

describe('inspect and wit', () => {
  it('describe a component: world, size, sha256, signature status', async () => {
    const r = await cli(['inspect', GREETER_AS, '--json']);
    expect(r.code).toBe(0);
    const facts = JSON.parse(r.stdout) as { size: number; sha256: string; world: { imports: string[]; exports: string[] }; signature: { status: string } };
    const bytes = await readFile(GREETER_AS);
    const { createHash } = await import('node:crypto');
    expect(facts.size).toBe(bytes.length);
    expect(facts.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(facts.world).toEqual({ name: 'root', imports: ['plugin-actors:host/log@0.1.0'], exports: ['example:greeter/api@0.1.0'] });
    expect(facts.signature.status).toBe('unsigned');
    const text = await cli(['inspect', GREETER_AS]);
    expect(text.stdout).toMatch(/^sha256 +[0-9a-f]{64}$/m);
    expect(text.stdout).toContain('  export example:greeter/api@0.1.0;');
    const wit = await cli(['wit', GREETER_AS]);
    expect(wit.code).toBe(0);
    expect(wit.stdout).toMatch(/world root \{[^}]*import plugin-actors:host\/log@0\.1\.0;[^}]*export example:greeter\/api@0\.1\.0;/);
  });

  it('print every imported and exported interface in full, as WIT that parses back to the world\'s interfaces', async () => {
    const wit = (await cli(['wit', GREETER_AS])).stdout;
    expect(wit).toContain([
      'package example:greeter@0.1.0 {',
      '  interface api {',
      '    record stats {',
      '      calls: u32,',
      '      characters: u64,',
      '    }',
      '    variant delivery {',
      '      plain,',
      '      repeat(u8),',
      '      wrapped(tuple<string, string>),',
      '    }',
      '    resource counter {',
      '      constructor(start: u32);',
      '      increment: func(by: u32) -> u32;',
      '      get: func() -> u32;',
      '    }',
      '    greet: func(name: string) -> string;',
    ].join('\n'));
    expect(wit).toMatch(/package plugin-actors:host@0\.1\.0 \{\n {2}interface log \{\n {4}enum level \{/);
    // The printed interfaces are the ones the greeter's WIT defines.
    const printed = parseWitSource(wit).packages.find((p) => packageId(p.name) === 'example:greeter@0.1.0')!.interfaces.get('api')!;
    const source = (await loadWit(root('examples/greeter/wit'), { deps: [hostWitDir()] })).main!.interfaces.get('api')!;
    expect(compareInterfaces('example:greeter/api', source, printed)).toBeUndefined();
    expect((await cli(['inspect', GREETER_AS])).stdout).toContain('    words: func(line: string) -> result<list<string>, string>;');
  });

  it('give the world and each interface as data with --json, inspect the same as wit', async () => {
    const r = await cli(['wit', GREETER_AS, '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as WitData;
    expect(data.world).toEqual({ name: 'root', imports: ['plugin-actors:host/log@0.1.0'], exports: ['example:greeter/api@0.1.0'] });
    expect(data.interfaces.imports).toEqual([{ kind: 'interface', name: 'plugin-actors:host/log@0.1.0', wit: expect.stringMatching(/^interface log \{\n {2}enum level \{/) }]);
    const api = data.interfaces.exports[0]!;
    expect(api).toMatchObject({ kind: 'interface', name: 'example:greeter/api@0.1.0' });
    expect(api.wit).toContain('  greet: func(name: string) -> string;\n');
    expect(api.wit).toContain('  resource counter {\n    constructor(start: u32);');
    // Each interface's text is WIT on its own: inside a package it is the interface the greeter defines.
    const reparsed = parseWitSource(`package example:greeter@0.1.0;\n${api.wit}\n`).main!.interfaces.get('api')!;
    const source = (await loadWit(root('examples/greeter/wit'), { deps: [hostWitDir()] })).main!.interfaces.get('api')!;
    expect(compareInterfaces('example:greeter/api', source, reparsed)).toBeUndefined();
    expect(data.wit.trimEnd()).toBe((await cli(['wit', GREETER_AS])).stdout.trimEnd());
    const inspected = JSON.parse((await cli(['inspect', GREETER_AS, '--json'])).stdout) as WitData;
    expect({ world: inspected.world, interfaces: inspected.interfaces, wit: inspected.wit }).toEqual(data);
  });

  it('fail clearly on a file that is not a component', async () => {
    const file = join(WORK, 'not-a-component.wasm');
    await writeFile(file, 'hello');
    const r = await cli(['inspect', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR_COMPONENT_INVALID: .*not a WebAssembly component/);
    expect((await cli(['wit', join(WORK, 'missing.wasm')])).stderr).toMatch(/ERR_LOAD_FAILED: cannot read/);
  });

  describe('a component componentize-js built', () => {
    let built: Built;
    beforeAll(async () => { built = await buildComponentizeJs(); }, 600_000);

    it('is inspected, its WIT printed, and called', async (ctx: TestContext) => {
      if (!built.ok) return ctx.skip(built.skip);
      const facts = JSON.parse((await cli(['inspect', built.wasm, '--json'])).stdout) as { world: { imports: string[]; exports: string[] } };
      expect(facts.world.exports).toEqual(['interop:js/probe', 'interop:js/counters']);
      expect(facts.world.imports).toContain('wasi:cli/environment@0.2.12');
      const wit = (await cli(['wit', built.wasm])).stdout;
      expect(wit).toContain('export interop:js/probe;');
      expect(wit).toContain('package interop:js {\n  interface probe {\n    echo: func(text: string) -> string;');
      expect(wit).toContain('  interface counters {\n    resource counter {\n      constructor(label: string);\n      increment: func(by: u32) -> u32;');
      // WASI's interfaces too, with the types they use from one another.
      expect(wit).toMatch(/interface streams \{\n {4}use wasi:io\/error@0\.2\.12\.\{error\};/);
      expect(parseWitSource(wit).packages.length).toBeGreaterThan(2);
      const data = JSON.parse((await cli(['wit', built.wasm, '--json'])).stdout) as WitData;
      expect(data.wit.trimEnd()).toBe(wit.trimEnd());
      expect(data.world).toEqual({ name: 'root', imports: facts.world.imports, exports: ['interop:js/probe', 'interop:js/counters'] });
      expect(data.interfaces.exports.map((i) => [i.kind, i.name])).toEqual([['interface', 'interop:js/probe'], ['interface', 'interop:js/counters']]);
      expect(data.interfaces.exports[0]!.wit).toMatch(/^interface probe \{\n {2}echo: func\(text: string\) -> string;/);
      expect(data.interfaces.exports[1]!.wit).toContain('  resource counter {\n    constructor(label: string);');
      const streams = data.interfaces.imports.find((i) => i.name.startsWith('wasi:io/streams@'))!;
      expect(streams).toMatchObject({ kind: 'interface', wit: expect.stringMatching(/^interface streams \{\n {2}use wasi:io\/error@0\.2\.12\.\{error\};/) });
      expect(data.interfaces.imports.map((i) => i.name)).toEqual(facts.world.imports);
      const call = await cli(['call', built.wasm, 'interop:js/probe#echo', '"über"']);
      expect(call).toMatchObject({ code: 0, stdout: '"über|4|rebü"\n' });
    });
  });
});

describe('call', () => {
  it('calls a wasm plugin and prints the result as JSON', async () => {
    expect(await cli(['call', GREETER_AS, 'api#greet', '"CLI"'])).toMatchObject({ code: 0, stdout: '"Hello, CLI!"\n' });
    expect((await cli(['call', GREETER_AS, 'example:greeter/api#sum', '[1, 2, 3]'])).stdout).toBe('6\n');
    const delivery = await cli(['call', GREETER_AS, 'api#greet-with', '"a"', '{"tag":"wrapped","val":["<",">"]}']);
    expect(delivery.stdout).toBe('"<Hello, a!>"\n');
  });

  it('calls a process plugin started by --command', async () => {
    const r = await cli(['call', '--command', `"${process.execPath}" ${GREETER_NODE}`, 'api#words', '"a b  c"']);
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout)).toEqual(['a', 'b', 'c']);
  });

  it('reports an err result and a bad argument with exit code 1', async () => {
    const err = await cli(['call', GREETER_AS, 'api#words', '""']);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/ERR_RESULT/);
    const json = await cli(['call', GREETER_AS, 'api#words', '""', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'ERR_RESULT', message: expect.any(String), payload: 'the line is empty' } });
    expect((await cli(['call', GREETER_AS, 'api#greet', '42'])).stderr).toMatch(/ERR_BAD_ARGUMENT/);
    expect(await cli(['call', GREETER_AS, 'api#greet', 'not-json'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not JSON/) });
  });
});

describe('keygen, sign, verify', () => {
  it('sign a plugin so that verify and inspect accept it, and refuse a tampered copy', async () => {
    const dir = join(WORK, 'sign');
    await mkdir(dir, { recursive: true });
    const keys = join(dir, 'dev');
    expect((await cli(['keygen', '-o', keys])).code).toBe(0);
    expect(await readFile(`${keys}.pub`, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const plugin = join(dir, 'greeter.wasm');
    await writeFile(plugin, await readFile(GREETER_AS));
    const signed = await cli(['sign', plugin, '--key', `${keys}.key`, '--json']);
    expect(signed.code).toBe(0);
    const { signature } = JSON.parse(signed.stdout) as { signature: string };
    expect(await readFile(`${plugin}.sig`, 'utf8')).toBe(`${signature}\n`);
    expect(await cli(['verify', plugin, '--key', `${keys}.pub`])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid/) });
    expect(JSON.parse((await cli(['inspect', plugin, '--key', `${keys}.pub`, '--json'])).stdout)).toMatchObject({ signature: { status: 'valid' } });

    const other = join(dir, 'other');
    await cli(['keygen', '-o', other]);
    expect(await cli(['verify', plugin, '--key', `${other}.pub`])).toMatchObject({ code: 3, stderr: expect.stringMatching(/^invalid: .*not made by any of the given keys/) });
    const bytes = await readFile(plugin);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(plugin, bytes);
    expect((await cli(['verify', plugin, '--key', `${keys}.pub`])).code).toBe(3);
    expect(JSON.parse((await cli(['inspect', plugin, '--key', `${keys}.pub`, '--json'])).stdout)).toMatchObject({ signature: { status: 'invalid' } });
    expect((await cli(['verify', plugin, '--key', `${keys}.pub`, '--signature', signature, '--sha256', '00'])).stderr).toMatch(/sha256 is [0-9a-f]{64}, expected 00/);
  });
});

describe('types', () => {
  it('writes the declarations of a world', async () => {
    const out = join(WORK, 'types');
    const r = await cli(['types', root('examples/greeter/wit'), '-o', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ files: [join(out, 'greeter.d.ts')] });
    expect(await readFile(join(out, 'greeter.d.ts'), 'utf8')).toContain('export interface Greeter {');
    expect(await cli(['types', root('examples/greeter/wit'), '--world', 'nope', '-o', out])).toMatchObject({ code: 1, stderr: expect.stringMatching(/ERR_WIT_NOT_FOUND: world nope not found/) });
  });
});

describe('new', () => {
  it('makes a Node plugin that loads and answers at once', async () => {
    const dir = join(WORK, 'hello-node');
    expect((await cli(['new', dir, '--lang', 'node'])).code).toBe(0);
    const r = await cli(['call', '--command', `"${process.execPath}" ${join(dir, 'plugin.mjs')}`, 'api#greet', '"you"']);
    expect(r).toMatchObject({ code: 0, stdout: '"Hello, you!"\n' });
    expect(await cli(['new', dir, '--lang', 'node'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists and is not empty/) });
    expect(await cli(['new', join(WORK, 'x'), '--lang', 'cobol'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--lang must be one of/) });
  });

  it('makes a Node plugin with stubs for a given world, refused at call until written', async () => {
    const dir = join(WORK, 'greeter-node');
    expect((await cli(['new', dir, '--lang', 'node', '--wit', root('examples/greeter/wit')])).code).toBe(0);
    const r = await cli(['call', '--command', `"${process.execPath}" ${join(dir, 'plugin.mjs')}`, 'api#greet', '"you"']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/example:greeter\/api@0\.1\.0#greet is not implemented yet/);
  });

  it.skipIf(spawnSync('python3', ['--version']).status !== 0)('makes a Python plugin that loads and answers at once, and stubs for a given world', async () => {
    const dir = join(WORK, 'hello-py');
    const made = await cli(['new', dir, '--lang', 'python', '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ lang: 'python', files: ['wit/plugin.wit', 'plugin.py', '.gitignore'] });
    expect(await cli(['call', '--command', `python3 ${join(dir, 'plugin.py')}`, 'api#greet', '"py"'])).toMatchObject({ code: 0, stdout: '"Hello, py!"\n' });
    const stubs = join(WORK, 'greeter-py');
    expect((await cli(['new', stubs, '--lang', 'python', '--wit', root('examples/greeter/wit')])).code).toBe(0);
    const r = await cli(['call', '--command', `python3 ${join(stubs, 'plugin.py')}`, 'api#greet', '"you"']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/example:greeter\/api@0\.1\.0#greet is not implemented yet/);
  });

  it('makes an AssemblyScript plugin that builds and loads', async () => {
    const dir = join(WORK, 'hello-as');
    expect((await cli(['new', dir, '--lang', 'assemblyscript'])).code).toBe(0);
    const build = await cli(['build', dir, '--json']);
    expect(build.code).toBe(0);
    expect(await cli(['call', join(dir, 'build/hello-as.wasm'), 'api#greet', '"as"'])).toMatchObject({ code: 0, stdout: '"Hello, as!"\n' });
  }, 120_000);

  it('makes an AssemblyScript plugin with stubs for a given world: it builds, placeholders answer, the rest traps naming itself', async () => {
    const dir = join(WORK, 'greeter-as');
    const made = await cli(['new', dir, '--lang', 'assemblyscript', '--wit', root('examples/greeter/wit'), '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ lang: 'assemblyscript', world: 'example:greeter/greeter@0.1.0', files: ['plugin-actors.json', 'src/api.ts', '.gitignore'] });
    expect(await readFile(join(dir, 'wit/greeter.wit'), 'utf8')).toBe(await readFile(root('examples/greeter/wit/greeter.wit'), 'utf8'));
    const source = await readFile(join(dir, 'src/api.ts'), 'utf8');
    expect(source).toContain('/** Returns "Hello, <name>!". */\nexport function greet(name: string): string {');
    expect(source).toContain('export function greetWith(name: string, delivery: Delivery): string {');
    expect(source).toContain('export function words(line: string): Result<Array<string>, string> {');
    expect(source).toMatch(/export class Counter \{\n[^]*constructor\(start: u32\)[^]*increment\(by: u32\): u32 \{/);
    expect((await cli(['build', dir])).code).toBe(0);
    const wasm = join(dir, 'build/greeter-as.wasm');
    expect(await cli(['call', wasm, 'api#greet', '"as"'])).toMatchObject({ code: 0, stdout: '""\n' });
    expect(JSON.parse((await cli(['call', wasm, 'api#get-stats'])).stdout)).toEqual({ calls: 0, characters: 0 });
    expect((await cli(['call', wasm, 'api#sum', '[1, 2]'])).stdout).toBe('0\n');
    const trapped = await cli(['call', wasm, 'api#words', '"a b"', '--json']);
    expect(trapped.code).toBe(1);
    expect(JSON.parse(trapped.stdout)).toMatchObject({ error: { code: 'ERR_TRAPPED' } });
    expect(trapped.stderr).toContain('example:greeter/api@0.1.0#words is not implemented yet');

    // The resource stub works: it is made, and its methods answer with placeholders.
    const { ActorSystem } = await import('../../host/actor-system.js');
    const system = new ActorSystem();
    try {
      const node = await system.load({ name: 'greeter-as', wasm });
      const api = node.exports('example:greeter/api') as unknown as { Counter: { create(start: number): Promise<{ increment(by: number): Promise<number> }> } };
      const counter = await api.Counter.create(5);
      expect(await counter.increment(1)).toBe(0);
    } finally {
      await system.close();
    }

    // The world's imports are ready: the import the stub file shows compiles and calls the host.
    await writeFile(join(dir, 'src/api.ts'), source
      .replace(/\/\/ {3}(import \* as log from "[^"]+";).*/, '$1')
      .replace('return ""; // TODO: write example:greeter/api@0.1.0#greet;', 'log.log(log.Level.Info, "greeting " + name); return "hi " + name; //'));
    expect((await cli(['build', dir])).code).toBe(0);
    const greeted = await cli(['call', wasm, 'api#greet', '"you"']);
    expect(greeted).toMatchObject({ code: 0, stdout: '"hi you"\n' });
    expect(greeted.stderr).toContain('greeting you');
  }, 120_000);

  it('makes a Rust plugin with stubs for a given world: it builds, placeholders answer, the rest traps naming itself', async (ctx: TestContext) => {
    if (!(await findRustToolchain())) return ctx.skip('no Rust toolchain with the wasm32 target');
    const wit = join(WORK, 'notes.wit');
    await writeFile(wit, NOTES_WIT);
    const dir = join(WORK, 'notes-rs');
    expect(await cli(['new', dir, '--lang', 'rust', '--wit', wit])).toMatchObject({ code: 0, stdout: expect.stringContaining('world demo:notes/notebook@0.2.0') });
    const source = await readFile(join(dir, 'src/lib.rs'), 'utf8');
    expect(source).toContain('impl bindings::demo::notes::notes::Guest for Plugin {\n    type Book = Book;');
    expect(source).toContain('    /// The title of a note.\n    fn title_of(n: bindings::demo::notes::notes::Note) -> String {');
    expect(source).toContain('    fn split(line: String) -> Result<Vec<String>, String> {\n        unimplemented!("demo:notes/notes@0.2.0#split")');
    expect(source).toContain('impl bindings::demo::notes::notes::GuestBook for Book {');
    const build = await cli(['build', dir]);
    expect(build, build.stderr).toMatchObject({ code: 0 });
    const wasm = join(dir, 'build/notes-rs.wasm');
    expect(await cli(['call', wasm, 'notes#title-of', '{"title":"t","tags":[]}'])).toMatchObject({ code: 0, stdout: '""\n' });
    expect(JSON.parse((await cli(['call', wasm, 'notes#make', '"t"'])).stdout)).toEqual({ title: '', tags: [] });
    const trapped = await cli(['call', wasm, 'notes#split', '"a b"', '--json']);
    expect(trapped.code).toBe(1);
    expect(JSON.parse(trapped.stdout)).toMatchObject({ error: { code: 'ERR_TRAPPED' } });
    expect(trapped.stderr).toContain("not implemented: demo:notes/notes@0.2.0#split");
    // The world the project implements is the one given.
    expect((JSON.parse((await cli(['wit', wasm, '--json'])).stdout) as WitData).world.exports).toEqual(['demo:notes/notes@0.2.0']);
  }, 300_000);

  it('refuses, before writing anything, a world the chosen language cannot implement (Rust: world-level functions), which AssemblyScript implements', async () => {
    const wit = join(WORK, 'root-fn.wit');
    await writeFile(wit, 'package demo:flat;\n\nworld flat {\n  export hello: func(name: string) -> string;\n}\n');
    const dir = join(WORK, 'flat-rs');
    const r = await cli(['new', dir, '--lang', 'rust', '--wit', wit]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/ERR_UNSUPPORTED: --lang rust cannot implement world demo:flat\/flat: .*world-level functions/) });
    expect(await readFile(join(dir, 'src/lib.rs')).then(() => true, () => false)).toBe(false);
    expect(await cli(['new', dir, '--lang', 'rust', '--world', 'x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--world needs --wit/) });
    // AssemblyScript implements world-level functions in src/world.ts.
    const flat = join(WORK, 'flat-as');
    expect(JSON.parse((await cli(['new', flat, '--lang', 'assemblyscript', '--wit', wit, '--json'])).stdout)).toMatchObject({ files: ['plugin-actors.json', 'src/world.ts', '.gitignore'] });
    expect((await cli(['build', flat])).code).toBe(0);
    expect(await cli(['call', join(flat, 'build/flat-as.wasm'), 'hello', '"x"'])).toMatchObject({ code: 0, stdout: '""\n' });
  }, 120_000);

  it('makes a Rust plugin that builds and loads', async (ctx: TestContext) => {
    if (!(await findRustToolchain())) return ctx.skip('no Rust toolchain with the wasm32 target');
    const dir = join(WORK, 'hello-rs');
    expect((await cli(['new', dir, '--lang', 'rust'])).code).toBe(0);
    expect((await cli(['build', dir])).code).toBe(0);
    expect(await cli(['call', join(dir, 'build/hello-rs.wasm'), 'api#greet', '"rust"'])).toMatchObject({ code: 0, stdout: '"Hello, rust!"\n' });

    // Without `export!` the crate compiles to a module exporting nothing: the build says so.
    const lib = join(dir, 'src/lib.rs');
    await writeFile(lib, (await readFile(lib, 'utf8')).replace('bindings::export!(Plugin);', ''));
    const missing = await cli(['build', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ERR_BUILD_FAILED: step 3\/4 "cargo" failed: .*`bindings::export!\(…\)` is missing\. Add `bindings::export!\(Plugin\);` to src\/lib\.rs.*hello-rs:plugin\/api@0\.1\.0#greet/);
    expect(missing.stderr).not.toMatch(/failed to decode world/);
  }, 300_000);
});

// Interop corpus: a Rust std component (wasm32-wasi + the WASI preview1 adapter from jco),
// built from source by the tests, loaded with grants only. Skipped, with the reason, where
// no Rust toolchain with the wasm32-wasi standard library exists.
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ActorSystem, type PluginNode } from '../../host/index.js';
import type { WasiGrants } from '../../host/capabilities/wasi/grants.js';
import { recordingLogger } from '../helpers.js';
import { makeTree, type Tree } from '../support/fs-tree.js';
import { buildRustStd } from './support/rust-std.js';
import type { Built } from './support/build-cache.js';

interface Files {
  readText(path: string): Promise<string>;
  listDir(path: string): Promise<string[]>;
  writeText(path: string, contents: string): Promise<void>;
}
interface System {
  envVar(name: string): Promise<string | undefined>;
  args(): Promise<string[]>;
  wallClockSeconds(): Promise<bigint>;
  measureSleep(millis: number): Promise<bigint>;
  hashProbe(): Promise<bigint>;
  print(text: string): Promise<void>;
  eprint(text: string): Promise<void>;
  exit(code: number): Promise<void>;
  echo(text: string): Promise<string>;
}
interface Notebook { add(line: string): Promise<number>; lines(): Promise<string[]> }
interface Notes { Notebook: { create(path: string): Promise<Notebook> } }

let built: Built;
beforeAll(async () => {
  built = await buildRustStd();
}, 300_000);

const isolations = [['inline', {}], ['worker', { isolation: 'worker' as const }]] as const;

describe.each(isolations)('Rust std through the preview1 adapter (%s)', (_name, isolation) => {
  const systems: ActorSystem[] = [];
  let system: ActorSystem;
  let logger: ReturnType<typeof recordingLogger>;
  let tree: Tree;
  beforeAll(() => {
    tree = makeTree();
    symlinkSync('../../outside', join(tree.root, 'sub', 'up-and-out'));
  });
  afterAll(() => tree.remove());
  const load = async (ctx: TestContext, grants: WasiGrants): Promise<PluginNode> => {
    if (!built.ok) ctx.skip(built.skip);
    logger = recordingLogger();
    system = new ActorSystem({ logger });
    systems.push(system);
    return system.load({ name: 'rust-std', wasm: (built as { wasm: string }).wasm, grants, ...isolation });
  };
  afterEach(async () => {
    await Promise.all(systems.splice(0).map((s) => s.close()));
  });
  const preopens = () => ({ preopens: { '/data': { path: tree.root }, '/scratch': { path: join(tree.root, 'sub'), readOnly: false } } });

  it('reads a preopened file and lists a directory, non-ASCII names and contents included', async (ctx) => {
    const files = (await load(ctx, { fs: preopens() })).exports<Files>('interop:rust-std/files');
    expect(await files.readText('/data/hello.txt')).toBe('hello');
    expect(await files.readText('/data/grüße.txt')).toBe('äöü');
    expect(await files.readText('/data/link-inside')).toBe('inside');
    expect(await files.listDir('/data/sub')).toEqual(['deeper/', 'file.txt', 'link-up-out', 'up-and-out']);
    expect(await files.listDir('/data')).toContain('grüße.txt');
  });

  it('is refused outside its preopens: `..`, absolute paths, links out', async (ctx) => {
    const files = (await load(ctx, { fs: preopens() })).exports<Files>('interop:rust-std/files');
    const refused = (path: string) => files.readText(path).then(() => 'read', (e: { payload?: string }) => e.payload);
    expect(await refused('/data/../outside/secret.txt')).toMatch(/Operation not permitted/);
    expect(await refused(join(tree.outside, 'secret.txt'))).toMatch(/pre-opened/);
    expect(await refused('/data/link-out-rel')).toMatch(/Operation not permitted/);
    expect(await refused('/data/link-out-abs')).toMatch(/Operation not permitted/);
    expect(await refused('/data/sub/up-and-out/secret.txt')).toMatch(/Operation not permitted/);
    expect(await refused('/data/sub/link-up-out')).toMatch(/Operation not permitted/);
  });

  it('writes only where the preopen is writable', async (ctx) => {
    const files = (await load(ctx, { fs: preopens() })).exports<Files>('interop:rust-std/files');
    await files.writeText('/scratch/written-ünï.txt', 'by rust ✓');
    expect(readFileSync(join(tree.root, 'sub', 'written-ünï.txt'), 'utf8')).toBe('by rust ✓');
    await expect(files.writeText('/data/new.txt', 'no')).rejects.toMatchObject({ payload: expect.stringMatching(/Operation not permitted/) });
  });

  it('sees no directory at all without the fs grant', async (ctx) => {
    const files = (await load(ctx, {})).exports<Files>('interop:rust-std/files');
    await expect(files.readText('/data/hello.txt')).rejects.toMatchObject({ payload: expect.stringMatching(/pre-opened/) });
  });

  it('sees exactly the granted environment and arguments, non-ASCII values included', async (ctx) => {
    process.env.PLUGIN_ACTORS_SECRET = 'host only';
    const api = (await load(ctx, { env: { GREETING: 'grüße, 日本 🦀' }, args: ['probe', '--flag'] })).exports<System>('interop:rust-std/system');
    expect(await api.envVar('GREETING')).toBe('grüße, 日本 🦀');
    expect(await api.envVar('PLUGIN_ACTORS_SECRET')).toBeUndefined();
    expect(await api.args()).toEqual(['probe', '--flag']);
  });

  it('round-trips non-ASCII strings', async (ctx) => {
    const api = (await load(ctx, {})).exports<System>('interop:rust-std/system');
    expect(await api.echo('héllo 🦀 日本')).toBe('héllo 🦀 日本|10|本日 🦀 olléh');
  });

  it('reads the clocks when granted; without, time stands still', async (ctx) => {
    const before = BigInt(Math.floor(Date.now() / 1000));
    const granted = (await load(ctx, { clocks: true })).exports<System>('interop:rust-std/system');
    const seconds = await granted.wallClockSeconds();
    expect(seconds >= before && seconds <= BigInt(Math.ceil(Date.now() / 1000))).toBe(true);
    expect(await granted.measureSleep(2)).toBeGreaterThanOrEqual(2_000_000n);
    await system.close();
    const denied = (await load(ctx, {})).exports<System>('interop:rust-std/system');
    expect(await denied.wallClockSeconds()).toBe(0n);
    expect(await denied.measureSleep(50)).toBe(0n);
  });

  it('seeds std\'s hash maps from granted randomness; without, every instance gets the same seed', async (ctx) => {
    const probe = async (grants: WasiGrants) => {
      const value = await (await load(ctx, grants)).exports<System>('interop:rust-std/system').hashProbe();
      await system.close();
      return value;
    };
    expect(await probe({})).toBe(await probe({}));
    expect(await probe({ random: true })).not.toBe(await probe({ random: true }));
  });

  it('prints stdout and stderr lines into the host log when stdio is granted, and nowhere otherwise', async (ctx) => {
    const api = (await load(ctx, { stdio: true })).exports<System>('interop:rust-std/system');
    await api.print('to stdout: ü');
    await api.eprint('to stderr');
    const lines = () => logger.records.filter((r) => r.message.startsWith('to ')).map((r) => [r.level, r.message]);
    await expect.poll(lines).toEqual([['info', 'to stdout: ü'], ['warn', 'to stderr']]);
    expect(logger.records.filter((r) => r.fields?.stream).map((r) => r.fields!.stream)).toEqual(['stdout', 'stderr']);
    await system.close();
    const quiet = (await load(ctx, {})).exports<System>('interop:rust-std/system');
    await quiet.print('to nobody');
    await system.close();
    expect(logger.records.filter((r) => r.message.startsWith('to '))).toEqual([]);
  });

  it('exits with its exit status, ending only the plugin', async (ctx) => {
    // The adapter turns proc_exit(n ≠ 0) into exit(err), which WASI 0.2 reports as 1.
    const node = await load(ctx, {});
    await expect(node.exports<System>('interop:rust-std/system').exit(3)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    expect((await node.terminated).reason).toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    const again = await load(ctx, {});
    await expect(again.exports<System>('interop:rust-std/system').exit(0)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 0 });
  });

  it('keeps state in an exported resource that writes through std::fs', async (ctx) => {
    const notes = (await load(ctx, { fs: preopens() })).exports<Notes>('interop:rust-std/notes');
    const book = await notes.Notebook.create('/scratch/notebook.txt');
    expect(await book.add('first')).toBe(1);
    expect(await book.add('zweite Zeile ✓')).toBe(2);
    expect(await book.lines()).toEqual(['first', 'zweite Zeile ✓']);
    expect(readFileSync(join(tree.root, 'sub', 'notebook.txt'), 'utf8')).toBe('first\nzweite Zeile ✓\n');
  });
});

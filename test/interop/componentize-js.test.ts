// Interop corpus: a componentize-js component (engine, WASI use and import bindings all
// third-party), built from source by the tests, loaded with grants only.
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ActorSystem, type PluginNode } from '../../host/index.js';
import type { WasiGrants } from '../../host/capabilities/wasi/grants.js';
import { recordingLogger } from '../helpers.js';
import { makeTree, type Tree } from '../support/fs-tree.js';
import type { Built } from './support/build-cache.js';
import { buildComponentizeJs } from './support/componentize-js.js';

interface Probe {
  echo(text: string): Promise<string>;
  env(): Promise<[string, string][]>;
  readText(path: string): Promise<string>;
  listDir(path: string): Promise<string[]>;
  nowMillis(): Promise<bigint>;
  randomBytes(n: number): Promise<Uint8Array>;
  log(text: string): Promise<void>;
  quit(ok: boolean): Promise<void>;
  fetchStatus(url: string): Promise<number>;
}
interface Counter { increment(by: number): Promise<number>; describe(): Promise<string> }
interface Counters { Counter: { create(label: string): Promise<Counter> } }

let built: Built;
beforeAll(async () => {
  built = await buildComponentizeJs();
}, 600_000);

const isolations = [['inline', {}], ['worker', { isolation: 'worker' as const }]] as const;

describe.each(isolations)('a componentize-js component (%s)', (_name, isolation) => {
  const systems: ActorSystem[] = [];
  let logger: ReturnType<typeof recordingLogger>;
  let tree: Tree;
  beforeAll(() => {
    tree = makeTree();
  });
  afterAll(() => tree.remove());
  afterEach(async () => {
    await Promise.all(systems.splice(0).map((s) => s.close()));
  });
  const load = async (ctx: TestContext, grants: WasiGrants): Promise<PluginNode> => {
    if (!built.ok) ctx.skip(built.skip);
    logger = recordingLogger();
    const system = new ActorSystem({ logger });
    systems.push(system);
    return system.load({ name: 'js-probe', wasm: (built as { wasm: string }).wasm, grants, ...isolation });
  };
  const probe = async (ctx: TestContext, grants: WasiGrants = {}) => (await load(ctx, grants)).exports<Probe>('interop:js/probe');
  const fs = () => ({ preopens: { '/data': { path: tree.root } } });
  const refusal = (p: Promise<unknown>) => p.then(() => 'succeeded', (e: { code?: string; payload?: unknown }) => e.payload ?? e.code);

  it('loads with no grants at all', async (ctx) => {
    const api = await probe(ctx);
    expect(await api.echo('ok')).toBe('ok|2|ko');
  });

  it('reads a preopened file and lists a directory through wasi:filesystem', async (ctx) => {
    const api = await probe(ctx, { fs: fs() });
    expect(await api.readText('/data/hello.txt')).toBe('hello');
    expect(await api.readText('/data/grüße.txt')).toBe('äöü');
    expect(await api.readText('/data/link-dir-inside/file.txt')).toBe('inside');
    expect(await api.listDir('/data/sub')).toEqual(['deeper/', 'file.txt', 'link-up-out']);
  });

  it('is refused outside its preopen', async (ctx) => {
    const api = await probe(ctx, { fs: fs() });
    expect(await refusal(api.readText('/data/../outside/secret.txt'))).toBe('not-permitted');
    expect(await refusal(api.readText('/data/link-out-abs'))).toBe('not-permitted');
    expect(await refusal(api.readText('/data/link-dir-out/secret.txt'))).toBe('not-permitted');
    expect(await refusal(api.listDir('/data/link-dir-out'))).toBe('not-permitted');
  });

  it('sees no preopen without the fs grant', async (ctx) => {
    const api = await probe(ctx);
    expect(await refusal(api.readText('/data/hello.txt'))).toMatch(/no preopen holds/);
  });

  it('sees exactly the granted environment', async (ctx) => {
    process.env.PLUGIN_ACTORS_SECRET = 'host only';
    expect(await (await probe(ctx, { env: { LANG: 'de_DE.UTF-8', GRUSS: 'grüße 👋' } })).env()).toEqual([['LANG', 'de_DE.UTF-8'], ['GRUSS', 'grüße 👋']]);
    expect(await (await probe(ctx)).env()).toEqual([]);
  });

  it('round-trips non-ASCII strings', async (ctx) => {
    expect(await (await probe(ctx)).echo('héllo 🦀 日本')).toBe('héllo 🦀 日本|10|本日 🦀 olléh');
  });

  it('reads the wall clock when granted; without, Date.now() is the epoch', async (ctx) => {
    const before = BigInt(Date.now());
    const now = await (await probe(ctx, { clocks: true })).nowMillis();
    expect(now >= before && now <= BigInt(Date.now())).toBe(true);
    expect(await (await probe(ctx)).nowMillis()).toBe(0n);
  });

  it('gets random bytes when granted; without, zeros', async (ctx) => {
    expect((await (await probe(ctx, { random: true })).randomBytes(32)).some((b) => b !== 0)).toBe(true);
    expect(await (await probe(ctx)).randomBytes(32)).toEqual(new Uint8Array(32));
  });

  it('logs console output line by line when stdio is granted, and nowhere otherwise', async (ctx) => {
    const api = await probe(ctx, { stdio: true });
    await api.log('line one: ü');
    await api.log('line two');
    const lines = () => logger.records.filter((r) => r.message.startsWith('line ')).map((r) => [r.level, r.message]);
    await expect.poll(lines).toEqual([['info', 'line one: ü'], ['info', 'line two']]);
    expect(logger.records.filter((r) => r.fields?.stream === 'stdout')).toHaveLength(2);
    const quiet = await probe(ctx);
    await quiet.log('line unseen');
    await systems.at(-1)!.close();
    expect(logger.records.filter((r) => r.message.startsWith('line '))).toEqual([]);
  });

  it('exits with its exit status, ending only the plugin', async (ctx) => {
    const failing = await load(ctx, {});
    await expect(failing.exports<Probe>('interop:js/probe').quit(false)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    expect((await failing.terminated).reason).toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    await expect((await probe(ctx)).quit(true)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 0 });
  });

  it('cannot reach the network: fetch fails, granted or not', async (ctx) => {
    const api = await probe(ctx, { env: {}, stdio: true, clocks: true, random: true });
    // The host answered HTTP-request-denied (a trap would have ended the plugin instead).
    expect(await refusal(api.fetchStatus('http://127.0.0.1:9/'))).toMatch(/fetch failed/);
    expect(await api.echo('still running')).toBe('still running|13|gninnur llits');
  });

  it('keeps state in an exported resource', async (ctx) => {
    const counters = (await load(ctx, {})).exports<Counters>('interop:js/counters');
    const a = await counters.Counter.create('zähler');
    const b = await counters.Counter.create('other');
    expect(await a.increment(2)).toBe(2);
    expect(await a.increment(3)).toBe(5);
    expect(await b.increment(1)).toBe(1);
    expect(await a.describe()).toBe('zähler: 5');
  });
});

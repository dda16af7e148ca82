// Limits: each breach ends in a typed error for that plugin alone — a refused memory.grow
// (and ERR_MEMORY_LIMIT for a memory that cannot even start), ERR_LIMIT for too many live
// actors (a termination the restart policy handles) or too many pending calls (a refusal),
// ERR_TIMEOUT from a default deadline — and the host keeps serving its other plugins.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode } from '../../host/index.js';
import { faultsSpecs, greeterSpecs, recordingLogger, root, hostRejection } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

const MiB = 1 << 20;
const PAGE = 65_536;
interface Hog { grow(pages: number): Promise<number>; pages(): Promise<number>; bomb(): Promise<number>; recurse(n: number): Promise<number>; huge(len: number): Promise<string>; then_(): Promise<number> }
let hog: Uint8Array;
beforeAll(async () => { hog = await componentFromWat(root('test/fixtures/security/hog.wat'), root('test/fixtures/security/hog.wit'), 'hog'); });

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

async function stillServing(s: ActorSystem): Promise<void> {
  const other = await s.load({ name: `other-${Math.random().toString(36).slice(2, 8)}`, ...greeterSpecs.wasm });
  expect(await other.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('up')).toMatch(/up/);
}

describe.each(['inline', 'worker'] as const)('memoryBytes for a %s wasm plugin', (isolation) => {
  it('refuses memory.grow past the limit (it returns -1) and reports memoryBytes', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'hog', wasm: hog, isolation, limits: { memoryBytes: 4 * MiB } });
    const api = node.exports<Hog>();
    expect(node.memoryBytes).toBe(PAGE);
    expect(await api.grow(63)).toBe(1);
    expect(await api.pages()).toBe(64);
    expect(node.memoryBytes).toBe(64 * PAGE);
    expect(await api.grow(1)).toBe(-1);
    expect(await api.pages()).toBe(64);
  });

  it('a memory bomb touching every page ends at the limit: its trap ends that plugin only', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'bomb', wasm: hog, isolation, limits: { memoryBytes: 16 * MiB } });
    expect(await hostRejection(node.exports<Hog>().bomb())).toMatchObject({ code: 'ERR_TRAPPED' });
    await stillServing(system);
  });

  it('the default limit (1 GiB) holds without any option', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'big', wasm: hog, isolation })).exports<Hog>();
    expect(await api.grow(16383)).toBe(1);
    expect(await api.grow(1)).toBe(-1);
  });

  it('a limit below one page is an option error; a one-page limit runs a one-page memory', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'tight', wasm: hog, isolation, limits: { memoryBytes: PAGE } })).exports<Hog>();
    expect(await api.grow(1)).toBe(-1);
    expect(await hostRejection(system.load({ name: 'tiny', wasm: hog, isolation, limits: { memoryBytes: 100 } }))).toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });

  it('deep recursion traps that plugin, and a huge result is bounded by its memory', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'deep', wasm: hog, isolation })).exports<Hog>();
    expect(await api.recurse(10)).toBe(10);
    expect(await hostRejection(api.recurse(10_000_000))).toMatchObject({ code: 'ERR_TRAPPED' });
    const huge = (await system.load({ name: 'huge', wasm: hog, isolation, limits: { memoryBytes: PAGE } })).exports<Hog>();
    expect(await huge.huge(1000)).toHaveLength(1000);
    expect(await hostRejection(huge.huge(PAGE))).toMatchObject({ code: 'ERR_TRAPPED' });
    expect(await (await system.load({ name: 'then', wasm: hog, isolation })).exports<Hog>().then_()).toBe(42);
    await stillServing(system);
  });
});

describe('an initial memory above the limit', () => {
  it.each(['inline', 'worker'] as const)('is ERR_MEMORY_LIMIT at load (%s)', async (isolation) => {
    system = new ActorSystem({ logger: recordingLogger() });
    const dir = await mkdtemp(join(tmpdir(), 'hog-'));
    const wat = join(dir, 'big.wat');
    await writeFile(wat, (await readFile(root('test/fixtures/security/hog.wat'), 'utf8')).replace('(memory (export "memory") 1)', '(memory (export "memory") 8)'));
    const big = await componentFromWat(wat, root('test/fixtures/security/hog.wit'), 'hog');
    await rm(dir, { recursive: true, force: true });
    expect(await hostRejection(system.load({ name: 'g', wasm: big, isolation, limits: { memoryBytes: 4 * PAGE } })))
      .toMatchObject({ code: 'ERR_MEMORY_LIMIT', message: expect.stringMatching(/starts at 524288 bytes, more than its limit of 262144/) });
    await stillServing(system);
  });
});

describe('per-node limits', () => {
  const names = { name: 'names', command: [process.execPath, root('test/fixtures/security/then-names.mjs')] };
  interface Maker { make(): Promise<object> }

  it('one live actor too many ends the plugin with ERR_LIMIT, and the restart policy restarts it', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node: PluginNode = await system.load({ ...names, limits: { maxActors: 3 }, restart: { policy: 'permanent', backoff: { initialMs: 1, maxMs: 1 } } });
    const api = node.exports<Maker>('test:names/api');
    const made = [await api.make(), await api.make()];
    await system.stop(made[0]);
    made.push(await api.make(), await api.make());
    const ended = new Promise((resolve) => system!.once('terminated', resolve));
    expect(await hostRejection(api.make())).toMatchObject({ code: 'ERR_LIMIT', message: expect.stringMatching(/limit of 3 live resource actors/) });
    expect(await ended).toMatchObject({ reason: { code: 'ERR_LIMIT' } });
    // Restarted by its policy: the root proxy follows the new incarnation.
    await expect.poll(() => api.make().then(() => true, () => false), { timeout: 10_000 }).toBe(true);
  });

  it('refuses calls beyond maxPendingCalls with ERR_LIMIT, without ending the plugin', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'slow', ...faultsSpecs.process, limits: { maxPendingCalls: 2 } }))
      .exports<{ sleep(ms: number): Promise<number>; echo(s: string): Promise<string> }>();
    const first = [api.sleep(200), api.sleep(200)];
    expect(await hostRejection(api.echo('third'))).toMatchObject({ code: 'ERR_LIMIT' });
    expect(await Promise.all(first)).toEqual([200, 200]);
    expect(await api.echo('after')).toBe('after');
  });

  it('gives calls without a deadline the plugin\'s timeoutMs, else the system\'s defaultTimeoutMs', async () => {
    system = new ActorSystem({ logger: recordingLogger(), defaultTimeoutMs: 100 });
    type Slow = { sleep(ms: number, o?: object): Promise<number> };
    const bySystem = (await system.load({ name: 'a', ...faultsSpecs.process })).exports<Slow>();
    expect(await hostRejection(bySystem.sleep(2000))).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await bySystem.sleep(300, { timeoutMs: 5000 })).toBe(300);
    const byPlugin = (await system.load({ name: 'b', ...faultsSpecs.process, timeoutMs: 5000 })).exports<Slow>();
    expect(await byPlugin.sleep(300)).toBe(300);
    expect(() => new ActorSystem({ defaultTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it('validates limits', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    for (const limits of [{ maxActors: 0 }, { memoryBytes: 1.5 }, { cpuSeconds: 1 } /* process only */, { nope: 1 }, 'x']) {
      expect(await hostRejection(system.load({ name: 'v', wasm: hog, limits } as never))).toMatchObject({ code: 'ERR_INVALID_OPTION' });
    }
  });
});

describe.runIf(process.platform === 'linux')('OS limits of a process plugin (prlimit)', () => {
  it('a plugin spinning past cpuSeconds is killed by the kernel: a typed exit, and the host keeps serving', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'cpu', ...faultsSpecs.process, limits: { cpuSeconds: 1 } });
    const spinning = node.exports<{ spin(): Promise<void> }>().spin();
    expect(await hostRejection(spinning)).toMatchObject({ code: 'ERR_PLUGIN_EXITED' });
    expect(await node.terminated).toMatchObject({ reason: { code: 'ERR_PLUGIN_EXITED', signal: expect.stringMatching(/SIGXCPU|SIGKILL/) } });
    await stillServing(system);
  });
});

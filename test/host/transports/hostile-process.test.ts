// Process plugins that attack the host through the protocol: malformed calls, floods,
// stalled frames, forged handles, ignored drops. Each ends in a typed outcome for that
// plugin alone; the host stays up, memory stays bounded, and other plugins keep working.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode, type Remote } from '../../../host/index.js';
import { faultsSpecs, recordingLogger, root } from '../../helpers.js';

const run = promisify(execFile);
const hostile = root('test/fixtures/process/hostile.mjs');
/** The host's side of the hostile world: `wait` never answers. */
const imports = { 'test:hostile/host-fns': { wait: () => new Promise<number>(() => {}) } };

interface Api { ping(): number; Thing: { create(): Promise<Thing> } }
interface Thing { get(): number; [Symbol.asyncDispose](): Promise<void> }

let system: ActorSystem;
afterEach(() => system?.close());

async function load(mode: string, extra: Record<string, unknown> = {}, count = 0): Promise<PluginNode> {
  return system.load({ name: `hostile-${mode}`, command: [process.execPath, hostile, mode, String(count)], imports, ...extra });
}

async function stillServing(): Promise<void> {
  const other = await system.load({ name: `other-${Math.random().toString(36).slice(2, 8)}`, ...faultsSpecs.process });
  expect(await other.exports<{ echo(s: string): string }>().echo('still up')).toBe('still up');
}

describe('a hostile process plugin', () => {
  it.each(['bad-utf8', 'bad-enum', 'trailing-byte'])('sending a malformed call (%s) ends that plugin with ERR_PROTOCOL, nothing else', async (mode) => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await load(mode);
    expect(await node.terminated).toMatchObject({ cause: 'protocol-error', reason: { code: 'ERR_PROTOCOL' } });
    await stillServing();
  });

  it('gets ERR_BUSY for calls beyond the in-flight cap', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    await load('busy-count', { maxIncomingCalls: 5 }, 15);
    await expect.poll(() => logger.records.find((r) => r.message.startsWith('busy'))?.message, { timeout: 10_000 }).toBe('busy 10');
  });

  it('cannot hold a frame open by trickling its bytes: the frame deadline counts from its first byte', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await load('trickle', { frameTimeoutMs: 500 });
    expect(await node.terminated).toMatchObject({ reason: { code: 'ERR_PROTOCOL', message: expect.stringMatching(/not complete within 500 ms of its first byte/) } });
  });

  it.each([['handle-twice', /handed out thing handle 1 again/], ['handle-zero', /handle 0, which is never issued/]])('handing out a forged handle (%s) is a protocol error', async (mode, message) => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await load(mode);
    const api = node.exports<Api>() as Remote<Api>;
    const first = await api.Thing.create().catch((e: unknown) => e);
    const second = await api.Thing.create().catch((e: unknown) => e);
    // With handle 0 the first answer is already forged; with a repeated 1, the second.
    expect([first, second]).toContainEqual(expect.objectContaining({ code: 'ERR_PROTOCOL' }));
    expect(await node.terminated).toMatchObject({ reason: { code: 'ERR_PROTOCOL', message: expect.stringMatching(message) } });
  });

  it('cannot make a drop hang: dispose settles after dropTimeoutMs and the actor ends', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await load('ignore-drop', { dropTimeoutMs: 200 });
    const thing = await node.exports<Api>().Thing.create();
    const ended = new Promise((resolve) => system.watch(thing, resolve));
    await expect(thing[Symbol.asyncDispose]()).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await ended).toMatchObject({ cause: 'stopped' });
    await expect(thing.get()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
  });
});

describe('host memory under hostile workloads', () => {
  const measure = async (workload: string, count: number) => {
    const { stdout } = await run(process.execPath, ['--expose-gc', root('test/fixtures/process/memory-host.mjs'), workload, String(count)], { timeout: 120_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { growthBytes: number; stillServing: boolean };
  };

  it('frees a call at its deadline: 20,000 timed-out calls leave no memory behind', async () => {
    const { growthBytes, stillServing } = await measure('timeouts', 20_000);
    expect(stillServing).toBe(true);
    // Each call held about 3 KB for the plugin's lifetime when timed-out calls stayed pending.
    expect(growthBytes).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('bounds what a plugin sending 1,000,000 calls without reading the answers can make the host hold', async () => {
    const { growthBytes, stillServing } = await measure('flood', 1_000_000);
    expect(stillServing).toBe(true);
    // The answers wait as bytes (about 9 MB here, reading pauses above 16 MiB), not as an object per frame.
    expect(growthBytes).toBeLessThan(48 * 1024 * 1024);
  }, 120_000);
});

describe('stopping a process plugin', () => {
  it('drains: a call in flight when stop() is called completes, and the plugin exits cleanly', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'draining', ...faultsSpecs.process });
    const call = node.exports<{ sleep(ms: number): number }>().sleep(300);
    await new Promise((r) => setTimeout(r, 20));
    await node.stop();
    expect(await call).toBe(300);
    expect(await node.terminated).toMatchObject({ cause: 'stopped' });
    expect((await node.terminated).reason).toBeUndefined();
  });
});

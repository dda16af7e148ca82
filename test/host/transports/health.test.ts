// Health pings (the protocol's `ping@1` feature): a plugin whose event loop is stuck is
// ended as unresponsive, and its restart policy applies; one busy in a long call that
// still answers pings is healthy; plugins that do not speak the feature are never pinged.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { faultsSpecs, recordingLogger, root } from '../../helpers.js';

interface Faults { sleep(ms: number): Promise<number>; spin(): Promise<void>; echo(s: string): Promise<string>; askHost(ms: number): Promise<number> }

const health = { intervalMs: 50, timeoutMs: 400 };
let system: ActorSystem;
afterEach(() => system?.close());

describe('health pings', () => {
  it('end a process plugin whose event loop is stuck, as unresponsive; it restarts per its policy', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'stuck', ...faultsSpecs.process, health, restart: { policy: 'transient', backoff: { initialMs: 1 } } });
    const api = node.exports<Faults>();
    const restarted = new Promise((resolve) => system.once('restarted', resolve));
    const terminated = new Promise((resolve) => system.once('terminated', resolve));
    await expect(api.spin()).rejects.toMatchObject({ code: 'ERR_UNRESPONSIVE' });
    expect(await terminated).toMatchObject({ cause: 'unresponsive', incarnation: 1 });
    await restarted;
    expect(await api.echo('back')).toBe('back');
  });

  it('keep a process plugin busy in a long asynchronous call healthy', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'busy', ...faultsSpecs.process, health });
    expect(await node.exports<Faults>().sleep(1200)).toBe(1200);
    expect(node.running).toBe(true);
  });

  it('never ping a plugin that does not speak the feature', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'raw', command: [process.execPath, root('test/fixtures/process/hostile.mjs'), 'normal'], imports: { 'test:hostile/host-fns': { wait: (ms: number) => ms } }, health });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await node.exports<{ ping(): Promise<number> }>().ping()).toBe(7);
  });

  it('keep a worker healthy while it waits on a slow host import, and while idle', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const imports = { 'test:faults/slow-host': { wait: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)) } };
    const node = await system.load({ name: 'worker', ...faultsSpecs.worker, imports, health });
    expect(await node.exports<Faults>().askHost(1200)).toBe(1200);
    await new Promise((r) => setTimeout(r, 800));
    expect(await node.exports<Faults>().echo('idle and alive')).toBe('idle and alive');
  });
});

// Misbehaving plugins: traps, exits mid-call, lies in the handshake, garbage on the channel.
// Every pending call settles exactly once with a typed error; the host keeps running.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError, type PluginHostError } from '../../../host/index.js';
import { eventually, faultsSpecs, greeterSpecs, recordingLogger, root } from '../../helpers.js';

interface Faults {
  echo(s: string): string;
  calls(): number;
  trap(): void;
  failAssert(message: string): void;
  exit(code: number): void;
  sleep(ms: number): number;
  print(line: string): string;
}

let system: ActorSystem;
afterEach(() => system?.close());

function settledErrors(results: PromiseSettledResult<unknown>[]): PluginHostError[] {
  return results.map((r) => {
    expect(r.status).toBe('rejected');
    return (r as PromiseRejectedResult).reason as PluginHostError;
  });
}

describe('wasm plugin faults', () => {
  it('a trap rejects the call and every later call with ERR_TRAPPED, and terminates the node', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'faults', ...faultsSpecs.wasm });
    const api = node.exports<Faults>();
    expect(await api.echo('ok')).toBe('ok');
    const results = await Promise.allSettled([api.trap(), api.echo('a'), api.echo('b')]);
    for (const e of settledErrors(results)) expect(isPluginHostError(e, 'ERR_TRAPPED'), String(e)).toBe(true);
    const termination = await node.terminated;
    expect(termination.reason?.code).toBe('ERR_TRAPPED');
    expect(termination.reason?.message).toMatch(/unreachable/);
    await expect(api.echo('later')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
  });

  it('a failed assertion is logged to the host under the plugin name, then traps', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const node = await system.load({ name: 'asserting', ...faultsSpecs.wasm });
    await expect(node.exports<Faults>().failAssert('invariant broken')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
    expect(logger.records).toContainEqual(expect.objectContaining({
      level: 'error', message: expect.stringMatching(/abort: invariant broken at .*api\.ts/), fields: { plugin: 'asserting' },
    }));
  });

  it('one trapped plugin does not affect another instance of the same component', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const a = await system.load({ name: 'a', ...faultsSpecs.wasm });
    const b = await system.load({ name: 'b', ...faultsSpecs.wasm });
    await expect(a.exports<Faults>().trap()).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
    expect(await b.exports<Faults>().echo('still here')).toBe('still here');
  });

  it('rejects a corrupt or non-component .wasm with ERR_COMPONENT_INVALID', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'junk', wasm: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID' });
    const core = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    await expect(system.load({ name: 'core', wasm: core })).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID', message: expect.stringMatching(/core WebAssembly module, not a component/) });
    const { readFile } = await import('node:fs/promises');
    const good = await readFile(greeterSpecs.wasm.wasm);
    await expect(system.load({ name: 'truncated', wasm: good.subarray(0, good.length - 100) })).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID' });
    await expect(system.load({ name: 'missing', wasm: root('does-not-exist.wasm') })).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
  });
});

describe('Rust plugin faults', () => {
  it('a panic is logged to the host under the plugin name, then traps; the host stays up', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const node = await system.load({ name: 'panicking', ...faultsSpecs.rust });
    const api = node.exports<Faults>();
    expect(await api.echo('before')).toBe('before');
    await expect(api.failAssert('invariant broken')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
    expect(logger.records).toContainEqual(expect.objectContaining({
      level: 'error', message: expect.stringMatching(/^panic: .*invariant broken.*src\/lib\.rs/), fields: { plugin: 'panicking' },
    }));
    await expect(api.echo('after')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
    const again = await system.load({ name: 'panicking', ...faultsSpecs.rust });
    expect(await again.exports<Faults>().echo('fresh instance')).toBe('fresh instance');
  });

  it('an abort traps every pending and later call with ERR_TRAPPED', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'aborting', ...faultsSpecs.rust });
    const api = node.exports<Faults>();
    const results = await Promise.allSettled([api.trap(), api.echo('a')]);
    for (const e of settledErrors(results)) expect(isPluginHostError(e, 'ERR_TRAPPED'), String(e)).toBe(true);
    expect((await node.terminated).reason?.code).toBe('ERR_TRAPPED');
  });

  it('calls the host from inside an export, and is preempted in a worker when it spins', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'spinning', ...faultsSpecs.rust, isolation: 'worker' });
    const api = node.exports<Faults & { askHost(ms: number): number; spin(): void }>();
    expect(await api.askHost(42)).toBe(42);
    await expect(api.spin({ timeoutMs: 100 } as never)).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await node.terminated).toMatchObject({ cause: 'interrupted', reason: { code: 'ERR_NODE_INTERRUPTED' } });
  });
});

describe('process plugin faults', () => {
  it('an exit mid-call rejects every pending call once, with the exit code, and later calls at once', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'exiting', ...faultsSpecs.process });
    const api = node.exports<Faults>();
    expect(await api.echo('ok')).toBe('ok');
    let settled = 0;
    const slow = [api.sleep(5000), api.sleep(5000), api.sleep(5000)].map((p) => p.finally(() => { settled++; }));
    const results = await Promise.allSettled([api.exit(7), ...slow]);
    for (const e of settledErrors(results)) {
      expect(isPluginHostError(e, 'ERR_PLUGIN_EXITED'), String(e)).toBe(true);
      expect(e.exitCode).toBe(7);
    }
    expect(settled).toBe(3);
    await expect(api.echo('later')).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 7 });
    expect((await node.terminated).reason).toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 7 });
  });

  it('a killed plugin rejects pending calls with the signal', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'killed', ...faultsSpecs.process });
    const pending = node.exports<Faults>().sleep(10_000);
    const outcome = expect(pending).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', signal: 'SIGKILL', exitCode: null });
    await new Promise((r) => setTimeout(r, 50));
    node.kill('SIGKILL');
    await outcome;
  });

  it('keeps working when the plugin prints to stdout and stderr; the lines go to the logger', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const api = (await system.load({ name: 'printer', ...faultsSpecs.process })).exports<Faults>();
    for (let i = 0; i < 20; i++) expect(await api.print(`line ${i}`)).toBe(`line ${i}`);
    await eventually(() => logger.records.some((r) => r.message === 'line 19'));
    expect(logger.records).toContainEqual({ level: 'info', message: 'line 3', fields: { plugin: 'printer', stream: 'stdout' } });
    expect(logger.records).toContainEqual({ level: 'warn', message: 'stderr: line 3', fields: { plugin: 'printer', stream: 'stderr' } });
    expect(logger.records).toContainEqual(expect.objectContaining({ message: 'faults plugin ready' }));
  });

  it('a thrown error comes back as ERR_REMOTE with the plugin\'s error as data; the plugin keeps running', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'thrower', ...faultsSpecs.process })).exports<Faults>();
    const e = (await api.trap().catch((x: unknown) => x)) as PluginHostError;
    expect(e).toMatchObject({ code: 'ERR_REMOTE', remote: { name: 'Error', message: 'deliberate failure' } });
    expect(e.remote?.stack).toMatch(/faults\.mjs/);
    expect(await api.echo('alive')).toBe('alive');
  });

  it('cancels calls through AbortSignal and timeouts; late replies are ignored', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'slow', ...faultsSpecs.process })).exports<Faults>();
    const controller = new AbortController();
    const aborted = api.sleep(200, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(api.sleep(300, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await new Promise((r) => setTimeout(r, 350));
    expect(await api.echo('after late replies')).toBe('after late replies');
  });

  it('refuses a handshake that names another world', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'liar', command: [process.execPath, root('test/fixtures/process/other-world.mjs')], world: 'example:greeter/greeter' }))
      .rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH', message: expect.stringMatching(/implements world test:other\/other, but the host expects example:greeter\/greeter/) });
    expect(system.plugins.size).toBe(0);
  });

  it('refuses a plugin whose types differ from the host\'s WIT', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'drifted', ...faultsSpecs.process, wit: root('examples/greeter/wit'), world: 'example:greeter/greeter' }))
      .rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH' });
  });

  it.each([
    ['garbage', 'ERR_PROTOCOL', /expected HELLO first|unknown message kind/],
    ['huge-frame', 'ERR_PROTOCOL', /exceeds the limit/],
    ['exit-early', 'ERR_HANDSHAKE', /exited with code 3 before completing its handshake/],
    ['bad-version', 'ERR_HANDSHAKE', /speaks protocol version\(s\) 99/],
    ['stdout-only', 'ERR_HANDSHAKE', /did not complete its handshake/],
  ])('fails a plugin that sends %s with %s, and the host stays up', async (mode, code, message) => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    await expect(system.load({ name: `raw-${mode}`, command: [process.execPath, root('test/fixtures/process/raw.mjs'), mode], handshakeTimeoutMs: 1500 }))
      .rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    const ok = await system.load({ name: 'after', ...greeterSpecs.process });
    expect(await ok.exports<{ greet(n: string): string }>('example:greeter/api').greet('still up')).toBe('Hello, still up!');
  });

  it('fails a plugin that cannot be started with ERR_LOAD_FAILED', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'nothing', command: ['/does/not/exist'] })).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
  });

  it('stops gracefully: the child exits, pending calls reject with ERR_NODE_TERMINATED', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'stopped', ...faultsSpecs.process });
    const pending = node.exports<Faults>().sleep(10_000).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await node.stop();
    expect(await pending).toMatchObject({ code: 'ERR_NODE_TERMINATED' });
    expect((await node.terminated).reason).toBeUndefined();
  });
});

describe('worker plugin faults', () => {
  it('a trap rejects the call and later calls with ERR_TRAPPED, and ends the worker', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'worker-trap', ...faultsSpecs.worker });
    const api = node.exports<Faults>();
    expect(await api.echo('ok')).toBe('ok');
    const results = await Promise.allSettled([api.trap(), api.echo('queued')]);
    for (const e of settledErrors(results)) expect(isPluginHostError(e, 'ERR_TRAPPED'), String(e)).toBe(true);
    expect((await node.terminated).reason?.code).toBe('ERR_TRAPPED');
    await expect(api.echo('later')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
  });

  it('preempts a call that overruns its deadline, while the host thread stays responsive', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'worker-spin', ...faultsSpecs.worker });
    const api = node.exports<Faults & { spin(): void }>();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 10);
    const spinning = api.spin({ timeoutMs: 300 });
    const queued = api.echo('behind the spin');
    await expect(spinning).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    // The call that overran gets ERR_TIMEOUT; the one queued behind it never ran: the node was interrupted.
    await expect(queued).rejects.toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
    expect(await node.terminated).toMatchObject({ cause: 'interrupted', reason: { code: 'ERR_NODE_INTERRUPTED' } });
  });

  it('lets the guest call an async host function (it blocks while the host awaits)', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const imports = { 'test:faults/slow-host': { wait: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms * 2), ms)) } };
    const api = (await system.load({ name: 'worker-async', ...faultsSpecs.worker, imports })).exports<Faults & { askHost(ms: number): number }>();
    expect(await api.askHost(30)).toBe(60);
    expect(await api.echo('after')).toBe('after');
    const inline = (await system.load({ name: 'inline-async', ...faultsSpecs.wasm, imports })).exports<Faults & { askHost(ms: number): number }>();
    await expect(inline.askHost(1)).rejects.toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/returned a Promise/) });
  });

  it('a host import that throws traps the guest', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const imports = { 'test:faults/slow-host': { wait: () => { throw new Error('host broke'); } } };
    const api = (await system.load({ name: 'worker-host-throws', ...faultsSpecs.worker, imports })).exports<Faults & { askHost(ms: number): number }>();
    await expect(api.askHost(1)).rejects.toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/host broke/) });
  });
});

// Inline guests that overrun their deadline are interrupted in the host's thread (fuel
// checks, host/component/fuel.ts): the call rejects with ERR_TIMEOUT (ERR_ABORTED for an
// aborted signal), the plugin ends with ERR_NODE_INTERRUPTED, the restart policy brings it
// back, and the host serves its other plugins. Without the fuel checks every test here would
// hang the test worker, so none of them asserts on time.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, callOptions } from '../../host/index.js';
import { faultsSpecs, greeterSpecs, recordingLogger, root, hostRejection } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

interface Faults { echo(s: string, o?: object): Promise<string>; spin(o?: object): Promise<void>; calls(): Promise<number> }
interface Guest {
  spin(o?: object): Promise<number>;
  stubborn(o?: object): Promise<number>;
  swallow(o?: object): Promise<number>;
  fib(n: number, o?: object): Promise<number>;
  ticking(n: number, o?: object): Promise<number>;
  count(n: number, o?: object): Promise<number>;
}

let guest: Uint8Array;
beforeAll(async () => { guest = await componentFromWat(root('test/fixtures/security/interrupt.wat'), root('test/fixtures/security/interrupt.wit'), 'interrupt'); });

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

async function stillServing(s: ActorSystem): Promise<void> {
  const other = await s.load({ name: `other-${Math.random().toString(36).slice(2, 8)}`, ...greeterSpecs.wasm });
  expect(await other.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('up')).toMatch(/up/);
}

function load(name: string, extra: Record<string, unknown> = {}) {
  system ??= new ActorSystem({ logger: recordingLogger() });
  return system.load({ name, wasm: guest, imports: { tick: () => 1 }, ...extra } as never);
}

describe('an inline guest past its deadline', () => {
  for (const [language, spec] of [['AssemblyScript', faultsSpecs.wasm], ['Rust', faultsSpecs.rust]] as const) {
    it(`${language}: an endless loop ends with ERR_TIMEOUT, the plugin with ERR_NODE_INTERRUPTED; it restarts, and other plugins are served`, async () => {
      system = new ActorSystem({ logger: recordingLogger() });
      const node = await system.load({ name: 'spinner', ...spec, restart: { policy: 'permanent', backoff: { initialMs: 1, maxMs: 1 } } } as never);
      const api = node.exports<Faults>('test:faults/api');
      const ended = new Promise((resolve) => system!.once('terminated', resolve));
      const restarted = new Promise((resolve) => system!.once('restarted', resolve));
      expect(await hostRejection(api.spin({ timeoutMs: 30 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
      expect(await ended).toMatchObject({ cause: 'interrupted', reason: { code: 'ERR_NODE_INTERRUPTED', message: expect.stringMatching(/spin overran its deadline/) } });
      await stillServing(system);
      await restarted;
      expect(await api.echo('back')).toBe('back');
    });
  }

  it('the plugin\'s default deadline (spec timeoutMs) interrupts a call made without options', async () => {
    const api = (await load('default', { timeoutMs: 30 })).exports<Guest>();
    expect(await hostRejection(api.spin())).toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('the sync twin throws ERR_TIMEOUT at once', async () => {
    const api = (await load('twin')).exports<Guest>();
    const sync = system!.sync(api);
    let thrown: unknown;
    try { sync.spin(callOptions({ timeoutMs: 30 })); } catch (e) { thrown = e; }
    expect(thrown).toMatchObject({ code: 'ERR_TIMEOUT', plugin: 'twin', method: 'spin' });
    await stillServing(system!);
  });

  it('recursion without any loop is interrupted at function entries', async () => {
    const api = (await load('fib')).exports<Guest>();
    expect(await api.fib(20)).toBe(6765);
    expect(await hostRejection(api.fib(60, { timeoutMs: 30 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('a guest catch_all around the loop cannot swallow the interruption, looping again or returning', async () => {
    const stubborn = (await load('stubborn')).exports<Guest>();
    expect(await hostRejection(stubborn.stubborn({ timeoutMs: 30 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
    const node = await load('swallow');
    const ended = new Promise((resolve) => system!.once('terminated', resolve));
    expect(await hostRejection(node.exports<Guest>().swallow({ timeoutMs: 30 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await ended).toMatchObject({ node: 'swallow', cause: 'interrupted' });
    expect(await hostRejection(node.exports<Guest>().count(3))).toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
  });

  it('a deadline that passes in a host import is caught after it returns', async () => {
    let first = true;
    const busy = () => {
      // Busy, not sleeping: the thread stays in this call past the deadline.
      if (first) { first = false; const until = performance.now() + 40; while (performance.now() < until); }
      return 1;
    };
    const api = (await load('slow-import', { imports: { tick: busy } })).exports<Guest>();
    expect(await hostRejection(api.ticking(0, { timeoutMs: 10 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
    // Uninstrumented, the same call runs to its end (here: a bounded one).
    first = true;
    const plain = (await load('plain', { imports: { tick: busy }, interruptible: false })).exports<Guest>();
    expect(await plain.ticking(1000, { timeoutMs: 10 })).toBe(1000);
  });

  it('an abort from inside a host import stops the loop (ERR_ABORTED)', async () => {
    const controller = new AbortController();
    let ticks = 0;
    const api = (await load('abort', { imports: { tick: () => { if (++ticks === 1000) controller.abort(); return 1; } } })).exports<Guest>();
    expect(await hostRejection(api.ticking(0, { signal: controller.signal }))).toMatchObject({ code: 'ERR_ABORTED' });
    expect(ticks).toBeGreaterThanOrEqual(1000);
  });

  it('host-callback chains: the outer call\'s deadline also stops an inline plugin called from its host import', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const inner = (await system.load({ name: 'inner', ...faultsSpecs.wasm } as never)).exports<Faults>('test:faults/api');
    const syncInner = system.sync(inner) as unknown as { echo(s: string): string; spin(): void };
    let mode: 'echo' | 'spin' = 'echo';
    const tick = () => (mode === 'spin' ? (syncInner.spin(), 0) : syncInner.echo('x').length);
    const outer = (await load('outer', { imports: { tick } })).exports<Guest>();
    // Guest → host → guest works, many times over.
    expect(await outer.ticking(50)).toBe(50);
    const innerEnded = new Promise((resolve) => system!.once('terminated', resolve));
    mode = 'spin';
    expect(await hostRejection(outer.ticking(0, { timeoutMs: 30 }))).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await innerEnded).toMatchObject({ node: 'inner', cause: 'interrupted' });
    expect(await hostRejection(outer.count(1))).toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
    await stillServing(system);
  });

  it('calls within their deadline are unaffected, and interruptible: false is validated', async () => {
    const api = (await load('fine')).exports<Guest>();
    expect(await api.count(5_000_000, { timeoutMs: 60_000 })).toBe(await (await load('fine-plain', { interruptible: false })).exports<Guest>().count(5_000_000));
    await expect(load('bad', { interruptible: 'yes' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(load('bad', { interruptible: true, isolation: 'worker' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

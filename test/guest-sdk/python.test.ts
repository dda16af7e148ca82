// The Python guest SDK (guest-sdk/python) beyond the greeter contract: value kinds, errors,
// cancellation, health pings, shutdown drain, refusing an incomplete plugin, run by hand.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode } from '../../host/index.js';
import { eventually, recordingLogger, root } from '../helpers.js';

const python = spawnSync('python3', ['--version']).status === 0;
type Api = Record<string, (...args: never[]) => Promise<unknown>>;

describe.skipIf(!python)('the Python guest SDK', () => {
  const logger = recordingLogger();
  let system: ActorSystem;
  let node: PluginNode;
  let api: Api;
  beforeAll(async () => {
    system = new ActorSystem({ logger });
    node = await system.load({ name: 'kitchen', command: ['python3', root('test/fixtures/python/kitchen.py')], world: 'test:py/kitchen', health: { intervalMs: 50, timeoutMs: 1000 } });
    api = node.exports<Api>('test:py/api');
  });
  afterAll(() => system.close());

  it('round-trips flags, enums, records with kebab fields, tuples, chars, options, bytes and nested lists', async () => {
    const call = (fn: string, ...args: unknown[]) => (api[fn] as (...a: unknown[]) => Promise<unknown>)(...args);
    expect(await call('echoFlags', { read: true, write: false, exec: true })).toEqual({ read: true, write: false, exec: true });
    expect(await call('echoColor', 'blue-ish')).toBe('blue-ish');
    expect(await call('echoPoint', { xPos: -(2n ** 62n), yPos: 1.5 })).toEqual({ xPos: -(2n ** 63n), yPos: 1.5 });
    expect(await call('echoPair', ['🌍', 'x'])).toEqual(['🌍', 'x']);
    expect(await call('echoPair', ['a', undefined])).toEqual(['a', undefined]);
    expect(await call('echoBytes', new Uint8Array([1, 2, 3]))).toEqual(new Uint8Array([3, 2, 1]));
    expect(await call('echoNested', [new Int8Array([-1, 2]), undefined, new Int8Array([])])).toEqual([new Int8Array([-1, 2]), undefined, new Int8Array([])]);
  });

  it('reports a Python exception as ERR_REMOTE with its name and traceback, and a wrongly typed result as ERR_REMOTE', async () => {
    await expect(api.boom!()).rejects.toMatchObject({ code: 'ERR_REMOTE', message: expect.stringMatching(/kaboom/), remote: { name: 'ValueError', stack: expect.stringMatching(/Traceback/) } });
    await expect(api.wrong!()).rejects.toMatchObject({ code: 'ERR_REMOTE', message: expect.stringMatching(/does not match its WIT type/) });
    expect(node.running).toBe(true);
  });

  it('tells a running call it was cancelled, and calls queued behind it never run', async () => {
    const slow = api.slow as unknown as (ms: number, o?: object) => Promise<string>;
    const controller = new AbortController();
    const first = slow(60_000, { signal: controller.signal });
    const queued = slow(60_000, { timeoutMs: 1 });
    await expect(queued).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    // The cancelled call ended early (or the next call would wait a minute behind it).
    expect(await slow(1)).toBe('done');
  });

  it('answers health pings while idle and while a call runs', async () => {
    const slow = api.slow as unknown as (ms: number) => Promise<string>;
    const pid = await api.pid!();
    // Longer than the health timeout: only pongs sent while the call runs keep the plugin alive.
    expect(await slow(2500)).toBe('done');
    expect(node.running).toBe(true);
    expect(await api.pid!()).toBe(pid);
  });

  it('finishes a call in flight when stopped (SHUTDOWN), then exits', async () => {
    const other = await system.load({ name: 'kitchen-2', command: ['python3', root('test/fixtures/python/kitchen.py')], world: 'test:py/kitchen' });
    const slow = other.exports<Api>('test:py/api').slow as unknown as (ms: number) => Promise<string>;
    const running = slow(200);
    await new Promise((r) => setTimeout(r, 50));
    await other.stop({ timeoutMs: 5000 });
    expect(await running).toBe('done');
    expect(await other.terminated).toMatchObject({ cause: 'stopped' });
  });

  it('refuses to start a plugin that does not implement its world, naming each function', async () => {
    await expect(system.load({ name: 'incomplete', command: ['python3', root('test/fixtures/python/incomplete.py')], world: 'example:greeter/greeter' })).rejects.toMatchObject({ code: expect.stringMatching(/ERR_HANDSHAKE|ERR_PLUGIN_EXITED/) });
    await eventually(() => logger.records.some((r) => /does not implement .*example:greeter\/api@0.1.0#greet-with.*#words/.test(r.message)));
  });

  it('says so when run by hand', () => {
    const run = spawnSync('python3', [root('examples/greeter/python/plugin.py')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/started by its host application/);
  });
});

describe.skipIf(!python)('the Python guest SDK on worlds beyond named interfaces', () => {
  it('serves an inline interface, an included world (renamed) and world-level functions typed by use and by the world', async () => {
    const system = new ActorSystem({ logger: recordingLogger() });
    try {
      const node = await system.load({ name: 'shapes', command: ['python3', root('test/fixtures/python/world-shapes.py')], world: 'test:shapes/shapes' });
      const inline = node.exports<Api>('inline-api') as unknown as { flip(p: object): Promise<unknown> };
      expect(await inline.flip({ x: 1, y: 2 })).toEqual({ x: 2, y: 1 });
      const named = node.exports<Api>('test:shapes/named') as unknown as { hello(): Promise<string> };
      expect(await named.hello()).toBe('hello from an included world');
      const world = node.exports<Api>('') as unknown as { renamedFn(): Promise<number>; mirror(p: object): Promise<unknown>; widen(s: object): Promise<unknown> };
      expect(await world.renamedFn()).toBe(7);
      expect(await world.mirror({ x: 3, y: -4 })).toEqual({ x: -3, y: 4 });
      expect(await world.widen({ start: 1, len: 5 })).toEqual({ start: 1, len: 10 });
    } finally {
      await system.close();
    }
  });
});

describe.skipIf(!python)('the Python guest SDK with resources the host implements', () => {
  it('constructs them, calls their methods, drops them (the host sees each drop) and calls methods on borrowed ones', async () => {
    const disposed: number[] = [];
    class Counter {
      constructor(public n: number) {}
      add(k: number) { this.n += k; return this.n; }
      currentValue() { return this.n; }
      [Symbol.dispose]() { disposed.push(this.n); }
    }
    const system = new ActorSystem({ logger: recordingLogger() });
    try {
      const node = await system.load({
        name: 'hostres', command: ['python3', root('test/fixtures/python/host-resources.py')], world: 'test:hostres/hostres',
        imports: { 'test:hostres/store': { Counter, openCounter: (start: number) => new Counter(start) } },
      });
      const api = node.exports<Api>('test:hostres/api') as unknown as { countWith(n: number): Promise<number>; addTo(c: Counter, n: number): Promise<number> };
      expect(await api.countWith(5)).toBe(107);
      expect(disposed).toEqual([7, 100]);
      const mine = new Counter(1);
      expect(await api.addTo(mine, 3)).toBe(4);
      expect(mine.n).toBe(4);
    } finally {
      await system.close();
    }
  });
});

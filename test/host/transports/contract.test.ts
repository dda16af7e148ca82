// One contract, both transports: the greeter world behaves identically as a wasm component
// and as a Node subprocess, through the same actor API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ActorSystem, actorIdOf, isPluginHostError, type PluginNode, type Remote } from '../../../host/index.js';
import type { Counter, GreeterApi } from '../../../examples/greeter/api.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; payload?: unknown }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe.each(['wasm', 'rust', 'worker', 'process', 'python'] as const)('greeter over the %s transport', (transport) => {
  const logger = recordingLogger();
  let system: ActorSystem;
  let node: PluginNode;
  let api: Remote<GreeterApi>;

  beforeAll(async () => {
    system = new ActorSystem({ logger });
    node = await system.load({ name: `greeter-${transport}`, ...greeterSpecs[transport] });
    api = node.exports<GreeterApi>('example:greeter/api');
  });
  afterAll(() => system.close());

  it('round-trips strings, including non-ASCII and empty ones', async () => {
    expect(await api.greet('world')).toBe('Hello, world!');
    expect(await api.greet('wörld ☃ 🌍')).toBe('Hello, wörld ☃ 🌍!');
    expect(await api.greet('')).toBe('Hello, !');
  });

  it('round-trips variants, tuples and u8 payloads', async () => {
    expect(await api.greetWith('a', { tag: 'plain' })).toBe('Hello, a!');
    expect(await api.greetWith('a', { tag: 'repeat', val: 2 })).toBe('Hello, a! Hello, a!');
    expect(await api.greetWith('a', { tag: 'repeat', val: 0 })).toBe('');
    expect(await api.greetWith('a', { tag: 'wrapped', val: ['[', ']'] })).toBe('[Hello, a!]');
  });

  it('passes list<u32> as a typed array or an array and returns u64 as bigint', async () => {
    expect(await api.sum(new Uint32Array([1, 2, 3, 4_294_967_295]))).toBe(4_294_967_301n);
    expect(await api.sum([7, 8])).toBe(15n);
    expect(await api.sum([])).toBe(0n);
  });

  it('returns results: ok as the value, err as ERR_RESULT with the payload', async () => {
    expect(await api.words('a  bc d')).toEqual(['a', 'bc', 'd']);
    const e = await rejection(api.words(''));
    expect(isPluginHostError(e, 'ERR_RESULT')).toBe(true);
    expect(e.payload).toBe('the line is empty');
  });

  it('returns records with u32 and u64 fields', async () => {
    const stats = await api.getStats();
    expect(stats).toEqual({ calls: expect.any(Number), characters: expect.any(BigInt) });
    expect(stats.calls).toBeGreaterThan(0);
  });

  it('spawns, calls and stops resource actors', async () => {
    const a = await api.Counter.create(5);
    const b = await api.Counter.create(100);
    expect(await a.increment(2)).toBe(7);
    expect(await b.increment(1)).toBe(101);
    expect(await a.get()).toBe(7);
    const ended = new Promise((resolve) => system.watch(a, resolve));
    await a[Symbol.asyncDispose]();
    expect(await ended).toMatchObject({ cause: 'stopped' });
    const e = await rejection(a.get());
    expect(isPluginHostError(e, 'ERR_ACTOR_STOPPED')).toBe(true);
    expect(await b.get()).toBe(101);
    await system.stop(b);
  });

  it('gives resource actors of one type shared methods, which refuse a detached `this`', async () => {
    const a = await api.Counter.create(1);
    const b = await api.Counter.create(2);
    // Shared, not per actor: a hundred thousand actors must not mean a hundred thousand closures.
    expect(a.increment).toBe(b.increment);
    expect(inspect(a)).toBe(`[actor ${String(actorIdOf(a))} counter]`);
    const detached = a.increment;
    await expect(detached(1)).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT', message: expect.stringMatching(/must be called on a counter actor/) });
    expect(await a.increment.call(b, 1)).toBe(3);
    await a[Symbol.asyncDispose]();
    await b[Symbol.asyncDispose]();
  });

  it('rejects wrong argument types with ERR_BAD_ARGUMENT before the plugin sees the call', async () => {
    const before = (await api.getStats()).calls;
    for (const call of [
      () => api.greet(42 as never),
      () => api.greetWith('a', { tag: 'shout' } as never),
      () => api.greetWith('a', { tag: 'repeat', val: 256 }),
      () => api.sum([1, -1]),
      () => api.sum(['x'] as never),
      () => (api.greet as (...a: unknown[]) => Promise<string>)('a', 'b'),
    ]) {
      const e = await rejection(call());
      expect(isPluginHostError(e, 'ERR_BAD_ARGUMENT'), String(e)).toBe(true);
    }
    // getStats itself counts as a call only in plugins that count it: compare counted calls.
    expect((await api.getStats()).calls).toBe(before);
  });

  it('reports unknown functions and ids with typed errors', async () => {
    expect(isPluginHostError(await rejection(system.remoteCall(node.id, 'nope', [])), 'ERR_UNKNOWN_FUNCTION')).toBe(true);
    expect(() => system.resolve(`${node.name}@${node.incarnation}/999`)).toThrowError(expect.objectContaining({ code: 'ERR_ACTOR_NOT_FOUND' }));
    expect(() => system.resolve('not an id')).toThrowError(expect.objectContaining({ code: 'ERR_ACTOR_ID_INVALID' }));
  });

  it('routes remoteCall by actor id', async () => {
    expect(await system.remoteCall(node.id, 'greet', ['id'])).toBe('Hello, id!');
    const counter = await api.Counter.create(1);
    const { actorIdOf } = await import('../../../host/index.js');
    const id = actorIdOf(counter)!;
    expect(String(id)).toMatch(new RegExp(`^${node.name}@1/\\d+$`));
    expect(await system.remoteCall(String(id), 'increment', [4])).toBe(5);
    expect(await system.resolve<Counter>(id).get()).toBe(5);
    await system.stop(counter);
  });

  it('finds plugins by interface', () => {
    expect(system.find('example:greeter/api')).toHaveLength(1);
    expect(system.find('example:greeter/nope')).toHaveLength(0);
  });

  it('checks call options', async () => {
    const e = await rejection(api.greet('x', { signal: AbortSignal.abort() }));
    expect(isPluginHostError(e, 'ERR_ABORTED')).toBe(true);
    const bad = await rejection((api.greet as (...a: unknown[]) => Promise<string>)('x', { bogus: 1 }));
    expect(isPluginHostError(bad, 'ERR_BAD_ARGUMENT')).toBe(true);
  });
});

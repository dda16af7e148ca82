// The actor-system core on its own, with in-memory nodes: events, every watch cause, stale
// incarnations, the name race while loading, stop during calls, and exactly-once
// settlement of every call under random interleavings of answers, aborts and crashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import type { Schedule } from '../../../common/protocol/memory-channel.js';
import { parseWitSource, selectWorld } from '../../../common/wit/load.js';
import { ActorSystemCore } from '../../../host/system/actor-system.js';
import type { ActorSystemEvents } from '../../../host/system/events.js';
import type { Launch } from '../../../host/system/node-connection.js';
import type { Termination } from '../../../host/system/registry.js';
import { launchMemory, type MemoryNode } from '../../../host/transports/memory/memory-node.js';
import { recordingLogger } from '../../helpers.js';

const world = () => selectWorld(parseWitSource(`package test:core@0.1.0;
interface api {
  resource counter {
    constructor(start: u32);
    add: func(n: u32) -> u32;
    get: func() -> u32;
  }
  consume: func(c: counter) -> u32;
  echo: func(s: string) -> string;
  later: func(id: u32) -> u32;
  checked: func(n: u32) -> result<u32, string>;
}
world core { export api; }
`), 'test:core/core');

interface Counter { add(n: number): Promise<number>; get(): Promise<number>; [Symbol.asyncDispose](): Promise<void> }
interface Api {
  Counter: { create(start: number): Promise<Counter> };
  consume(c: Counter): Promise<number>;
  echo(s: string, options?: { signal?: AbortSignal }): Promise<string>;
  later(id: number, options?: { signal?: AbortSignal }): Promise<number>;
  checked(n: number): Promise<number>;
}

/** A plugin whose `later(id)` answers when the test releases `id`. */
function plugin() {
  const release = new Map<number, () => void>();
  class Counter {
    constructor(public n: number) {}
    add(k: number) { return (this.n += k); }
    get() { return this.n; }
  }
  const exports = {
    'test:core/api': {
      Counter,
      consume: (c: Counter) => c.n,
      echo: (s: string) => s,
      later: (id: number) => new Promise<number>((resolve) => release.set(id, () => resolve(id))),
      checked: (n: number) => { if (n > 10) throw new Error('too big', { cause: undefined }); return n; },
    },
  };
  return { exports, release };
}

function core() {
  const events: { name: keyof ActorSystemEvents; payload: unknown }[] = [];
  const system = new ActorSystemCore({ logger: recordingLogger(), emit: (name, ...payload) => events.push({ name, payload: payload[0] }) });
  return { system, events };
}

function memory(impl = plugin().exports, schedule?: Schedule): { launch: Launch; nodes: MemoryNode[] } {
  const nodes: MemoryNode[] = [];
  const launch: Launch = async (context) => {
    const node = await launchMemory({ world: world(), exports: impl, ...(schedule ? { schedule } : {}) }, context);
    nodes.push(node);
    return node;
  };
  return { launch, nodes };
}

describe('ActorSystemCore', () => {
  it('emits started and terminated with the node, its incarnation and a typed cause', async () => {
    const { system, events } = core();
    const m = memory();
    const node = await system.start('calc', m.launch);
    m.nodes[0]!.crash(new PluginHostError('ERR_PLUGIN_EXITED', 'gone', { exitCode: 3 }));
    await node.terminated;
    const again = await system.start('calc', m.launch);
    await again.stop();
    expect(events.map((e) => e.name)).toEqual(['started', 'terminated', 'started', 'terminated']);
    expect(events[0]!.payload).toMatchObject({ node: 'calc', incarnation: 1, plugin: node });
    expect(events[1]!.payload).toEqual({ node: 'calc', incarnation: 1, cause: 'exited', reason: expect.objectContaining({ code: 'ERR_PLUGIN_EXITED', exitCode: 3 }) });
    expect(events[3]!.payload).toEqual({ node: 'calc', incarnation: 2, cause: 'stopped' });
  });

  it('tells watchers once for each cause: stopped, moved, node-down, and at once for an actor already gone', async () => {
    const { system } = core();
    const m = memory();
    const api = (await system.start('calc', m.launch)).exports<Api>() as unknown as Api;
    const seen: Termination[] = [];
    const [a, b, c] = await Promise.all([api.Counter.create(1), api.Counter.create(2), api.Counter.create(3)]);
    for (const x of [a, b, c]) system.watch(x, (t) => seen.push(t));
    system.watch(a, (t) => seen.push(t))(); // cancelled: never called
    await a[Symbol.asyncDispose]();
    expect(await api.consume(b)).toBe(2);
    m.nodes[0]!.crash(new PluginHostError('ERR_TRAPPED', 'trap'));
    await new Promise((r) => setTimeout(r, 0));
    const late = await new Promise<Termination>((resolve) => system.watch(a, resolve));
    expect(seen.map((t) => t.cause)).toEqual(['stopped', 'moved', 'node-down']);
    expect(seen[2]!.reason).toMatchObject({ code: 'ERR_TRAPPED' });
    expect(late).toMatchObject({ cause: 'node-down' });
    expect(String(late.id)).toBe(String((a as unknown as Record<symbol, { id: unknown }>)[Symbol.for('plugin-actors.actor')]!.id));
  });

  it('never lets an id of an earlier incarnation reach a later one', async () => {
    const { system } = core();
    const m = memory();
    const first = await system.start('calc', m.launch);
    const counter = await first.exports<Api>().Counter.create(5);
    const { actorIdOf } = await import('../../../host/system/proxy.js');
    const oldId = String(actorIdOf(counter));
    expect(oldId).toBe('calc@1/1');
    await first.stop();
    const second = await system.start('calc', m.launch);
    await second.exports<Api>().Counter.create(6);
    expect(() => system.resolve(oldId)).toThrowError(expect.objectContaining({ code: 'ERR_STALE_INCARNATION' }));
    await expect(system.remoteCall(oldId, 'get', [])).rejects.toMatchObject({ code: 'ERR_STALE_INCARNATION' });
    await expect(counter.get()).rejects.toMatchObject({ code: 'ERR_NODE_TERMINATED' });
    expect(await system.remoteCall('calc@2/1', 'get', [])).toBe(6);
  });

  it('reserves a name while its node is loading, and frees it when loading fails', async () => {
    const { system } = core();
    let fail!: (e: Error) => void;
    const loading = system.start('calc', () => new Promise((_r, reject) => { fail = reject; }));
    await expect(system.start('calc', memory().launch)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/already running/) });
    expect(system.plugins.size).toBe(0);
    fail(new PluginHostError('ERR_LOAD_FAILED', 'no'));
    await expect(loading).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
    const node = await system.start('calc', memory().launch);
    expect(node.incarnation).toBe(2);
  });

  it('refuses a node that finishes loading after close(), and stops it', async () => {
    const { system, events } = core();
    let finish!: () => void;
    const m = memory();
    const loading = system.start('calc', (context) => new Promise((resolve) => { finish = () => resolve(m.launch(context)); }));
    const closed = system.close();
    finish();
    await expect(loading).rejects.toMatchObject({ code: 'ERR_SYSTEM_CLOSED' });
    await closed;
    expect(events.map((e) => e.name)).toEqual(['terminated']);
    await expect(system.start('other', m.launch)).rejects.toMatchObject({ code: 'ERR_SYSTEM_CLOSED' });
  });

  it('stop() during calls: calls in flight may finish, later calls reject, every call settles', async () => {
    const { system } = core();
    const p = plugin();
    const node = await system.start('calc', memory(p.exports).launch);
    const api = node.exports<Api>() as unknown as Api;
    const inFlight = api.later(1);
    await new Promise((r) => setTimeout(r, 0));
    const stopping = node.stop();
    await expect(api.echo('late')).rejects.toMatchObject({ code: 'ERR_NODE_TERMINATED' });
    p.release.get(1)!();
    expect(await inFlight).toBe(1);
    await stopping;
    expect(node.running).toBe(false);
  });

  it('gives every call exactly one outcome, a value or a typed error, under random interleavings', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.constantFrom('later', 'echo', 'counter', 'abort', 'checked'), { minLength: 1, maxLength: 16 }),
      fc.array(fc.nat(), { minLength: 10, maxLength: 120 }),
      fc.constantFrom('crash', 'stop', 'none'),
      async (ops, picks, ending) => {
        const queue: (() => void)[] = [];
        const p = plugin();
        const { system } = core();
        const m = memory(p.exports, (f) => queue.push(f));
        const node = await (async () => {
          const started = system.start('calc', m.launch);
          while (queue.length > 0) queue.shift()!();
          return started;
        })();
        const api = node.exports<Api>() as unknown as Api;
        const outcomes: unknown[] = ops.map(() => undefined);
        const counts = ops.map(() => 0);
        const controllers = ops.map(() => new AbortController());
        const calls = ops.map((op, i) => {
          const signal = controllers[i]!.signal;
          const call = op === 'later' || op === 'abort' ? api.later(i + 1, { signal })
            : op === 'echo' ? api.echo(`e${i}`, { signal })
              : op === 'checked' ? api.checked(i)
                : api.Counter.create(i).then((c) => c.add(1));
          return call.then((v) => { counts[i]!++; outcomes[i] = v; }, (e: unknown) => { counts[i]!++; outcomes[i] = e; });
        });
        let endedAt = picks.length > 0 ? picks[0]! % (picks.length + 1) : 0;
        for (const [step, pick] of picks.entries()) {
          if (step === endedAt) {
            if (ending === 'crash') m.nodes[0]!.crash(new PluginHostError('ERR_TRAPPED', 'random crash'));
            else if (ending === 'stop') void node.stop();
            endedAt = -1;
          }
          const i = pick % ops.length;
          if (pick % 2 === 0 && queue.length > 0) queue.splice(pick % queue.length, 1)[0]!();
          else if (ops[i] === 'abort') controllers[i]!.abort();
          else p.release.get(i + 1)?.();
          await Promise.resolve();
        }
        for (const r of p.release.values()) r();
        for (let round = 0; round < 5; round++) {
          while (queue.length > 0) { queue.shift()!(); await Promise.resolve(); }
          await new Promise((r) => setTimeout(r, 0));
        }
        // Keep delivering while the system closes: the drain needs the answers still to come.
        let closed = false;
        const closing = system.close().then(() => { closed = true; });
        for (let round = 0; round < 1000 && !closed; round++) {
          while (queue.length > 0) queue.shift()!();
          await new Promise((r) => setTimeout(r, 0));
        }
        expect(closed).toBe(true);
        await closing;
        expect(counts).toEqual(ops.map(() => 1));
        for (const [i, o] of outcomes.entries()) {
          if (o instanceof Error) expect(isPluginHostError(o), `${ops[i]}: ${String(o)}`).toBe(true);
        }
        await Promise.all(calls);
      },
    ), { numRuns: 100 });
  });
});

// Supervision in the core, with in-memory plugins: restart policies, intensity, backoff,
// handles and proxies that follow incarnations, stale resource actors, calls during a
// restart, failed restarts, stop during a restart, the shutdown of many plugins at once.
import { describe, expect, it } from 'vitest';
import { PluginHostError } from '../../../common/errors.js';
import { parseWitSource, selectWorld } from '../../../common/wit/load.js';
import { ActorSystemCore } from '../../../host/system/actor-system.js';
import { callOptions, type MarkedCallOptions } from '../../../host/system/call-options.js';
import type { ActorSystemEvents } from '../../../host/system/events.js';
import type { Launch, NodeConnection } from '../../../host/system/node-connection.js';
import { backoffMs, RestartIntensity, validateRestart, type RestartOptions } from '../../../host/system/restart-policy.js';
import { launchMemory, type MemoryNode } from '../../../host/transports/memory/memory-node.js';
import { recordingLogger } from '../../helpers.js';

const world = selectWorld(parseWitSource(`package test:sup@0.1.0;
interface api {
  resource counter {
    constructor(start: u32);
    get: func() -> u32;
  }
  echo: func(s: string) -> string;
  hang: func() -> u32;
  pick: func(a: u32, b: option<u32>) -> u32;
}
world sup { export api; }
`), 'test:sup/sup');

interface Api {
  echo(s: string, options?: { timeoutMs?: number }): Promise<string>;
  hang(): Promise<number>;
  pick(a: number, b?: number | MarkedCallOptions): Promise<number>;
  Counter: { create(n: number): Promise<{ get(): Promise<number> }> };
}

const exports = {
  'test:sup/api': {
    Counter: class { constructor(public n: number) {} get() { return this.n; } },
    echo: (s: string) => s,
    hang: () => new Promise<number>(() => {}),
    pick: (a: number, b: number | undefined) => b ?? a,
  },
};

function setup() {
  const events: { name: keyof ActorSystemEvents; payload: Record<string, unknown> }[] = [];
  const system = new ActorSystemCore({ logger: recordingLogger(), emit: (name, ...p) => events.push({ name, payload: p[0] as unknown as Record<string, unknown> }) });
  const nodes: MemoryNode[] = [];
  let failNext = 0;
  const launch: Launch = async (context) => {
    if (failNext > 0) { failNext--; throw new PluginHostError('ERR_LOAD_FAILED', 'cannot start now'); }
    const node = await launchMemory({ world, exports }, context);
    nodes.push(node);
    return node;
  };
  const crash = () => nodes.at(-1)!.crash(new PluginHostError('ERR_TRAPPED', 'crashed on purpose'));
  const next = (name: keyof ActorSystemEvents, after = events.length) => new Promise<Record<string, unknown>>((resolve) => {
    const poll = () => {
      const found = events.slice(after).find((e) => e.name === name);
      if (found) resolve(found.payload); else setTimeout(poll, 1);
    };
    poll();
  });
  return { system, events, launch, nodes, crash, next, failLaunches: (n: number) => { failNext = n; } };
}

const fast = (options: RestartOptions): ReturnType<typeof validateRestart> => validateRestart({ ...options, backoff: { initialMs: 1, maxMs: 5, jitter: 0, ...options.backoff } });

describe('supervision', () => {
  it('permanent: a crashed plugin restarts; its handle and root proxies follow; its resource actors are stale', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, fast({ policy: 'permanent' }));
    const api = node.exports<Api>() as unknown as Api;
    const counter = await api.Counter.create(7);
    const restarted = t.next('restarted');
    t.crash();
    expect(await restarted).toMatchObject({ node: 'p', incarnation: 2, previous: { incarnation: 1, cause: 'trapped' } });
    expect(node.incarnation).toBe(2);
    expect(node.state).toBe('running');
    expect(await api.echo('after restart')).toBe('after restart');
    await expect(counter.get()).rejects.toMatchObject({ code: 'ERR_STALE_INCARNATION', cause: expect.objectContaining({ code: 'ERR_TRAPPED' }) });
    expect(await (await api.Counter.create(1)).get()).toBe(1);
    await node.stop();
    expect(await node.terminated).toMatchObject({ incarnation: 2, cause: 'stopped' });
    expect(t.events.map((e) => e.name)).toEqual(['started', 'terminated', 'restarted', 'terminated']);
  });

  it('transient restarts after a failure but not after the host stopped it; temporary never restarts', async () => {
    const t = setup();
    const transient = await t.system.start('t', t.launch, fast({ policy: 'transient' }));
    const restarted = t.next('restarted');
    t.crash();
    await restarted;
    await transient.stop();
    expect(transient.state).toBe('stopped');
    const temporary = await t.system.start('tmp', t.launch);
    t.crash();
    expect(await temporary.terminated).toMatchObject({ cause: 'trapped', reason: { code: 'ERR_TRAPPED' } });
    expect(t.events.filter((e) => e.name === 'restarted')).toHaveLength(1);
    expect(t.system.plugins.size).toBe(0);
  });

  it('gives up after more restarts than the intensity allows within the period: failed, and the name is free', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, fast({ policy: 'permanent', intensity: 2, periodMs: 60_000 }));
    for (let i = 0; i < 2; i++) {
      const restarted = t.next('restarted');
      t.crash();
      await restarted;
    }
    const failed = t.next('failed');
    t.crash();
    expect(await failed).toMatchObject({ node: 'p', incarnation: 3, reason: { code: 'ERR_RESTART_INTENSITY', cause: expect.objectContaining({ code: 'ERR_TRAPPED' }) } });
    expect(await node.terminated).toMatchObject({ cause: 'failed', reason: { code: 'ERR_RESTART_INTENSITY' } });
    expect(node.state).toBe('failed');
    await expect((node.exports<Api>() as unknown as Api).echo('x')).rejects.toMatchObject({ code: 'ERR_TRAPPED' });
    expect((await t.system.start('p', t.launch)).incarnation).toBe(4);
  });

  it('a restart that fails to start counts as a failure and is tried again', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, fast({ policy: 'permanent', intensity: 5 }));
    t.failLaunches(2);
    const restarted = t.next('restarted');
    t.crash();
    expect(await restarted).toMatchObject({ node: 'p' });
    expect(node.running).toBe(true);
    expect(await (node.exports<Api>() as unknown as Api).echo('back')).toBe('back');
  });

  it('calls during a restart fail with ERR_RESTARTING, or wait for it with waitForRestart (bounded by their deadline)', async () => {
    const t = setup();
    const slow = { policy: 'permanent', backoff: { initialMs: 200, maxMs: 200 } } as const;
    const refusing = await t.system.start('r', t.launch, fast(slow));
    const waiting = await t.system.start('w', t.launch, fast({ ...slow, waitForRestart: true }));
    t.nodes[0]!.crash(new PluginHostError('ERR_TRAPPED', 'boom'));
    t.nodes[1]!.crash(new PluginHostError('ERR_TRAPPED', 'boom'));
    await new Promise((r) => setTimeout(r, 10));
    expect(refusing.state).toBe('restarting');
    await expect((refusing.exports<Api>() as unknown as Api).echo('x')).rejects.toMatchObject({ code: 'ERR_RESTARTING', cause: expect.objectContaining({ code: 'ERR_TRAPPED' }) });
    const api = waiting.exports<Api>() as unknown as Api;
    await expect(api.echo('too short', { timeoutMs: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(await api.echo('waited', { timeoutMs: 5_000 })).toBe('waited');
    expect(waiting.incarnation).toBeGreaterThan(1);
  });

  it('a call waiting for a restart keeps its left-out trailing options and its branded options apart', async () => {
    const t = setup();
    const waiting = await t.system.start('w', t.launch, fast({ policy: 'permanent', backoff: { initialMs: 200, maxMs: 200 }, waitForRestart: true }));
    const terminated = t.next('terminated');
    t.crash();
    await terminated;
    expect(waiting.state).toBe('restarting');
    const api = waiting.exports<Api>() as unknown as Api;
    expect(await api.pick(1, callOptions({ timeoutMs: 60_000 }))).toBe(1);
    expect(waiting.incarnation).toBeGreaterThan(1);
  });

  it('stopping a plugin while it restarts ends it: no restart follows', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, fast({ policy: 'permanent', backoff: { initialMs: 100, maxMs: 100 } }));
    t.crash();
    await new Promise((r) => setTimeout(r, 5));
    await node.stop();
    await new Promise((r) => setTimeout(r, 150));
    expect(node.state).toBe('stopped');
    expect(t.events.map((e) => e.name)).toEqual(['started', 'terminated']);
  });

  it('an incarnation whose launch finishes after close() ended the plugin is closed at once, never left running', async () => {
    const t = setup();
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    let launches = 0;
    const late: MemoryNode[] = [];
    const launch: Launch = async (context) => {
      if (++launches > 1) {
        await gate;
        const node = await launchMemory({ world, exports }, context);
        late.push(node);
        return node;
      }
      return t.launch(context);
    };
    const node = await t.system.start('p', launch, fast({ policy: 'permanent' }));
    t.crash();
    while (launches < 2) await new Promise((r) => setTimeout(r, 1));
    await t.system.close();
    expect(node.state).toBe('stopped');
    open();
    while (late.length === 0) await new Promise((r) => setTimeout(r, 1));
    await late[0]!.terminated;
  });

  it('close() stops every plugin at once and shares one shutdown between callers', async () => {
    const t = setup();
    const closing: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    // Each plugin's close waits for the gate, opened once all three are closing: one at a time, this would never finish.
    const gated: Launch = async (context) => {
      const node = await t.launch(context) as NodeConnection;
      const close = node.close.bind(node);
      return Object.assign(Object.create(node) as NodeConnection, {
        async close(options?: { timeoutMs?: number }) {
          closing.push(context.name);
          if (closing.length === 3) release();
          await gate;
          return close(options);
        },
      });
    };
    for (const name of ['a', 'b', 'c']) await t.system.start(name, gated);
    const first = t.system.close();
    const second = t.system.close();
    expect(second).toBe(first);
    await first;
    expect(closing.sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('restart policy', () => {
  it('validates its options, naming the key', () => {
    expect(() => validateRestart({ policy: 'sometimes' })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/restart.policy/) }));
    expect(() => validateRestart({ intensity: -1 })).toThrowError(/restart.intensity/);
    expect(() => validateRestart({ backoff: { factr: 2 } })).toThrowError(/"factr" is not an option of restart.backoff/);
    expect(validateRestart(undefined).policy).toBe('temporary');
  });

  it('backs off by factor up to the maximum, spread by jitter', () => {
    const p = validateRestart({ policy: 'permanent', backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 } });
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(p, n, 0.5))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(p, 0, 0)).toBe(50);
    expect(backoffMs(p, 0, 0.999999)).toBe(150);
  });

  it('counts restarts in a sliding window', () => {
    const w = new RestartIntensity(validateRestart({ intensity: 2, periodMs: 1000 }));
    expect([w.allow(0), w.allow(100), w.allow(200)]).toEqual([true, true, false]);
    expect(w.allow(1001)).toBe(true);
    expect(w.recent(1101)).toBe(1);
  });
});

describe('reload', () => {
  it('moves the handle to the new version once it is up, drains the old one, and keeps the old one when the new fails', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch);
    const api = node.exports<Api>() as unknown as Api;
    const inFlight = api.hang().catch((e: unknown) => e);
    const counter = await api.Counter.create(3);
    await t.system.reload('p', t.launch, validateRestart(undefined), 1, { timeoutMs: 100 });
    expect(node.incarnation).toBe(2);
    expect(await api.echo('new version')).toBe('new version');
    expect(await inFlight).toMatchObject({ code: 'ERR_NODE_TERMINATED' });
    await expect(counter.get()).rejects.toMatchObject({ code: 'ERR_STALE_INCARNATION' });
    expect(t.events.filter((e) => e.name === 'restarted')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ incarnation: 2, previous: expect.objectContaining({ incarnation: 1, cause: 'stopped' }) }) })]);
    t.failLaunches(1);
    await expect(t.system.reload('p', t.launch, validateRestart(undefined))).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
    expect(node.incarnation).toBe(2);
    expect(await api.echo('old still serves')).toBe('old still serves');
  });
});

// Pools: calls to the root actor go to the least busy running member, resource actors stay
// on the member that made them, a crashed member is replaced while the others serve.
import { describe, expect, it } from 'vitest';
import { PluginHostError } from '../../../common/errors.js';
import { parseWitSource, selectWorld } from '../../../common/wit/load.js';
import { ActorSystem, actorIdOf } from '../../../host/index.js';
import { ActorSystemCore } from '../../../host/system/actor-system.js';
import type { Launch } from '../../../host/system/node-connection.js';
import { validateRestart } from '../../../host/system/restart-policy.js';
import { launchMemory, type MemoryNode } from '../../../host/transports/memory/memory-node.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

const world = selectWorld(parseWitSource(`package test:pool@0.1.0;
interface api {
  resource counter {
    constructor(start: u32);
    who: func() -> string;
  }
  who: func() -> string;
  held: func(id: u32) -> string;
}
world pool { export api; }
`), 'test:pool/pool');

interface Api {
  who(): Promise<string>;
  held(id: number): Promise<string>;
  Counter: { create(n: number): Promise<{ who(): Promise<string> }> };
}

function setup() {
  const release = new Map<number, () => void>();
  const nodes = new Map<string, MemoryNode>();
  const launch: Launch = async (context) => {
    const me = context.name;
    const node = await launchMemory({
      world, exports: {
        'test:pool/api': {
          Counter: class { who() { return me; } },
          who: () => me,
          held: (id: number) => new Promise<string>((resolve) => release.set(id, () => resolve(me))),
        },
      },
    }, context);
    nodes.set(me, node);
    return node;
  };
  const system = new ActorSystemCore({ logger: recordingLogger(), emit: () => {} });
  return { system, launch, release, nodes };
}

describe('pools', () => {
  it('balance root calls over the members by calls outstanding', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, validateRestart({ policy: 'permanent' }), 3);
    expect(node.instances).toBe(3);
    expect(node.members.map((m) => m.name)).toEqual(['p.0', 'p.1', 'p.2']);
    const api = node.exports<Api>() as unknown as Api;
    const held = Array.from({ length: 6 }, (_, i) => api.held(i));
    await new Promise((r) => setTimeout(r, 5));
    for (const r of t.release.values()) r();
    const served = await Promise.all(held);
    expect(served.filter((m) => m === 'p.0')).toHaveLength(2);
    expect(served.filter((m) => m === 'p.1')).toHaveLength(2);
    expect(served.filter((m) => m === 'p.2')).toHaveLength(2);
    expect([...t.system.plugins.keys()]).toEqual(['p']);
  });

  it('keep a resource actor on the member that made it', async () => {
    const t = setup();
    const api = (await t.system.start('p', t.launch, validateRestart({ policy: 'permanent' }), 2)).exports<Api>() as unknown as Api;
    const counters = await Promise.all([api.Counter.create(1), api.Counter.create(2), api.Counter.create(3), api.Counter.create(4)]);
    for (const c of counters) {
      const member = actorIdOf(c)!.node;
      for (let i = 0; i < 3; i++) expect(await c.who()).toBe(member);
    }
    expect(new Set(counters.map((c) => actorIdOf(c)!.node))).toEqual(new Set(['p.0', 'p.1']));
  });

  it('replace a crashed member while the others go on serving, without failing their calls', async () => {
    const t = setup();
    const node = await t.system.start('p', t.launch, validateRestart({ policy: 'permanent', backoff: { initialMs: 50, jitter: 0 } }), 2);
    const api = node.exports<Api>() as unknown as Api;
    const onOne = api.held(100);
    const onOther = api.held(101);
    await new Promise((r) => setTimeout(r, 5));
    t.nodes.get('p.0')!.crash(new PluginHostError('ERR_TRAPPED', 'boom'));
    t.release.get(101)?.();
    t.release.get(100)?.();
    const outcomes = await Promise.allSettled([onOne, onOther]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: 'p.1' }]);
    // While p.0 restarts, every call goes to p.1.
    expect(await Promise.all([api.who(), api.who(), api.who()])).toEqual(['p.1', 'p.1', 'p.1']);
    await new Promise((r) => setTimeout(r, 100));
    expect(node.members[0]!.incarnation).toBe(2);
    const again = [200, 201, 202, 203].map((id) => api.held(id));
    await new Promise((r) => setTimeout(r, 5));
    for (const id of [200, 201, 202, 203]) t.release.get(id)!();
    expect(new Set(await Promise.all(again))).toEqual(new Set(['p.0', 'p.1']));
    await node.stop();
    expect(node.running).toBe(false);
    expect(t.system.plugins.size).toBe(0);
  });
});

describe.each(['wasm', 'worker', 'process'] as const)('a pool of %s plugins', (kind) => {
  it('serves the greeter from every member, and survives a member killed', async () => {
    const system = new ActorSystem({ logger: recordingLogger() });
    try {
      const node = await system.load({ name: `pool-${kind}`, ...greeterSpecs[kind], instances: 2, restart: { policy: 'permanent', backoff: { initialMs: 10 } } });
      const api = node.exports<{ greet(n: string): Promise<string> }>('example:greeter/api');
      expect(await Promise.all(['a', 'b', 'c', 'd'].map((n) => api.greet(n)))).toEqual(['Hello, a!', 'Hello, b!', 'Hello, c!', 'Hello, d!']);
      const restarted = new Promise((resolve) => system.once('restarted', resolve));
      node.members[0]!.kill();
      expect(await api.greet('still')).toBe('Hello, still!');
      await restarted;
      expect(await api.greet('again')).toBe('Hello, again!');
    } finally {
      await system.close();
    }
  });
});

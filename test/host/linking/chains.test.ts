// Issue 13, points 1-3 and 6: what links check when they are made, and chains under failure:
// a middle plugin that crashes, traps or hangs, deadlines and aborts along every hop, a link
// to a supervised plugin across its restarts, and re-entrance (A → B → A) without deadlock.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError } from '../../../host/index.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';
import { entrySpec, FRONT, frontSpec, loopSpec, relaySpec, STORE, storeSpec, type Front } from './links-fixture.js';

let system: ActorSystem;
afterEach(async () => { await system?.close(); });

function newSystem() {
  const logger = recordingLogger();
  system = new ActorSystem({ logger });
  return logger;
}

describe('making a link', () => {
  it.each(['inline', 'process'] as const)('refuses a %s importer whose interface differs from the target\'s, naming the function', async (kind) => {
    newSystem();
    const greeter = await system.load({ name: 'greeter', ...greeterSpecs.wasm });
    const load = system.load(frontSpec('front', kind, greeter.exports('example:greeter/api')));
    await expect(load).rejects.toMatchObject({ code: 'ERR_LINK_MISMATCH', message: expect.stringMatching(/test:links\/store.* has no function/) });
    expect(system.plugin('front')).toBeUndefined();
  });

  it('refuses an inline importer linked to a target outside the host thread, pointing to isolation: worker', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    await expect(system.load(frontSpec('front', 'inline', store.exports(STORE)))).rejects.toMatchObject({
      code: 'ERR_LINK_NEEDS_WORKER', message: expect.stringContaining("isolation: 'worker'"),
    });
    // The same front in a worker links.
    const front = await system.load(frontSpec('front', 'worker', store.exports(STORE)));
    expect(await front.exports<Front>(FRONT).add(1, 2)).toBe(3);
  });

  it('links to a pool: calls go to its members, and keep going while one restarts', async () => {
    newSystem();
    const pool = await system.load({ ...storeSpec('kv', 'process'), instances: 2 });
    const front = (await system.load(frontSpec('front', 'worker', pool.exports(STORE)))).exports<Front>(FRONT);
    expect(await Promise.all([front.add(1, 1), front.add(2, 2), front.add(3, 3)])).toEqual([2, 4, 6]);
    pool.members[0]!.kill();
    expect(await front.add(4, 4)).toBe(8);
  });

  it('refuses an actor proxy that is not a root interface', async () => {
    newSystem();
    const greeter = await system.load({ name: 'greeter', ...greeterSpecs.wasm });
    const counter = await (greeter.exports('example:greeter/api') as { Counter: { create(n: number): Promise<object> } }).Counter.create(1);
    await expect(system.load(frontSpec('front', 'worker', counter))).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

describe('a failure in the middle of a chain', () => {
  it('a crashing subprocess in the middle: the caller gets an error naming it, the chain stays usable', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const relay = await system.load({ ...relaySpec('relay', store.exports(STORE)), restart: { policy: 'permanent' } });
    const front = await system.load({ ...frontSpec('front', 'process', relay.exports(STORE)) });
    const api = front.exports<Front>(FRONT);
    expect(await api.add(1, 1)).toBe(2);
    const failure = await api.fail(1, 'crash').catch((e: unknown) => e);
    expect(isPluginHostError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'ERR_LINK_FAILED', message: expect.stringMatching(/failed at plugin relay/) });
    // The relay restarts; the link follows it to its new incarnation.
    await expect.poll(() => relay.incarnation).toBe(2);
    expect(await api.add(20, 22)).toBe(42);
  });

  it('a trapping wasm plugin in the middle (worker): typed, named, and its node ends', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const front = await system.load(frontSpec('front', 'worker', store.exports(STORE)));
    const entry = await system.load(entrySpec('entry', front.exports(FRONT)));
    const failure = await entry.exports<Front>(FRONT).fail(1, 'trap').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_LINK_FAILED', message: expect.stringMatching(/failed at plugin front/) });
    expect((await front.terminated).reason).toMatchObject({ code: 'ERR_TRAPPED' });
  });

  it('a wasm importer whose link fails further down traps, and the message names where', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const relay = await system.load(relaySpec('relay', store.exports(STORE)));
    const front = await system.load(frontSpec('front', 'worker', relay.exports(STORE)));
    const failure = await front.exports<Front>(FRONT).fail(2, 'error').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/failed at plugin kv.*store fails: error/) });
  });

  it('a hanging middle plugin: the caller\'s deadline ends the call, the worker is interrupted, nothing hangs', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const front = await system.load(frontSpec('front', 'worker', store.exports(STORE)));
    const entry = await system.load(entrySpec('entry', front.exports(FRONT)));
    await expect(entry.exports<Front>(FRONT).fail(1, 'hang', { timeoutMs: 400 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    // The deadline reached the worker in the middle (through the entry's cancelled import).
    expect((await front.terminated).reason).toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
  });

  it('a timeout names the hop the chain was waiting on: the worker in the middle, at depth 1', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const front = await system.load(frontSpec('front', 'worker', store.exports(STORE)));
    const entry = await system.load(entrySpec('entry', front.exports(FRONT)));
    const failure = await entry.exports<Front>(FRONT).fail(1, 'hang', { timeoutMs: 400 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TIMEOUT', waitingOn: 'front', plugin: 'entry', message: expect.stringMatching(/waiting on plugin front \(entry@1 → front\)/) });
  });

  it('a timeout names the hop the chain was waiting on: the store at depth 2, behind a worker', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const front = await system.load({ ...frontSpec('front', 'worker', store.exports(STORE)), restart: { policy: 'permanent' } });
    const entry = await system.load(entrySpec('entry', front.exports(FRONT)));
    const api = entry.exports<Front>(FRONT);
    const failure = await api.fail(2, 'hang', { timeoutMs: 400 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TIMEOUT', waitingOn: 'kv', message: expect.stringMatching(/waiting on plugin kv \(entry@1 → front@1 → kv\)/) });
    // Nothing is left hanging: the worker interrupted by the deadline restarts, the chain answers.
    await expect.poll(() => front.incarnation).toBe(2);
    expect(await api.add(2, 3, { timeoutMs: 5000 })).toBe(5);
  });

  it('a timeout names the hop the chain was waiting on: all subprocesses, depth 2', async () => {
    newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const relay = await system.load(relaySpec('relay', store.exports(STORE)));
    const front = await system.load(frontSpec('front', 'process', relay.exports(STORE)));
    const api = front.exports<Front>(FRONT);
    const failure = await api.fail(2, 'hang', { timeoutMs: 400 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TIMEOUT', waitingOn: 'kv', message: expect.stringMatching(/waiting on plugin kv \(front@1 → relay@1 → kv\)/) });
    expect(await api.add(20, 22)).toBe(42);
    // A call that did not go on through links says nothing of a wait.
    const own = await api.fail(0, 'hang', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(own).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect((own as { waitingOn?: string }).waitingOn).toBeUndefined();
  });
});

describe('deadlines and cancellation along the chain', () => {
  it.each(['worker', 'process'] as const)('a deadline on the first call cancels the last hop (%s front)', async (kind) => {
    const logger = newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const front = await system.load(frontSpec('front', kind, store.exports(STORE)));
    await expect(front.exports<Front>(FRONT).fail(1, 'hang', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await expect.poll(() => logger.records.some((r) => r.message.includes('store saw its call cancelled'))).toBe(true);
  });

  it('aborting the first call cancels the calls it caused, three hops down', async () => {
    const logger = newSystem();
    const store = await system.load(storeSpec('kv', 'process'));
    const relay = await system.load(relaySpec('relay', store.exports(STORE)));
    const front = await system.load(frontSpec('front', 'process', relay.exports(STORE)));
    const controller = new AbortController();
    const call = front.exports<Front>(FRONT).fail(2, 'hang', { signal: controller.signal });
    // Once the last hop runs, the first call is aborted.
    await expect.poll(() => logger.records.some((r) => r.message.includes('store hangs'))).toBe(true);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect.poll(() => logger.records.some((r) => r.message.includes('store saw its call cancelled'))).toBe(true);
    // Everything still answers.
    expect(await front.exports<Front>(FRONT).add(2, 3)).toBe(5);
  });
});

describe('re-entrance: A calls B, which calls back into A', () => {
  // A cycle cannot be linked at load (each side needs the other loaded): B starts with a
  // host function, and is reloaded linked to A once A is up.
  async function cycle(frontKind: 'inline' | 'worker' | 'process') {
    const loopKind = frontKind === 'inline' ? 'inline' : 'process';
    const placeholder = { [FRONT]: { add: () => 0, put: () => {}, fetch: () => undefined, bucketRoundtrip: () => '', fail: () => 0 } };
    const loopB = await system.load({ ...loopSpec('loop', undefined, loopKind), imports: placeholder });
    const front = await system.load(frontSpec('front', frontKind, loopB.exports(STORE)));
    await system.reload('loop', loopSpec('loop', front.exports(FRONT), loopKind));
    return front;
  }

  it('inline wasm entered again traps, as the Canonical ABI says (inline A → inline B → A)', async () => {
    newSystem();
    const front = await cycle('inline');
    // One hop down and back is no re-entrance (B answers at once).
    expect(await front.exports<Front>(FRONT).add(0, 5)).toBe(5);
    const failure = await front.exports<Front>(FRONT).add(2, 5).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/cannot enter component instance/) });
    expect((await front.terminated).reason).toMatchObject({ code: 'ERR_TRAPPED' });
  });

  it('a wasm worker entered again traps with a typed error naming the cycle (never a silent deadlock)', async () => {
    newSystem();
    const front = await cycle('worker');
    const failure = await front.exports<Front>(FRONT).add(2, 5).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/cannot enter component instance of plugin front.*front@1 → loop@2 → front@1/) });
  });

  it('a subprocess may be entered again: its SDK serves calls concurrently', async () => {
    newSystem();
    const front = await cycle('process');
    expect(await front.exports<Front>(FRONT).add(3, 4)).toBe(7);
  });
});

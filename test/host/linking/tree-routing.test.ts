// Issue 13, point 4: routed ids and a subtree going down, in a tree of hosts of depth 4
// (root → top → level1 → level0 → wasm leaf, test/fixtures/links/tree-node.mjs). An actor
// made at the leaf has an id at the root that carries every hop with its incarnation; a call
// by that id routes hop by hop; a middle node killed with a real signal ends, and tells the
// root's watchers about, every actor below it, settles the calls pending into it with a
// typed error naming it, and leaves the old ids refused as stale.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, actorIdOf, parseActorId, type ResourceActor } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { STORE } from './links-fixture.js';

interface Bucket extends ResourceActor {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  size(): Promise<number>;
}
interface Store {
  fail(depth: number, how: string): Promise<number>;
  open(name: string): Promise<Bucket>;
  Bucket: { 'new'(name: string): Promise<Bucket> };
}

let system: ActorSystem | undefined;
let pids: string | undefined;
afterEach(async () => {
  await system?.close();
  if (pids) rmSync(pids, { recursive: true, force: true });
  system = pids = undefined;
});

async function tree(supervised = false) {
  pids = mkdtempSync(join(tmpdir(), 'tree-pids-'));
  system = new ActorSystem({ logger: recordingLogger() });
  const top = await system.load({ name: 'top', command: [process.execPath, root('test/fixtures/links/tree-node.mjs'), '2', pids, ...(supervised ? ['restart'] : [])] });
  return { system, top, store: top.exports<Store>(STORE) };
}

function pidOf(level: string): number {
  return Number(readFileSync(join(pids!, `${level}.pid`), 'utf8'));
}

describe('routed ids', () => {
  it('an actor made at the leaf has an id with every hop and its incarnation, and a call by it routes down', async () => {
    const { system, store } = await tree();
    const bucket = await store.Bucket.new('b');
    const opened = await store.open('o');
    const id = actorIdOf(bucket)!;
    expect(String(id)).toMatch(/^top@1\/level1@1\/level0@1\/leaf@1\/\d+$/);
    expect(String(actorIdOf(opened))).toMatch(/^top@1\/level1@1\/level0@1\/leaf@1\/\d+$/);
    expect(id.route.map((h) => h.node)).toEqual(['level1', 'level0', 'leaf']);

    // By its printed id, as an application that kept it would: each hop passes the call on.
    await system.remoteCall(String(id), 'set', ['k', 'v']);
    expect(await system.remoteCall(parseActorId(String(id)), 'get', ['k'])).toBe('v');
    expect(system.resolve(String(id))).toBe(bucket);
    expect(await system.resolve<Bucket>(String(id)).size()).toBe(1);
  });

  it('an id that names no actor, or a later incarnation, is refused with typed errors', async () => {
    const { system, store } = await tree();
    const id = actorIdOf(await store.Bucket.new('b'))!;
    const text = String(id);
    await expect(system.remoteCall(text.replace(/\/\d+$/, '/999'), 'size', [])).rejects.toMatchObject({ code: 'ERR_ACTOR_NOT_FOUND' });
    await expect(system.remoteCall(text.replace('leaf@1', 'leaf@7'), 'size', [])).rejects.toMatchObject({ code: 'ERR_ACTOR_NOT_FOUND' });
    expect(() => system.resolve(text.replace('level0@1', 'level0@x'))).toThrowError(expect.objectContaining({ code: 'ERR_ACTOR_ID_INVALID' }));
  });
});

describe('a subtree going down', () => {
  it.each([
    ['level1', 'top@1/level1@1'],
    ['level0', 'top@1/level1@1/level0@1'],
  ])('%s killed with SIGKILL: every actor below it ends at the root with a typed reason, pending calls settle naming it, old ids are stale', async (level, downAt) => {
    const { system, top, store } = await tree();
    const buckets = [await store.Bucket.new('a'), await store.Bucket.new('b'), await store.open('c')];
    const ids = buckets.map((b) => String(actorIdOf(b)));
    const ended = buckets.map((b) => system.terminated(b));
    // A call pending in the leaf (it spins) when the node above it is killed.
    const pending = store.fail(0, 'hang').catch((e: unknown) => e);
    await expect.poll(() => { try { return pidOf('level0') > 0; } catch { return false; } }).toBe(true);
    process.kill(pidOf(level), 'SIGKILL');

    for (const termination of await Promise.all(ended)) {
      expect(termination).toMatchObject({ cause: 'node-down', reason: { code: 'ERR_SUBTREE_DOWN', plugin: level, downAt } });
      expect(termination.reason!.message).toMatch(new RegExp(`plugin ${level}.*SIGKILL`));
    }
    expect(await pending).toMatchObject({ code: 'ERR_LINK_FAILED', message: expect.stringMatching(new RegExp(`failed at plugin ${level}`)) });
    for (const id of ids) {
      await expect(system.remoteCall(id, 'size', [])).rejects.toMatchObject({ code: 'ERR_STALE_INCARNATION', plugin: level });
    }
    await expect(buckets[0]!.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
    // The top of the tree is still up; it is its subtree that went down.
    expect(top.state).toBe('running');
  });

  it('a middle node that restarts: ids made before are stale, the new incarnation is in the new ids, and they route', async () => {
    const { system, store } = await tree(true);
    const old = await store.Bucket.new('a');
    const oldId = String(actorIdOf(old));
    const ended = system.terminated(old);
    await expect.poll(() => { try { return pidOf('level0') > 0; } catch { return false; } }).toBe(true);
    const firstPid = pidOf('level0');
    process.kill(firstPid, 'SIGKILL');
    expect(await ended).toMatchObject({ reason: { code: 'ERR_SUBTREE_DOWN', downAt: 'top@1/level1@1/level0@1' } });
    // level1 restarts level0 (a new process, so a new pid file).
    await expect.poll(() => pidOf('level0') !== firstPid, { timeout: 20_000 }).toBe(true);
    // Calls fail (ERR_LINK_FAILED) until the new level0 serves.
    let fresh: Bucket | undefined;
    await expect.poll(async () => (fresh = await store.Bucket.new('b').catch(() => undefined)) !== undefined, { timeout: 20_000 }).toBe(true);
    const freshId = String(actorIdOf(fresh));
    expect(freshId).toMatch(/^top@1\/level1@1\/level0@2\/leaf@1\/\d+$/);
    await system.remoteCall(freshId, 'set', ['k', 'v']);
    expect(await system.remoteCall(freshId, 'get', ['k'])).toBe('v');
    await expect(system.remoteCall(oldId, 'size', [])).rejects.toMatchObject({ code: 'ERR_STALE_INCARNATION', plugin: 'level0' });
  });
});

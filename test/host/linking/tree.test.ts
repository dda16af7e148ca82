// Issue 13, point 4 (in part): a subprocess plugin that runs its own ActorSystem exposes its
// child's actors upward (`system.expose`), three levels of such hosts above a wasm leaf;
// calls, resources and failures route hop by hop.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, type ResourceActor } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { STORE } from './links-fixture.js';

interface Bucket extends ResourceActor {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  size(): number;
}
interface Store {
  add(a: number, b: number): number;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  fail(depth: number, how: string): number;
  open(name: string): Bucket;
  Bucket: { 'new'(name: string): Bucket };
}

let system: ActorSystem;
afterEach(async () => { await system?.close(); });

async function tree() {
  system = new ActorSystem({ logger: recordingLogger() });
  // root → top (level 2) → level1 → level0 → leaf (wasm)
  return system.load({ name: 'top', command: [process.execPath, root('test/fixtures/links/tree-node.mjs'), '2'] });
}

describe('a tree of hosts, depth 4', () => {
  it('routes calls and values down to the leaf and back', async () => {
    const store = (await tree()).exports<Store>(STORE);
    expect(await store.add(40, 2)).toBe(42);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(await store.get('nope')).toBeUndefined();
  });

  it('resources made at the leaf are actors at the root: methods route down, a drop reaches the leaf', async () => {
    const store = (await tree()).exports<Store>(STORE);
    const bucket = await store.Bucket.new('b');
    await bucket.set('x', '1');
    await bucket.set('y', '2');
    expect(await bucket.get('x')).toBe('1');
    expect(await bucket.size()).toBe(2);
    const opened = await store.open('o');
    expect(await opened.size()).toBe(0);
    await bucket[Symbol.asyncDispose]();
    await expect(bucket.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
  });

  it('a trap at the leaf reaches the root as a typed error naming the leaf', async () => {
    const store = (await tree()).exports<Store>(STORE);
    const failure = await store.fail(0, 'trap').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_LINK_FAILED', plugin: 'top', message: expect.stringMatching(/failed at plugin leaf/) });
  });

  it('the top of the subtree going down ends its actors at the root and tells their watchers', async () => {
    const top = await tree();
    const bucket = await top.exports<Store>(STORE).Bucket.new('b');
    const ended = system.terminated(bucket);
    top.kill();
    expect(await ended).toMatchObject({ cause: 'node-down' });
  });
});

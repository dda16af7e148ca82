// Issue 13, point 1: an import bound to another loaded plugin's export, for every pairing of
// importer and target (inline and worker wasm, process), resources included.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { FRONT, frontSpec, STORE, storeSpec, type Front, type Kind } from './links-fixture.js';

let system: ActorSystem;
afterEach(async () => { await system?.close(); });

const pairings: [Kind, Kind][] = [
  ['inline', 'inline'], ['worker', 'inline'], ['worker', 'worker'], ['worker', 'process'],
  ['process', 'inline'], ['process', 'worker'], ['process', 'process'],
];

describe.each(pairings)('a %s front linked to a %s store', (frontKind, storeKind) => {
  it('calls through, values and options included', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const store = await system.load(storeSpec('kv', storeKind));
    const front = (await system.load(frontSpec('front', frontKind, store.exports(STORE)))).exports<Front>(FRONT);
    expect(await front.add(2, 40)).toBe(42);
    await front.put('colour', 'teal');
    expect(await front.fetch('colour')).toBe('teal');
    expect(await front.fetch('missing')).toBeUndefined();
    // The store really holds it: the application reads it directly.
    expect(await store.exports(STORE).get('colour')).toBe('teal');
  });

  it('passes resources as actor references: the front calls the bucket, its drop stops the actor', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const store = await system.load(storeSpec('kv', storeKind));
    const ended: string[] = [];
    const front = (await system.load(frontSpec('front', frontKind, store.exports(STORE)))).exports<Front>(FRONT);
    const before = store.id;
    expect(await front.bucketRoundtrip('b', 'k', 'v')).toBe('v/1');
    // The front dropped its bucket: the store's actor for it is gone (ids count up from 1).
    const actorId = `${before.node}@${before.incarnation}/1`;
    await expect.poll(() => { try { system.resolve(actorId); return 'live'; } catch (e) { ended.push((e as { code: string }).code); return 'gone'; } }).toBe('gone');
    expect(ended.at(-1)).toBe('ERR_ACTOR_NOT_FOUND');
    // A subprocess store says so itself (its bucket's Symbol.dispose ran).
    if (storeKind === 'process') await expect.poll(() => logger.records.some((r) => r.message.includes('bucket b dropped'))).toBe(true);
  });
});

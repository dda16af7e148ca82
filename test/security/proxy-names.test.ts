// Names from a plugin that collide with JavaScript's own lookups (`then`, `toString`,
// `constructor`, …) can neither make a proxy thenable nor shadow Object machinery: they
// are exposed with a trailing `_` (proxyMemberName), and the WIT name still works.
import { afterEach, describe, expect, it } from 'vitest';
import { proxyMemberName } from '../../common/wit/names.js';
import { ActorSystem } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';

const spec = { name: 'names', command: [process.execPath, root('test/fixtures/security/then-names.mjs')] };

interface Thing { then_(): Promise<string>; toString_(): Promise<string>; valueOf_(): Promise<number> }
interface Api {
  then_(): Promise<string>;
  constructor_(): Promise<string>;
  hasOwnProperty_(key: string): Promise<boolean>;
  thens(): Promise<number>;
  make(): Promise<Thing>;
  Thing: { create(): Promise<Thing> };
}

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

describe('proxyMemberName', () => {
  it.each([
    ['then', 'then_'], ['to-string', 'toString_'], ['value-of', 'valueOf_'], ['constructor', 'constructor_'],
    ['has-own-property', 'hasOwnProperty_'], ['call', 'call'], ['catch', 'catch'], ['get-thing', 'getThing'],
  ])('%s → %s', (wit, js) => expect(proxyMemberName(wit)).toBe(js));
});

describe('a plugin with functions and methods named then, to-string, constructor', () => {
  it('gives proxies and resource actors that are not thenable, and serves every function', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load(spec);
    const api = node.exports<Api>('test:names/api') as unknown as Api & Record<string, unknown>;
    expect(api.then).toBeUndefined();
    // Awaiting a proxy (as an async function returning it does) yields the proxy, calling nothing.
    expect(await Promise.resolve(api)).toBe(api);
    const thing = await api.make();
    expect((thing as unknown as Record<string, unknown>).then).toBeUndefined();
    const created = await api.Thing.create();
    expect(await thing.then_()).toBe('thing then');
    expect(await created.toString_()).toBe('thing to-string');
    expect(await created.valueOf_()).toBe(7);
    expect(await api.then_()).toBe('root then');
    expect(await api.constructor_()).toBe('root constructor');
    expect(await api.hasOwnProperty_('yes')).toBe(true);
    // Object machinery still works on proxies: nothing was shadowed.
    expect(Object.prototype.hasOwnProperty.call(api, 'thens')).toBe(true);
    expect(String(thing)).toMatch(/^\[object Object\]$/);
    // Only the explicit calls above reached the plugin's `then`s.
    expect(await api.thens()).toBe(2);
    expect(await system.remoteCall(node.id, 'then', [])).toBe('root then');
    expect(await system.remoteCall(node.id, 'then_', [])).toBe('root then');
  });
});

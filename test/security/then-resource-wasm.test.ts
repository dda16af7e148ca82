// A wasm component (not only a process plugin, test/security/proxy-names.test.ts) whose
// function and resource method are named `then`: its proxies and resource actors are not
// thenable, awaiting them runs nothing in the guest, and `then_()` calls the WIT function.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

interface Thing { then_(): Promise<number> }
interface Api { make(): Promise<Thing>; then_(): Promise<number>; thens(): Promise<number>; Thing: { create(): Promise<Thing> } }

let wasm: Uint8Array;
let system: ActorSystem | undefined;
beforeAll(async () => { wasm = await componentFromWat(root('test/fixtures/security/then-resource.wat'), root('test/fixtures/security/then-resource.wit'), 'thenres'); });
afterEach(async () => { await system?.close(); system = undefined; });

describe.each(['inline', 'worker'] as const)('a %s component with a function and a resource method named then', (isolation) => {
  it('gives proxies and resource actors that are not thenable, and serves both thens', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'thenres', wasm, isolation });
    const api = node.exports<Api>('test:thenres/api');
    expect((api as unknown as Record<string, unknown>).then).toBeUndefined();
    expect(await Promise.resolve(api)).toBe(api);
    const made = await api.make();
    const created = await api.Thing.create();
    for (const actor of [made, created]) {
      expect((actor as unknown as Record<string, unknown>).then).toBeUndefined();
      expect(await Promise.resolve(actor)).toBe(actor);
    }
    // Awaiting above ran no `then` in the guest.
    expect(await api.thens()).toBe(0);
    expect(await made.then_()).toBe(9);
    expect(await created.then_()).toBe(7);
    expect(await api.then_()).toBe(42);
    expect(await api.thens()).toBe(3);
    expect(node.running).toBe(true);
  });
});

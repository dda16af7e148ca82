// A host import runs while the guest is in the middle of a call: dropping one of the
// guest's resources from there would run guest code (its destructor) inside that call, so
// it is refused, and the resource stays usable.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ActorSystem, type PluginNode } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { kitchenSinkHost } from './host-impl.js';

type Blob = { size(): Promise<number>; [Symbol.asyncDispose](): Promise<void> };

const components = {
  AssemblyScript: root('test/runtime/kitchen-sink/assemblyscript/build/kitchen-sink.wasm'),
  Rust: inject('rustComponents')['test/runtime/kitchen-sink/rust']!,
};

let system: ActorSystem | undefined;
afterEach(() => system?.close());

describe.each(Object.entries(components))('kitchen sink in %s', (_language, wasm) => {
  it('refuses to drop a guest resource from a host import the guest is calling', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const host = await kitchenSinkHost();
    const impl = host['plugin-actors:kitchen-sink/host'] as Record<string, unknown>;
    let victim: Blob | undefined;
    let refused: unknown;
    impl.ofU8 = (v: number) => {
      // Synchronously, inside the guest's call of this import.
      void victim![Symbol.asyncDispose]().catch((e: unknown) => { refused = e; });
      return v;
    };
    const node: PluginNode = await system.load({ name: 'reentrance', wasm, imports: host });
    const echo = node.exports<Record<string, (...a: unknown[]) => Promise<unknown>>>('plugin-actors:kitchen-sink/echo');
    const relay = node.exports<Record<string, (...a: unknown[]) => Promise<unknown>>>('plugin-actors:kitchen-sink/relay');
    victim = (await echo.makeBlob!(new Uint8Array([1, 2, 3]))) as Blob;
    expect(await relay.ofU8!(7)).toBe(7);
    await new Promise((r) => setImmediate(r));
    expect(refused).toMatchObject({ code: 'ERR_BUSY', message: expect.stringMatching(/while its plugin is running a call/) });
    expect(await victim.size()).toBe(3);
    await victim[Symbol.asyncDispose]();
    await expect(victim.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
  });
});

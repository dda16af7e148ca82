// World-level imports and exports, and inline interfaces, through generated AssemblyScript bindings.
import { afterAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';

describe('world-level functions (AssemblyScript)', () => {
  const system = new ActorSystem({ logger: recordingLogger() });
  afterAll(() => system.close());

  it('calls world exports that use a world import and an inline interface import', async () => {
    let remembered: number | undefined;
    const node = await system.load({
      name: 'top-level',
      wasm: root('test/fixtures/world-functions/assemblyscript/build/world-functions.wasm'),
      imports: {
        decorate: (text: string) => `*${text}*`,
        scratch: { remember: (v: number) => { remembered = v; }, recall: () => remembered },
      },
    });
    expect(node.interfaces).toEqual(['']);
    const api = node.exports<{ run(n: string): { left: string; right: string }; roundtrip(v: number): number | undefined }>();
    expect(await api.run('x')).toEqual({ left: 'x', right: '*x*' });
    expect(await api.roundtrip(42)).toBe(42);
    expect(remembered).toBe(42);
    expect(await system.remoteCall(node.id, 'run', ['y'])).toEqual({ left: 'y', right: '*y*' });
  });

  it('names a missing world-level import', async () => {
    await expect(system.load({ name: 'incomplete', wasm: root('test/fixtures/world-functions/assemblyscript/build/world-functions.wasm'), imports: { scratch: {} } }))
      .rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringMatching(/decorate/) });
  });
});

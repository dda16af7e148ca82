// system.sync(proxy): the synchronous twin of an inline wasm actor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError, type PluginNode, type Remote } from '../../../host/index.js';
import type { Counter, GreeterApi } from '../../../examples/greeter/api.js';
import { faultsSpecs, greeterSpecs, recordingLogger } from '../../helpers.js';

describe('ActorSystem.sync()', () => {
  let system: ActorSystem;
  let wasm: PluginNode;
  let api: Remote<GreeterApi>;

  beforeAll(async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    wasm = await system.load({ name: 'sync-greeter', ...greeterSpecs.wasm });
    api = wasm.exports<GreeterApi>('example:greeter/api');
  });
  afterAll(() => system.close());

  it('returns values directly, for interfaces and resource actors', async () => {
    const s = system.sync(api);
    expect(s.greet('sync')).toBe('Hello, sync!');
    expect(s.sum([1, 2])).toBe(3n);
    const counter = s.Counter.create(1);
    expect(typeof (counter as unknown as { then?: unknown }).then).toBe('undefined');
    const c = system.sync(counter as Remote<Counter>);
    expect(c.increment(2)).toBe(3);
    expect(await (counter as Remote<Counter>).get()).toBe(3);
    expect(system.sync(counter as Remote<Counter>)).toBe(c);
  });

  it('throws typed errors synchronously', () => {
    const s = system.sync(api);
    expect(() => s.greet(1 as never)).toThrowError(expect.objectContaining({ code: 'ERR_BAD_ARGUMENT', actorId: String(wasm.id) }));
    try {
      s.words('');
      throw new Error('no error');
    } catch (e) {
      expect(isPluginHostError(e, 'ERR_RESULT') && e.payload).toBe('the line is empty');
    }
  });

  it('is refused for subprocess plugins', async () => {
    const proc = await system.load({ name: 'sync-refused', ...greeterSpecs.process });
    expect(() => system.sync(proc.exports('example:greeter/api'))).toThrowError(expect.objectContaining({ code: 'ERR_UNSUPPORTED' }));
    await proc.stop();
  });

  it('reports a trap, and later calls fail with it', async () => {
    const node = await system.load({ name: 'sync-faults', ...faultsSpecs.wasm });
    const s = system.sync(node.exports<{ trap(): void; echo(x: string): string }>());
    expect(() => s.trap()).toThrowError(expect.objectContaining({ code: 'ERR_TRAPPED' }));
    expect(() => s.echo('x')).toThrowError(expect.objectContaining({ code: 'ERR_TRAPPED' }));
  });
});

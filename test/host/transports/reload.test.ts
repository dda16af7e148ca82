// Upgrading a plugin in place across kinds of plugin: the same world, another implementation.
import { describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

describe('reload', () => {
  it('moves a plugin from a Node process to a wasm component and on to a worker, its proxies following', async () => {
    const system = new ActorSystem({ logger: recordingLogger() });
    try {
      const node = await system.load({ name: 'greeter', ...greeterSpecs.process });
      const api = node.exports<{ greet(n: string): Promise<string> }>('example:greeter/api');
      const pid = node.pid;
      expect(await api.greet('process')).toBe('Hello, process!');
      await system.reload('greeter', { name: 'greeter', ...greeterSpecs.wasm });
      expect(node.pid).toBeUndefined();
      expect(await api.greet('wasm')).toBe('Hello, wasm!');
      await system.reload('greeter', { name: 'greeter', ...greeterSpecs.worker });
      expect(await api.greet('worker')).toBe('Hello, worker!');
      expect(node.incarnation).toBe(3);
      expect(() => process.kill(pid!, 0)).toThrow();
      await expect(system.reload('greeter', { name: 'other', ...greeterSpecs.wasm })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
      await expect(system.reload('greeter', { name: 'greeter', wasm: new Uint8Array([0, 1]) })).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID' });
      expect(await api.greet('still the worker')).toBe('Hello, still the worker!');
    } finally {
      await system.close();
    }
  });
});

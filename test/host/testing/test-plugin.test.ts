// The harness for plugin authors (plugin-actors/testing): one line to load, calls (root and
// resource actors) and their outcomes recorded, logs and terminations recorded, cleanup.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testPlugin } from '../../../host/testing/index.js';
import type { GreeterApi } from '../../../examples/greeter/api.js';
import { greeterSpecs } from '../../helpers.js';

describe('testPlugin', () => {
  it('records calls, results, errors and resource actors, and logs', async () => {
    const greeter = await testPlugin({ name: 'greeter', ...greeterSpecs.wasm }, { cleanup: afterAll });
    const api = greeter.exports<GreeterApi>('example:greeter/api');
    expect(await api.greet('x')).toBe('Hello, x!');
    await expect(api.words('')).rejects.toMatchObject({ code: 'ERR_RESULT' });
    const counter = await api.Counter.create(5);
    expect(await counter.increment(2)).toBe(7);
    await counter[Symbol.asyncDispose]();
    expect(greeter.calls.map((c) => [c.function, c.actor, c.outcome])).toEqual([
      ['greet', 'greeter@1/0', 'returned'],
      ['words', 'greeter@1/0', 'threw'],
      ['Counter.create', 'greeter@1/0', 'returned'],
      ['increment', expect.stringMatching(/^greeter@1\/[1-9]\d*$/), 'returned'],
    ]);
    expect(greeter.callsTo('greet')[0]).toMatchObject({ args: ['x'], result: 'Hello, x!' });
    expect(greeter.callsTo('words')[0]!.error).toMatchObject({ code: 'ERR_RESULT', payload: 'the line is empty' });
    expect(greeter.logs).toContainEqual({ level: 'debug', message: 'greeting x', fields: expect.objectContaining({ plugin: 'greeter' }) });
    greeter.reset();
    expect(greeter.calls).toHaveLength(0);
  });

  it('records terminations and restarts, and closes through its cleanup hook', async () => {
    const hooks: (() => Promise<void>)[] = [];
    const plugin = await testPlugin({ name: 'greeter', ...greeterSpecs.process, restart: { policy: 'permanent', waitForRestart: true } }, { cleanup: (fn) => hooks.push(fn) });
    const api = plugin.exports<GreeterApi>('example:greeter/api');
    expect(await api.greet('a')).toBe('Hello, a!');
    const ended = plugin.nextTermination();
    plugin.kill('SIGKILL');
    expect(await ended).toMatchObject({ node: 'greeter', incarnation: 1, cause: 'exited', reason: { code: 'ERR_PLUGIN_EXITED', signal: 'SIGKILL' } });
    expect(await api.greet('b')).toBe('Hello, b!');
    expect(plugin.restarts).toBe(1);
    expect(plugin.logs.some((l) => l.message === 'greeter (node) ready')).toBe(true);
    expect(hooks).toHaveLength(1);
    await hooks[0]!();
    expect(plugin.node.running).toBe(false);
    expect(plugin.terminations.at(-1)).toMatchObject({ cause: 'stopped' });
  });

  it('loads from a manifest path, and a plugin that fails to load leaves nothing running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plugin-actors-testing-'));
    try {
      await cp(greeterSpecs.wasm.wasm, join(dir, 'greeter.wasm'));
      await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'm', version: '1.0.0', world: 'example:greeter/greeter', wasm: 'greeter.wasm' }));
      await using plugin = await testPlugin(dir);
      expect(await plugin.exports<GreeterApi>('example:greeter/api').greet('m')).toBe('Hello, m!');
      await expect(testPlugin({ name: 'nope', wasm: join(dir, 'missing.wasm') })).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

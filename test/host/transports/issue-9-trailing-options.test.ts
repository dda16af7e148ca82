// Issue 9, point 5: calls into a plugin may leave out trailing `option<T>` arguments (none,
// as in jco), and call options stay unambiguous beside them — on every transport, through
// proxies, resource actors, the sync twin and remoteCall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, callOptions, type PluginNode, type Remote, type ResourceActor } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';

interface Tally extends ResourceActor { add(n: number, times?: number): number }
interface Options {
  pick(a: number, b?: number, c?: number): number;
  lastRequired(a: number | undefined, b: number): number;
  deadline(a: number, opts?: { timeoutMs: number }): number;
  Tally: { create(start: number): Tally };
}

const wasm = root('test/fixtures/trailing-options/assemblyscript/build/trailing-options.wasm');
const specs = {
  wasm: { wasm },
  worker: { wasm, isolation: 'worker' },
  process: {
    command: [process.execPath, root('test/fixtures/process/trailing-options.mjs')],
    world: 'test:trailing-options/trailing-options',
    wit: root('test/fixtures/trailing-options/world.wit'),
  },
} as const;

/** Long enough never to fire: it only shows the options were read. */
const never = 600_000;

describe.each(['wasm', 'worker', 'process'] as const)('trailing options over the %s transport', (transport) => {
  const system = new ActorSystem({ logger: recordingLogger() });
  let node: PluginNode;
  let api: Remote<Options>;
  beforeAll(async () => {
    node = await system.load({ name: `trailing-options-${transport}`, ...specs[transport] });
    api = node.exports<Options>('test:trailing-options/options');
  });
  afterAll(() => system.close());

  it('takes left-out trailing options as none', async () => {
    expect([await api.pick(1), await api.pick(1, 2), await api.pick(1, undefined, 3), await api.pick(1, 2, 3)]).toEqual([1, 2, 3, 3]);
    expect(await api.deadline(4)).toBe(4);
  });

  it('takes branded call options in place of left-out options, and honours them', async () => {
    expect(await api.pick(1, callOptions({ timeoutMs: never }))).toBe(1);
    expect(await api.pick(1, 2, callOptions({ timeoutMs: never }))).toBe(2);
    await expect(api.pick(1, callOptions({ signal: AbortSignal.abort() }))).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('still takes plain call options after every parameter', async () => {
    expect(await api.pick(1, 2, 3, { timeoutMs: never })).toBe(3);
    await expect(api.pick(1, 2, 3, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });

  it('never takes an unbranded object in a parameter\'s place for call options', async () => {
    // A record whose field is called like a call option is the argument.
    expect(await api.deadline(1, { timeoutMs: 7 })).toBe(7);
    expect(await api.deadline(1, callOptions({ timeoutMs: never }))).toBe(1);
    await expect(api.pick(1, { timeoutMs: never } as never)).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT', message: expect.stringMatching(/^b: /) });
  });

  it('refuses to leave out an argument that is not a trailing option', async () => {
    await expect((api.lastRequired as (...a: unknown[]) => Promise<number>)(1)).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT', message: expect.stringMatching(/takes 2 argument/) });
    expect(await api.lastRequired(undefined, 2)).toBe(2);
  });

  it('applies to resource actor methods', async () => {
    const tally = await api.Tally.create(1);
    expect([await tally.add(2), await tally.add(2, 3), await tally.add(1, callOptions({ timeoutMs: never }))]).toEqual([3, 9, 10]);
  });

  it('applies to remoteCall, whose options never count as an argument', async () => {
    expect(await system.remoteCall(node.id, 'pick', [1], { timeoutMs: never })).toBe(1);
    await expect(system.remoteCall(node.id, 'pick', [1], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

describe('trailing options through the sync twin', () => {
  const system = new ActorSystem({ logger: recordingLogger() });
  afterAll(() => system.close());

  it('leaves them out and takes branded options, synchronously', async () => {
    const node = await system.load({ name: 'trailing-options-sync', wasm });
    const api = system.sync(node.exports<Options>('test:trailing-options/options'));
    expect([api.pick(1), api.pick(1, 2), api.pick(1, callOptions()), api.pick(1, 2, 3, {})]).toEqual([1, 2, 1, 3]);
    const tally = system.sync(api.Tally.create(5) as unknown as Remote<Tally>);
    expect(tally.add(1)).toBe(6);
    expect(() => api.pick(1, callOptions({ signal: AbortSignal.abort() }))).toThrowError(expect.objectContaining({ code: 'ERR_ABORTED' }));
  });
});

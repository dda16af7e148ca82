// Links between two inline plugins whose function passes core values through (scalars
// only): the importer calls the target's core export wasm to wasm (docs/linking.md, "Direct
// calls"). Everything a call through JavaScript guarantees still holds: a trap in the target
// is the target's (named, its node ends), a deadline interrupts it, a restart is followed,
// and a stopped target is never called.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { frontSpec, STORE, FRONT, storeSpec, type Front } from './links-fixture.js';

const TRAP = 0xffffffff;
const HANG = 0xfffffffe;

let system: ActorSystem;
afterEach(async () => { await system?.close(); });

async function pair(restart = false) {
  system = new ActorSystem({ logger: recordingLogger() });
  const policy = restart ? { restart: { policy: 'permanent' as const } } : {};
  const kv = await system.load({ ...storeSpec('kv', 'inline'), ...policy });
  const front = await system.load({ ...frontSpec('front', 'inline', kv.exports(STORE)), ...policy });
  return { kv, front, api: front.exports<Front>(FRONT) };
}

describe('direct calls between inline plugins', () => {
  it('carry unsigned values whole, through the async and the sync API', async () => {
    const { api, front } = await pair();
    expect(await api.add(1, 2)).toBe(3);
    expect(await api.add(0x80000000, 5)).toBe(0x80000005);
    const sync = system.sync(front.exports(FRONT)) as unknown as { add(a: number, b: number): number };
    expect(sync.add(0xfffffff0, 0xf)).toBe(0xffffffff);
  });

  it('a trap in the target fails the call naming the target, and ends both plugins with typed reasons', async () => {
    const { api, kv, front } = await pair();
    const failure = await api.add(TRAP, 0).catch((e: unknown) => e);
    expect(isPluginHostError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/failed at plugin kv.*unreachable/) });
    expect((await kv.terminated).reason).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/add trapped/) });
    // Wasm to wasm: no JavaScript of the link ran between the importer's frame and the trap.
    let trap: unknown = failure;
    while (trap instanceof Error && !(trap instanceof WebAssembly.RuntimeError)) trap = trap.cause;
    expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
    expect((trap as Error).stack).toMatch(/wasm/);
    expect((trap as Error).stack).not.toMatch(/linked-interface|core-entry|core-method/);
    expect((await front.terminated).reason).toMatchObject({ code: 'ERR_TRAPPED' });
  });

  it('after a trap, restarted target and importer call each other again (the new incarnation is called)', async () => {
    const { api, kv, front } = await pair(true);
    expect(await api.add(TRAP, 0).catch((e: unknown) => (e as { code: string }).code)).toBe('ERR_TRAPPED');
    await expect.poll(() => kv.incarnation).toBe(2);
    await expect.poll(() => front.incarnation).toBe(2);
    expect(await api.add(20, 22)).toBe(42);
    // The target traps again in its new incarnation: again its own failure, named.
    const failure = await api.add(TRAP, 1).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/failed at plugin kv/) });
    await expect.poll(() => kv.incarnation).toBe(3);
  });

  it('a target looping for ever is interrupted by the caller\'s deadline; both end, the host goes on', async () => {
    const { api, kv, front } = await pair();
    await expect(api.add(HANG, 0, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    expect((await kv.terminated).reason).toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
    expect((await front.terminated).reason).toMatchObject({ code: 'ERR_NODE_INTERRUPTED' });
    const other = await system.load({ ...storeSpec('kv2', 'inline') });
    expect(await other.exports<{ add(a: number, b: number): Promise<number> }>(STORE).add(2, 2)).toBe(4);
  });

  it('a stopped target is not called: the call fails typed, naming the link, as any failed link does in wasm', async () => {
    const { api, kv, front } = await pair();
    expect(await api.add(1, 1)).toBe(2);
    await kv.stop();
    const failure = await api.add(1, 1).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/linked to plugin kv/) });
    expect(failure).not.toMatchObject({ message: expect.stringMatching(/unreachable/) });
    expect((await front.terminated).reason?.code).toBe('ERR_TRAPPED');
  });
});

// Randomised crash injection (bounded by counts, not time): many concurrent calls over
// inline, worker and process plugins under supervision while they are killed, trap, exit
// or hang at random. Every call settles exactly once with a value or a typed error, every
// termination reaches the watchers of its incarnation, every failure is followed by a
// restart, and nothing is left running at the end.
import { describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError, type PluginNode } from '../../../host/index.js';
import { eventually, faultsSpecs, recordingLogger } from '../../helpers.js';

interface Faults { echo(s: string): Promise<string>; trap(): Promise<void>; exit(code: number): Promise<void>; spin(options?: { timeoutMs: number }): Promise<void>; sleep(ms: number): Promise<number> }
// The proxies are used untyped here: `Faults` already spells the promises.

/** A small deterministic generator, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const kinds = ['wasm', 'worker', 'process'] as const;
type Kind = (typeof kinds)[number];

/** What may go wrong with each kind of plugin, and how the test provokes it. */
const faults: Record<Kind, ((api: Faults, node: PluginNode) => Promise<unknown> | void)[]> = {
  wasm: [(api) => api.trap(), (_api, node) => node.kill()],
  worker: [(api) => api.trap(), (_api, node) => node.kill(), (api) => api.spin({ timeoutMs: 30 })],
  process: [(api) => api.exit(3), (_api, node) => node.kill(), (api) => api.spin(), (api) => api.sleep(50)],
};

describe('randomised crash injection', () => {
  it.each([1, 2, 3])('every call settles once, typed; every termination is watched; failures restart; nothing outlives close (seed %i)', async (seed) => {
    const next = random(seed * 7919);
    const system = new ActorSystem({ logger: recordingLogger() });
    const restart = { policy: 'permanent', intensity: 1000, periodMs: 60_000, backoff: { initialMs: 1, maxMs: 5, jitter: 0 } } as const;
    const nodes = new Map<Kind, PluginNode>();
    const watched = new Set<string>();
    const terminatedIds: string[] = [];
    const pids = new Set<number>();
    const watchCurrent = (node: PluginNode) => {
      const id = String(node.id);
      system.watch(node.id, () => watched.add(id));
      if (node.pid !== undefined) pids.add(node.pid);
    };
    system.on('terminated', (t) => terminatedIds.push(`${t.node}@${t.incarnation}/0`));
    let restarts = 0;
    system.on('restarted', (e) => { restarts++; watchCurrent(e.plugin); });
    for (const kind of kinds) {
      const node = await system.load({ name: `chaos-${kind}`, ...faultsSpecs[kind], restart, ...(kind === 'process' ? { health: { intervalMs: 20, timeoutMs: 200 } } : {}) });
      nodes.set(kind, node);
      watchCurrent(node);
    }

    const settled: number[] = [];
    const outcomes: unknown[] = [];
    const calls: Promise<void>[] = [];
    const track = (p: Promise<unknown>) => {
      const i = settled.push(0) - 1;
      calls.push(p.then((v) => { settled[i]!++; outcomes[i] = v; }, (e: unknown) => { settled[i]!++; outcomes[i] = e; }));
    };
    let injected = 0;
    for (let round = 0; round < 40; round++) {
      for (const kind of kinds) {
        const node = nodes.get(kind)!;
        const api = node.exports() as unknown as Faults;
        for (let i = 0; i < 3; i++) track(api.echo(`${kind} ${round} ${i}`));
        if (next() < 0.25) {
          const fault = faults[kind][Math.floor(next() * faults[kind].length)]!;
          injected++;
          try {
            const r = fault(api, node);
            if (r) track(r);
          } catch (e) {
            // kill() of an incarnation that is already gone: typed, and nothing to wait for.
            expect(isPluginHostError(e), String(e)).toBe(true);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 1 + Math.floor(next() * 10)));
    }
    await Promise.all(calls);
    expect(settled.every((n) => n === 1)).toBe(true);
    for (const o of outcomes) if (o instanceof Error) expect(isPluginHostError(o), `${o.name}: ${o.message}`).toBe(true);
    expect(injected).toBeGreaterThan(5);

    await system.close();
    await new Promise((r) => setTimeout(r, 0));
    // Every incarnation that ended told the watchers of its root actor.
    for (const id of terminatedIds) expect(watched.has(id), id).toBe(true);
    // Failures (not the host's own stops at close) were each followed by a restart; a
    // plugin caught restarting by close() ends without one more termination.
    expect(restarts).toBeGreaterThan(0);
    expect(restarts).toBeLessThanOrEqual(terminatedIds.length);
    expect(restarts).toBeGreaterThanOrEqual(terminatedIds.length - kinds.length);
    for (const node of nodes.values()) expect(node.state).toBe('stopped');
    // A killed process may linger a moment until it is reaped.
    const running = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    await eventually(() => [...pids].every((pid) => !running(pid)), 10_000);
  }, 120_000);
});

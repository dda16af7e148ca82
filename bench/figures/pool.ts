/**
 * Pools use every core: a CPU-bound call (sized to about 1 ms of guest work) through a pool
 * of 2 against one instance of the same plugin, for process and worker plugins, many calls
 * in flight. The ratio is time per call (pool / one instance); a throughput gain of 1.7× is
 * a ratio of 0.59.
 */
import { ActorSystem } from '../../host/index.js';
import { comparePerCall, figure, scaled, type Figure } from '../measure.js';
import { benchNodePlugin, benchWasm, quietLogger } from '../paths.js';

type Work = { work(rounds: number): number };
type RemoteWork = { work(rounds: number): Promise<number> };

const IN_FLIGHT = 16;
const BATCHES = 4;

/**
 * Rounds that make one call take about `ms` on one instance. A JavaScript guest speeds up
 * as V8 optimises it, so warm it first and keep adjusting until three calls in a row land
 * within 15 % of the target.
 */
async function calibrate(api: RemoteWork, ms: number): Promise<number> {
  for (let i = 0; i < 20; i++) await api.work(100_000);
  let rounds = 100_000;
  let close = 0;
  for (let i = 0; i < 60 && close < 3; i++) {
    const start = performance.now();
    await api.work(rounds);
    const took = performance.now() - start;
    close = Math.abs(took - ms) < 0.15 * ms ? close + 1 : 0;
    rounds = Math.min(0xffff_ffff, Math.max(1000, Math.round(rounds * (ms / Math.max(took, 0.01)))));
  }
  return rounds;
}

export async function poolFigures(): Promise<Figure[]> {
  const system = new ActorSystem({ logger: quietLogger });
  const out: Figure[] = [];
  try {
    for (const [kind, spec] of [
      ['process', { command: [process.execPath, benchNodePlugin] }],
      ['worker', { wasm: benchWasm, isolation: 'worker' as const }],
    ] as const) {
      const one = (await system.load({ name: `one-${kind}`, ...spec })).exports<Work>('bench:calls/api');
      const pool = (await system.load({ name: `pool-${kind}`, ...spec, instances: 2 })).exports<Work>('bench:calls/api');
      const rounds = await calibrate(one, 1);
      const batch = (api: RemoteWork) => async () => {
        for (let b = 0; b < BATCHES; b++) await Promise.all(Array.from({ length: IN_FLIGHT }, () => api.work(rounds)));
      };
      const m = await comparePerCall({ n: IN_FLIGHT * BATCHES, repetitions: 7 }, batch(one), batch(pool));
      out.push(figure(`pool of 2 ${kind} plugins: CPU-bound call (~1 ms), ${IN_FLIGHT} in flight, vs one instance`, 'µs/call',
        scaled(m, 1 / 1000), '≤ 0.59× (≥ 1.7× throughput)'));
    }
  } finally {
    await system.close();
  }
  return out;
}

/** Wasm in a worker: calls through the actor API against a raw SharedArrayBuffer + Atomics round trip. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ActorSystem, type ResourceActor } from '../../host/index.js';
import { extractCoreModules } from '../core-modules.js';
import { compareSamples, comparePerCall, figure, scaled, type Figure } from '../measure.js';
import { benchWasm, quietLogger, repo } from '../paths.js';
import { startRawWorker } from '../raw/raw-worker.js';
import { startSabEcho } from '../raw/sab-echo.js';

interface Counter extends ResourceActor {
  increment(by: number): number;
}

export async function workerFigures(): Promise<Figure[]> {
  const raw = startSabEcho(repo('dist/bench/raw/sab-echo-worker.js'));
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const node = await system.load({ name: 'bench-worker', wasm: new Uint8Array(await readFile(benchWasm)), isolation: 'worker' });
    const api = node.exports<{ greet(n: string): string; sum(v: Uint32Array): bigint; Counter: { create(n: number): Counter } }>();
    const counter = await api.Counter.create(0);
    const list = Uint32Array.from({ length: 100 }, (_, i) => i);
    const greetBytes = new Uint8Array(9);
    const listBytes = new Uint8Array(8 + 400);
    const n = 3000;
    const us = (m: Parameters<typeof scaled>[0]) => scaled(m, 1 / 1000);
    return [
      await workerLoadFigure(system),
      figure('worker wasm: greet("world")', 'µs/call', us(await comparePerCall({ n },
        async () => { for (let i = 0; i < n; i++) await raw.roundTrip(greetBytes); },
        async () => { for (let i = 0; i < n; i++) await api.greet('world'); })), '≤ 1.5× raw round trip'),
      figure('worker wasm: counter.increment(1)', 'µs/call', us(await comparePerCall({ n },
        async () => { for (let i = 0; i < n; i++) await raw.roundTrip(greetBytes); },
        async () => { for (let i = 0; i < n; i++) await counter.increment(1); })), '≤ 1.5× raw round trip'),
      figure('worker wasm: sum(list<u32> of 100)', 'µs/call', us(await comparePerCall({ n },
        async () => { for (let i = 0; i < n; i++) await raw.roundTrip(listBytes); },
        async () => { for (let i = 0; i < n; i++) await api.sum(list); })), '≤ 1.5× raw round trip'),
    ];
  } finally {
    await raw.close();
    await system.close();
  }
}

/**
 * Loading a worker plugin (from spec to ready) against starting a raw Worker that compiles
 * and instantiates the same core modules. The host has compiled the component before (as
 * for any pool member or restart after the first): what is left is the worker's own start.
 */
async function workerLoadFigure(system: ActorSystem): Promise<Figure> {
  const work = await mkdtemp(join(tmpdir(), 'plugin-actors-worker-'));
  try {
    await extractCoreModules(benchWasm, work);
    const coreModules = await Promise.all((await readdir(work)).sort().map(async (f) => new Uint8Array(await readFile(join(work, f)))));
    const bytes = new Uint8Array(await readFile(benchWasm));
    const script = repo('dist/bench/raw/compile-worker.js');
    let n = 0;
    const ours = async () => {
      const start = performance.now();
      const node = await system.load({ name: `load-${n++}`, wasm: bytes, isolation: 'worker' });
      const ms = performance.now() - start;
      await node.stop();
      return ms;
    };
    const raw = async () => {
      const start = performance.now();
      const worker = await startRawWorker(script, coreModules);
      const ms = performance.now() - start;
      await worker.terminate();
      return ms;
    };
    await raw();
    await ours();
    return figure('worker: plugin load (spec to ready), vs a raw Worker that compiles + instantiates the core modules', 'ms',
      await compareSamples(11, raw, ours), '≤ 1.5× raw worker');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

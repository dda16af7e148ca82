/** Inline wasm: calls through the actor API against hand-lowered calls of the same core exports. */
import { readFile } from 'node:fs/promises';
import { ActorSystem, type ResourceActor } from '../../host/index.js';
import { comparePerCall, figure, type Figure } from '../measure.js';
import { handLowered } from '../raw/hand-lowered.js';
import { benchWasm, quietLogger } from '../paths.js';

interface Counter extends ResourceActor {
  increment(by: number): number;
}

interface BenchApi {
  greet(name: string): string;
  sum(values: Uint32Array): bigint;
  Counter: { create(start: number): Counter };
}

export async function inlineFigures(): Promise<Figure[]> {
  const bytes = new Uint8Array(await readFile(benchWasm));
  const raw = await handLowered(bytes);
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const api = (await system.load({ name: 'bench-inline', wasm: bytes })).exports<BenchApi>();
    const syncApi = system.sync(api);
    const n = 20_000;
    const list = Uint32Array.from({ length: 100 }, (_, i) => i * 3);
    const counter = await api.Counter.create(0);
    const rep = raw.newCounter(0);
    const syncCounter = system.sync(counter);
    return [
      figure('inline wasm: greet("world")', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.greet('world'); },
        async () => { for (let i = 0; i < n; i++) await api.greet('world'); }), '≤ 2× raw'),
      figure('inline wasm: counter.increment(1)', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.increment(rep, 1); },
        async () => { for (let i = 0; i < n; i++) await counter.increment(1); }), '≤ 2× raw (see the next row)'),
      // No promise-returning API can be cheaper than the call plus the one await its caller writes.
      figure('inline wasm: counter.increment(1), vs a raw call + one await', 'ns/call', await comparePerCall({ n },
        async () => { for (let i = 0; i < n; i++) await raw.increment(rep, 1); },
        async () => { for (let i = 0; i < n; i++) await counter.increment(1); }), '≤ 1.1× raw + await'),
      figure('inline wasm: sum(list<u32> of 100)', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.sum(list); },
        async () => { for (let i = 0; i < n; i++) await api.sum(list); }), '≤ 2× raw'),
      figure('inline wasm, sync twin: greet("world")', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.greet('world'); },
        () => { for (let i = 0; i < n; i++) syncApi.greet('world'); }), '≤ 2× raw'),
      figure('inline wasm, sync twin: counter.increment(1)', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.increment(rep, 1); },
        () => { for (let i = 0; i < n; i++) syncCounter.increment(1); }), '≤ 1.3× raw'),
      figure('inline wasm, sync twin: sum(list<u32> of 100)', 'ns/call', await comparePerCall({ n },
        () => { for (let i = 0; i < n; i++) raw.sum(list); },
        () => { for (let i = 0; i < n; i++) syncApi.sum(list); }), '≤ 2× raw'),
    ];
  } finally {
    await system.close();
  }
}

/** Wasm in a worker: calls through the actor API against a raw SharedArrayBuffer + Atomics round trip. */
import { readFile } from 'node:fs/promises';
import { ActorSystem, type ResourceActor } from '../../host/index.js';
import { comparePerCall, figure, type Figure } from '../measure.js';
import { benchWasm, quietLogger, repo } from '../paths.js';
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
    const us = (m: { value: number; baseline: number }) => ({ value: m.value / 1000, baseline: m.baseline / 1000 });
    return [
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

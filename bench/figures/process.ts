/** Subprocess plugins: calls through the actor API against a raw echo child with the same framing. */
import { ActorSystem } from '../../host/index.js';
import { comparePerCall, figure, type Figure } from '../measure.js';
import { benchNodePlugin, quietLogger, repo } from '../paths.js';
import { startEchoChild } from '../raw/echo-client.js';

export async function processFigures(): Promise<Figure[]> {
  const echo = await startEchoChild(repo('dist/bench/raw/echo-child.js'));
  const corked = await startEchoChild(repo('dist/bench/raw/echo-child.js'), 'corked');
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const api = (await system.load({ name: 'bench-process', command: [process.execPath, benchNodePlugin] })).exports<{ greet(n: string): string }>();
    const sequential = 3_000;
    const inFlight = 64;
    const batches = 100;
    return [
      figure('process: greet("world"), 1 in flight', 'µs/call', scale(await comparePerCall({ n: sequential, repetitions: 11 },
        async () => { for (let i = 0; i < sequential; i++) await echo.roundTrip(); },
        async () => { for (let i = 0; i < sequential; i++) await api.greet('world'); })), '≤ 1.5× raw echo'),
      figure('process: greet("world"), 64 in flight', 'µs/call', scale(await comparePerCall({ n: inFlight * batches },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => echo.roundTrip())); },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => api.greet('world'))); })), '≤ 2× raw echo'),
      figure('process: greet("world"), 64 in flight, vs a raw echo writing each frame (the framing before)', 'µs/call', scale(await comparePerCall({ n: inFlight * batches },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => corked.roundTrip())); },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => api.greet('world'))); })), 'for comparison'),
    ];
  } finally {
    echo.close();
    corked.close();
    await system.close();
  }
}

function scale(m: { value: number; baseline: number }): { value: number; baseline: number } {
  return { value: m.value / 1000, baseline: m.baseline / 1000 };
}

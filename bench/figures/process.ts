/** Subprocess plugins: calls through the actor API against a raw echo child with the same framing. */
import { ActorSystem } from '../../host/index.js';
import { compareSamples, comparePerCall, figure, scaled, type Figure } from '../measure.js';
import { benchNodePlugin, quietLogger, repo } from '../paths.js';
import { startEchoChild } from '../raw/echo-client.js';

/** Host CPU time (user + system, µs) per operation of `batch`, which performs `n`. */
async function cpuPerOp(n: number, batch: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await batch();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export async function processFigures(): Promise<Figure[]> {
  const echo = await startEchoChild(repo('dist/bench/raw/echo-child.js'));
  const corked = await startEchoChild(repo('dist/bench/raw/echo-child.js'), 'corked');
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const api = (await system.load({ name: 'bench-process', command: [process.execPath, benchNodePlugin] })).exports<{ greet(n: string): string }>();
    const sequential = 3_000;
    const inFlight = 64;
    const batches = 100;
    const us = (m: Parameters<typeof scaled>[0]) => scaled(m, 1 / 1000);
    const manyRaw = async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => echo.roundTrip())); };
    const manyOurs = async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => api.greet('world'))); };
    const figures = [
      figure('process: greet("world"), 1 in flight', 'µs/call', us(await comparePerCall({ n: sequential, repetitions: 11 },
        async () => { for (let i = 0; i < sequential; i++) await echo.roundTrip(); },
        async () => { for (let i = 0; i < sequential; i++) await api.greet('world'); })), '≤ 1.5× raw echo'),
      figure('process: greet("world"), 64 in flight', 'µs/call', us(await comparePerCall({ n: inFlight * batches, repetitions: 9 },
        manyRaw, manyOurs)), '≤ 1.15× raw echo'),
      figure('process: host CPU per call, 64 in flight, vs the raw echo client', 'µs/call', await compareSamples(9,
        () => cpuPerOp(inFlight * batches, manyRaw), () => cpuPerOp(inFlight * batches, manyOurs)), '≤ 1.5× raw echo client'),
      figure('process: greet("world"), 64 in flight, vs a raw echo writing each frame (the framing before)', 'µs/call', us(await comparePerCall({ n: inFlight * batches },
        async () => { for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: inFlight }, () => corked.roundTrip())); },
        manyOurs)), 'for comparison'),
    ];
    return figures;
  } finally {
    echo.close();
    corked.close();
    await system.close();
  }
}

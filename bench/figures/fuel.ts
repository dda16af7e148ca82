/**
 * What interruptible inline guests cost (fuel checks, host/component/fuel.ts): the same
 * component loaded with `interruptible: false` is the baseline, interleaved in the same run.
 * `work` is the benchmark plugin's tight integer loop; `greet` a small call (the checks at
 * function entries and the budget wrapper on the call path); the last row is a bare loop
 * of five instructions in a core module, instrumented against the same module as it is.
 */
import { readFile } from 'node:fs/promises';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { ActorSystem } from '../../host/index.js';
import { FUEL_IMPORT_MODULE, withFuelChecks } from '../../host/component/fuel.js';
import { unlimitedRefuel } from '../../host/component/interrupt.js';
import { comparePerCall, figure, scaled, type Figure } from '../measure.js';
import { benchWasm, quietLogger } from '../paths.js';

interface BenchApi {
  greet(name: string): string;
  work(rounds: number): number;
}

const LOOP = `(module
  (func (export "count") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $acc)))`;

async function loopExport(bytes: Uint8Array): Promise<(n: number) => number> {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module, { [FUEL_IMPORT_MODULE]: { refuel: unlimitedRefuel } });
  return instance.exports.count as (n: number) => number;
}

export async function fuelFigures(): Promise<Figure[]> {
  const bytes = new Uint8Array(await readFile(benchWasm));
  const system = new ActorSystem({ logger: quietLogger });
  try {
    const load = async (name: string, interruptible: boolean) =>
      system.sync((await system.load({ name, wasm: bytes, interruptible })).exports<BenchApi>('bench:calls/api'));
    const [fueled, plain] = [await load('bench-fuel', true), await load('bench-plain', false)];
    const core = await parse(LOOP);
    const [fueledLoop, plainLoop] = [await loopExport(withFuelChecks(core)), await loopExport(core)];
    const rounds = 100_000;
    return [
      figure('interruptible inline wasm: work(100 000), vs interruptible: false', 'µs/call', scaled(await comparePerCall({ n: 100, repetitions: 9 },
        () => { for (let i = 0; i < 100; i++) plain.work(rounds); },
        () => { for (let i = 0; i < 100; i++) fueled.work(rounds); }), 1e-3), '≤ 1.15×'),
      figure('interruptible inline wasm: greet("world"), vs interruptible: false', 'ns/call', await comparePerCall({ n: 20_000, repetitions: 9 },
        () => { for (let i = 0; i < 20_000; i++) plain.greet('world'); },
        () => { for (let i = 0; i < 20_000; i++) fueled.greet('world'); }), '≤ 1.15×'),
      figure('fuel checks: a 5-instruction loop, 1 000 000 rounds (core module)', 'µs/call', scaled(await comparePerCall({ n: 20, repetitions: 9 },
        () => { for (let i = 0; i < 20; i++) plainLoop(1_000_000); },
        () => { for (let i = 0; i < 20; i++) fueledLoop(1_000_000); }), 1e-3), '≤ 1.15×'),
    ];
  } finally {
    await system.close();
  }
}

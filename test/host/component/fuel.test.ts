// The fuel rewrite (host/component/fuel.ts): instrumented modules validate and compute what
// the originals compute — hand-written modules for each construct the rewrite renumbers,
// generated programs whose loops are all bounded by counters (so every run terminates),
// and the core modules of this repository's built components (they must validate).
import { readFileSync } from 'node:fs';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseComponent } from '../../../host/component/binary/parse.js';
import type { Definition } from '../../../host/component/binary/ast.js';
import { FUEL_GRANT, FUEL_IMPORT_MODULE, withFuelChecks } from '../../../host/component/fuel.js';
import { withImportedMemories } from '../../../host/component/memory-limit.js';

type Exports = Record<string, (...a: number[]) => number>;

/**
 * Every other refuel grants nothing (a loop then takes the refuel path twice in a row), and
 * the thousandth throws: a rewrite that broke a loop's exit fails the test instead of hanging it.
 */
function testRefuel(): () => number {
  let calls = 0;
  return () => {
    if (++calls > 1000) throw new Error('refuel was called a thousand times');
    return calls % 2 === 0 ? 0 : FUEL_GRANT;
  };
}

async function run(bytes: Uint8Array, calls: [string, ...number[]][]): Promise<unknown[]> {
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  let seen = 0;
  const imports = {
    host: { twice: (x: number) => 2 * x, count: () => ++seen },
    [FUEL_IMPORT_MODULE]: { refuel: testRefuel() },
  };
  const exports = new WebAssembly.Instance(module, imports).exports as Exports;
  return calls.map(([name, ...args]) => {
    try {
      return exports[name]!(...args);
    } catch (e) {
      return `threw ${(e as Error).constructor.name}`;
    }
  });
}

async function same(wat: string, calls: [string, ...number[]][]): Promise<void> {
  const original = await parse(wat);
  const instrumented = withFuelChecks(original);
  // Compiling says why when a module is invalid.
  await WebAssembly.compile(original as Uint8Array<ArrayBuffer>);
  await WebAssembly.compile(instrumented as Uint8Array<ArrayBuffer>);
  expect(WebAssembly.validate(instrumented as Uint8Array<ArrayBuffer>)).toBe(true);
  expect(await run(instrumented, calls)).toEqual(await run(original, calls));
}

describe('fuel instrumentation keeps what modules compute', () => {
  it('loops with results and parameters, branches out of nested loops, br_table across loops', async () => {
    await same(`(module
      (type $pair (func (param i32 i32) (result i32)))
      (func (export "sum") (param $n i32) (result i32) (local $acc i32)
        (block $done
          (loop $more
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $acc (i32.add (local.get $acc) (local.get $n)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $more)))
        (local.get $acc))
      (func (export "result-loop") (param $n i32) (result i32)
        (loop $l (result i32)
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get $n) (i32.const 3)))
          (i32.mul (local.get $n) (i32.const 7))))
      (func (export "param-loop") (param $n i32) (result i32)
        (i32.const 0)
        (loop $l (param i32) (result i32)
          (i32.add (local.get $n))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get $n) (i32.const 0)) (local.tee 0 (local.get 0)) (drop))
          ))
      (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $acc i32)
        (block $out
          (loop $outer
            (local.set $j (i32.const 0))
            (loop $inner
              (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $j))))
              (br_if $out (i32.gt_u (local.get $acc) (i32.const 5000)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
        (local.get $acc))
      (func (export "table") (param $n i32) (result i32) (local $acc i32)
        (block $a (block $b (block $c
          (loop $l
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_table $l $a $b $c (i32.and (local.get $n) (i32.const 3)))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 100))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1000))))
        (local.get $acc))
      (func (export "typed") (param i32) (result i32)
        (local.get 0) (i32.const 3)
        (block (type $pair) (i32.add))))`,
    [['sum', 0], ['sum', 10], ['sum', 1_000_000], ['result-loop', 20], ['param-loop', 5], ['nested', 4], ['nested', 40],
      ['table', 1], ['table', 2], ['table', 7], ['table', 12], ['typed', 4]]);
  });

  it('function indices shift: calls, imports, exports, ref.func in globals and elements, the start function', async () => {
    await same(`(module
      (import "host" "twice" (func $twice (param i32) (result i32)))
      (import "host" "count" (func $count (result i32)))
      (type $un (func (param i32) (result i32)))
      (table 4 funcref)
      (global $g (mut i32) (i32.const 0))
      (global $f funcref (ref.func $inc))
      (elem (i32.const 0) $inc $twice $dbl)
      (elem declare func $dbl)
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (param i32) (result i32) (call $twice (local.get 0)))
      (func $start (global.set $g (i32.const 5)))
      (start $start)
      (func (export "indirect") (param $i i32) (param $x i32) (result i32)
        (call_indirect (type $un) (local.get $x) (local.get $i)))
      (func (export "global") (result i32) (global.get $g))
      (func $fact (export "fact") (param $n i32) (result i32)
        (if (result i32) (i32.le_s (local.get $n) (i32.const 1))
          (then (i32.const 1))
          (else (i32.mul (local.get $n) (call $fact (i32.sub (local.get $n) (i32.const 1)))))))
      (func $tail (export "tail") (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n)) (then (call $count))
          (else (return_call $tail (i32.sub (local.get $n) (i32.const 1))))))
      (func (export "ref") (result i32) (ref.is_null (ref.func $dbl))))`,
    [['indirect', 0, 5], ['indirect', 1, 5], ['indirect', 2, 5], ['indirect', 3, 5], ['global'], ['fact', 10], ['tail', 100_000], ['tail', 3], ['ref']]);
  });

  it('exception handling: try/catch_all inside and around loops, delegate, rethrow', async () => {
    await same(`(module
      (tag $e (param i32))
      (func $thrower (param i32) (throw $e (local.get 0)))
      (func (export "caught") (param $n i32) (result i32) (local $acc i32)
        loop $l
          try
            (call $thrower (local.get $n))
          catch $e
            (local.set $acc (i32.add (local.get $acc)))
          end
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))
        end
        (local.get $acc))
      (func (export "around") (param $n i32) (result i32)
        try (result i32)
          loop $l
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.gt_s (local.get $n) (i32.const 2)))
          end
          (call $thrower (local.get $n))
          (i32.const -1)
        catch_all
          (i32.const 77)
        end)
      (func (export "delegated") (param $n i32) (result i32)
        try (result i32)
          loop $l (result i32)
            try
              (call $thrower (local.get $n))
            delegate 1
            (i32.const 0)
          end
        catch $e
        end)
      (func (export "rethrown") (param $n i32) (result i32)
        try (result i32)
          try
            loop $l (call $thrower (local.get $n)) end
          catch_all
            rethrow 0
          end
          (i32.const 0)
        catch $e
        end))`,
    [['caught', 5], ['around', 10], ['delegated', 9], ['rethrown', 4]]);
  });

  it('generated programs with bounded loops compute the same values', async () => {
    await fc.assert(fc.asyncProperty(program(), fc.integer({ min: 0, max: 50 }), async (body, arg) => {
      await same(`(module
        (func $helper (param i32) (result i32) (i32.xor (local.get 0) (i32.const 0x5a5a)))
        (func (export "f") (param $x i32) (result i32) (local $acc i32) (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
          (local.set $acc (local.get $x))
          (block ${body})
          (local.get $acc)))`, [['f', arg]]);
    }), { numRuns: 40 });
  });

  it('the core modules of the built components validate once instrumented', async () => {
    const files = [
      'test/fixtures/faults/assemblyscript/build/faults.wasm', 'test/fixtures/faults/rust/build/faults.wasm',
      'test/fixtures/wasi/assemblyscript/build/wasi.wasm', 'examples/greeter/rust/build/greeter.wasm',
      'test/fixtures/links/assemblyscript/loop/build/loop.wasm', 'examples/pipeline/assemblyscript/build/notes.wasm',
    ];
    let modules = 0;
    for (const file of files) {
      const collect = (defs: readonly Definition[]) => {
        for (const d of defs) {
          if (d.kind === 'core module') {
            const instrumented = withFuelChecks(withImportedMemories(d.bytes));
            expect(WebAssembly.validate(instrumented as Uint8Array<ArrayBuffer>), file).toBe(true);
            modules++;
          } else if (d.kind === 'component') collect(d.body);
        }
      };
      collect(parseComponent(readFileSync(new URL(`../../../${file}`, import.meta.url))));
    }
    expect(modules).toBeGreaterThan(files.length);
  });

  it('refuses modules it cannot read rather than run them uninstrumented', async () => {
    const bytes = await parse('(module (func (export "f") (result i32) (i32.const 1)))');
    const broken = new Uint8Array(bytes);
    // The body's i32.const opcode becomes one no proposal defines.
    broken[broken.lastIndexOf(0x41)] = 0xf0;
    expect(() => withFuelChecks(broken)).toThrow(expect.objectContaining({ code: 'ERR_COMPONENT_UNSUPPORTED' }));
  });
});

/**
 * Statements over $acc. Loops run only through the `br_if` at their end, guarded by a counter
 * local (set before the loop, decremented each time round; a loop nested in one with the
 * same counter leaves it at 0), so each runs at most 4 times per entry. Every other branch
 * has depth 0 and a loop's body is a block, so those branches all go forward.
 */
function program(): fc.Arbitrary<string> {
  const { stmts } = fc.letrec<{ stmts: string; stmt: string }>((tie) => ({
    stmts: fc.array(tie('stmt'), { minLength: 1, maxLength: 4 }).map((s) => s.join('\n')),
    stmt: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -1000, max: 1000 }).map((k) => `(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.const ${k})))`),
      fc.constant('(local.set $acc (call $helper (local.get $acc)))'),
      fc.constant('(br_if 0 (i32.and (local.get $acc) (i32.const 1)))'),
      tie('stmts').map((s) => `(block ${s})`),
      tie('stmts').map((s) => `(if (i32.and (local.get $acc) (i32.const 2)) (then ${s}) (else (local.set $acc (i32.sub (local.get $acc) (i32.const 3)))))`),
      fc.tuple(tie('stmts'), fc.integer({ min: 0, max: 3 })).map(([s, level]) => `
        (local.set $c${level} (i32.const 4))
        (loop $l${level}
          (block ${s})
          (local.set $c${level} (i32.sub (local.get $c${level}) (i32.const 1)))
          (br_if $l${level} (i32.gt_s (local.get $c${level}) (i32.const 0))))`),
      tie('stmts').map((s) => `(block $b (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br_table $b 0 (i32.and (local.get $acc) (i32.const 1))) ${s})`),
    ),
  }));
  return stmts;
}

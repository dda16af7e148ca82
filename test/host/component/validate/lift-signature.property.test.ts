// Property: for random component function types, a core function with the signature the
// Canonical ABI flattens the type to loads, and one with any single difference is refused.
// The flattening here is written from CanonicalABI.md ("Flattening"), independently of the
// host's layout code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectInvalid, validation } from '../../../support/components.js';

type Core = 'i32' | 'i64' | 'f32' | 'f64';
interface Gen { readonly wat: string; readonly flat: readonly Core[] }

const CORE_TYPES: readonly Core[] = ['i32', 'i64', 'f32', 'f64'];

function join(a: Core, b: Core): Core {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/** A variant's flat form: the discriminant, then the payloads joined position by position. */
function variantFlat(payloads: readonly (readonly Core[] | undefined)[]): Core[] {
  const joined: Core[] = [];
  for (const p of payloads) p?.forEach((t, i) => { joined[i] = i < joined.length ? join(joined[i]!, t) : t; });
  return ['i32', ...joined];
}

const PRIMS: Record<string, Core[]> = {
  bool: ['i32'], s8: ['i32'], u8: ['i32'], s16: ['i32'], u16: ['i32'], s32: ['i32'], u32: ['i32'], char: ['i32'],
  s64: ['i64'], u64: ['i64'], f32: ['f32'], f64: ['f64'], string: ['i32', 'i32'],
};

const labels = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `"${prefix}${i}"`);

const valueType: fc.Arbitrary<Gen> = fc.letrec<{ t: Gen }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...Object.keys(PRIMS)).map((p) => ({ wat: p, flat: PRIMS[p]! })),
    tie('t').map((e) => ({ wat: `(list ${e.wat})`, flat: ['i32', 'i32'] as Core[] })),
    fc.tuple(tie('t'), fc.integer({ min: 1, max: 4 })).map(([e, n]) => ({ wat: `(list ${e.wat} ${n})`, flat: Array.from({ length: n }, () => e.flat).flat() })),
    tie('t').map((e) => ({ wat: `(option ${e.wat})`, flat: variantFlat([undefined, e.flat]) })),
    fc.tuple(fc.option(tie('t')), fc.option(tie('t'))).map(([ok, err]) => ({
      wat: `(result${ok ? ` ${ok.wat}` : ''}${err ? ` (error ${err.wat})` : ''})`,
      flat: variantFlat([ok?.flat, err?.flat]),
    })),
    fc.array(tie('t'), { minLength: 1, maxLength: 3 }).map((ts) => ({ wat: `(tuple ${ts.map((t) => t.wat).join(' ')})`, flat: ts.flatMap((t) => t.flat) })),
    fc.array(tie('t'), { minLength: 1, maxLength: 3 }).map((ts) => ({
      wat: `(record ${ts.map((t, i) => `(field "f${i}" ${t.wat})`).join(' ')})`, flat: ts.flatMap((t) => t.flat),
    })),
    fc.array(fc.option(tie('t')), { minLength: 1, maxLength: 4 }).map((cs) => ({
      wat: `(variant ${cs.map((c, i) => `(case "c${i}"${c ? ` ${c.wat}` : ''})`).join(' ')})`, flat: variantFlat(cs.map((c) => c?.flat)),
    })),
    fc.integer({ min: 1, max: 5 }).map((n) => ({ wat: `(enum ${labels(n, 'e').join(' ')})`, flat: ['i32'] as Core[] })),
    fc.integer({ min: 1, max: 32 }).map((n) => ({ wat: `(flags ${labels(n, 'g').join(' ')})`, flat: ['i32'] as Core[] })),
  ),
})).t;

const funcType = fc.record({ params: fc.array(valueType, { maxLength: 6 }), result: fc.option(valueType) });

/** The core signature `canon lift` requires (CanonicalABI.md `flatten_functype`, 'lift'). */
function liftSignature(f: { params: Gen[]; result: Gen | null }): { params: Core[]; results: Core[] } {
  const params = f.params.flatMap((p) => p.flat);
  const results = f.result ? [...f.result.flat] : [];
  return { params: params.length > 16 ? ['i32'] : params, results: results.length > 1 ? ['i32'] : results };
}

function componentFor(f: { params: Gen[]; result: Gen | null }, core: { params: Core[]; results: Core[] }): string {
  const coreParams = core.params.length ? `(param ${core.params.join(' ')})` : '';
  const coreResults = core.results.length ? `(result ${core.results.join(' ')})` : '';
  const params = f.params.map((p, i) => `(param "p${i}" ${p.wat})`).join(' ');
  const result = f.result ? `(result ${f.result.wat})` : '';
  // Lifted, not exported: whether its types have names is another rule's business.
  return `(component
    (core module $m
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
      (func (export "f") ${coreParams} ${coreResults} unreachable))
    (core instance $i (instantiate $m))
    (func ${params} ${result}
      (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`;
}

/** Every signature that differs from `s` in exactly one place. */
function singleMismatch(s: { params: Core[]; results: Core[] }): fc.Arbitrary<{ params: Core[]; results: Core[] }> {
  const replace = (list: Core[], i: number, t: Core) => list.map((x, j) => (j === i ? t : x));
  const options: fc.Arbitrary<{ params: Core[]; results: Core[] }>[] = [
    fc.tuple(fc.nat(s.params.length), fc.constantFrom(...CORE_TYPES)).map(([i, t]) => ({ params: [...s.params.slice(0, i), t, ...s.params.slice(i)], results: s.results })),
    fc.constantFrom(...CORE_TYPES).map((t) => ({ params: s.params, results: [...s.results, t] })),
  ];
  if (s.params.length > 0) {
    options.push(fc.nat(s.params.length - 1).map((i) => ({ params: s.params.filter((_, j) => j !== i), results: s.results })));
    options.push(fc.tuple(fc.nat(s.params.length - 1), fc.constantFrom(...CORE_TYPES))
      .filter(([i, t]) => s.params[i] !== t)
      .map(([i, t]) => ({ params: replace(s.params, i, t), results: s.results })));
  }
  if (s.results.length > 0) {
    options.push(fc.constant({ params: s.params, results: [] }));
    options.push(fc.constantFrom(...CORE_TYPES).filter((t) => t !== s.results[0]).map((t) => ({ params: s.params, results: [t] })));
  }
  return fc.oneof(...options);
}

describe('validation: core signatures of lifted functions (property)', () => {
  it('loads the matching core signature and refuses every single mismatch', async () => {
    await fc.assert(fc.asyncProperty(
      funcType.chain((f) => singleMismatch(liftSignature(f)).map((wrong) => ({ f, wrong }))),
      async ({ f, wrong }) => {
        const right = componentFor(f, liftSignature(f));
        const e = await validation(right);
        expect(e, `${e?.message}\n${right}`).toBeUndefined();
        await expectInvalid(componentFor(f, wrong), 'canon/lift-signature');
      },
    ), { numRuns: 150 });
  });
});

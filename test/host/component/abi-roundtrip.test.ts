// The host's Canonical ABI code, without a guest: lower a value and lift it back, flat and
// through memory, for types components rarely show (>32 flags, >256 variant cases).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignOf, flatten, sizeOf } from '../../../common/abi/layout.js';
import { Emitter } from '../../../host/component/canon/emitter.js';
import { HandleOps } from '../../../host/component/canon/handle-ops.js';
import { MemoryView } from '../../../host/component/canon/runtime.js';
import { ValueCodegen } from '../../../host/component/canon/values.js';
import { HandleTable } from '../../../host/component/runtime/resources.js';
import { parseWitSource } from '../../../common/wit/load.js';
import type { Type } from '../../../common/wit/model.js';
import { arbitraryFor } from '../../support/arbitrary.js';

const flags = Array.from({ length: 40 }, (_, i) => `flag${i}`).join(', ');
const cases = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `c${i}(u${i % 2 ? 64 : 8})` : `c${i}`)).join(', ');
const iface = parseWitSource(`package t:abi; interface i {
  flags wide { ${flags} }
  variant many-cases { ${cases} }
  record mixed { w: wide, v: many-cases, s: string, l: list<option<f32>> }
}`).packages[0]!.interfaces.get('i')!;

type Encoding = 'utf8' | 'utf16' | 'latin1+utf16';

function harness(encoding: Encoding = 'utf8') {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 64 });
  let top = 8;
  // A bump allocator with realloc's contract: a moved block keeps its old contents.
  const realloc = (old: number, oldSize: number, align: number, size: number) => {
    top = Math.ceil(top / align) * align;
    const ptr = top;
    top += size;
    while (top > memory.buffer.byteLength) memory.grow(1);
    if (old !== 0) new Uint8Array(memory.buffer).copyWithin(ptr, old, old + Math.min(oldSize, size));
    return ptr;
  };
  const ops = new HandleOps({ handles: new HandleTable(), poisoned: false, mayEnter: true, mayLeave: true });
  return { options: { memory: new MemoryView(memory), realloc, encoding, ops }, reset: () => { top = 8; } };
}

/** value → flat core values → value */
function flatRoundTrip(type: Type, encoding?: Encoding): (v: unknown) => unknown {
  const { options, reset } = harness(encoding);
  const e = new Emitter();
  const gen = new ValueCodegen(e, options);
  const fn = e.build<(v: unknown) => unknown>('flat', ['v'], () => {
    const flat = gen.lowerFlat(type, 'v', 'v');
    const vars = flat.map((x, i) => { e.line(`const c${i} = ${x};`); return `c${i}`; });
    let i = 0;
    e.line(`return ${gen.liftFlat(type, { next: () => vars[i++]! })};`);
  });
  return (v) => { reset(); return fn(v); };
}

/** value → guest memory → value */
function memoryRoundTrip(type: Type, encoding?: Encoding): (v: unknown) => unknown {
  const { options, reset } = harness(encoding);
  const e = new Emitter();
  const gen = new ValueCodegen(e, options);
  const fn = e.build<(v: unknown, p: number) => unknown>('mem', ['v', 'p'], () => {
    gen.store(type, 'v', 'p', 0, 'v');
    e.line(`return ${gen.load(type, 'p', 0)};`);
  });
  return (v) => { reset(); return fn(v, options.realloc(0, 0, alignOf(type), sizeOf(type))); };
}

describe('Canonical ABI lowering and lifting (host)', () => {
  it.each(['wide', 'many-cases', 'mixed'])('round-trips %s flat and through memory', (name) => {
    const type = iface.types.get(name)!;
    const flat = flatRoundTrip(type);
    const mem = memoryRoundTrip(type);
    fc.assert(fc.property(arbitraryFor(type), (v) => {
      expect(flat(v)).toEqual(v);
      expect(mem(v)).toEqual(v);
    }), { numRuns: 500 });
  });

  it.each(['utf8', 'utf16', 'latin1+utf16'] as const)('round-trips every string in the %s encoding, a leading U+FEFF and C1 controls included', (encoding) => {
    const string: Type = { kind: 'string' };
    const flat = flatRoundTrip(string, encoding);
    const mem = memoryRoundTrip(string, encoding);
    // Latin-1 is ISO-8859-1: bytes 0x80–0x9F are U+0080–U+009F (not windows-1252).
    for (const s of ['\ufeff', '\ufeffx\ufeff', '\u0080\u0085\u009f\u00a0\u00ff', 'é', '']) {
      expect(flat(s)).toBe(s);
      expect(mem(s)).toBe(s);
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(flat(s)).toBe(s);
      expect(mem(s)).toBe(s);
    }), { numRuns: 1000 });
  });

  it('lays out >32 flags as one i32 per 32 labels and >256 cases with a u16 discriminant', () => {
    expect(flatten(iface.types.get('wide')!)).toEqual(['i32', 'i32']);
    expect(sizeOf(iface.types.get('wide')!)).toBe(8);
    const v = iface.types.get('many-cases')!;
    expect(flatten(v)).toEqual(['i32', 'i64']);
    expect(sizeOf(v)).toBe(16);
    expect(alignOf(v)).toBe(8);
  });
});

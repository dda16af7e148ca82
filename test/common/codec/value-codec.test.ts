import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, WireError } from '../../../common/codec/bytes.js';
import { compileCodec, type ResourceHooks } from '../../../common/codec/value-codec.js';
import { isPluginHostError } from '../../../common/errors.js';
import { parseWitSource } from '../../../common/wit/load.js';
import type { Type } from '../../../common/wit/model.js';
import { arbitraryFor } from '../../support/arbitrary.js';

const wit = parseWitSource(`package test:codec;
interface types {
  record point { x: s32, y-coordinate: f64 }
  variant shape { none, circle(f32), poly(list<point>), nested(option<option<u8>>) }
  enum color { red, green, blue }
  flags perms { a, b, c, d, e, f, g, h, i }
  type everything = tuple<bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string>;
  type lists = tuple<list<u8>, list<s16>, list<u64>, list<f32>, list<bool>, list<string>, list<list<u32>>, list<char, 3>>;
  type options = tuple<option<string>, option<option<s32>>, result, result<u8>, result<_, string>, result<point, shape>>;
  f: func(a: everything, b: lists, c: options, d: point, e: shape, g: color, h: perms);
}`);
const f = wit.packages[0]!.interfaces.get('types')!.functions.get('f')!;
const noResources: ResourceHooks = { encode: () => { throw new Error('no'); }, decode: () => { throw new Error('no'); } };

function roundTrip(type: Type, value: unknown): unknown {
  const codec = compileCodec(type, noResources);
  const w = new ByteWriter(1);
  codec.encode(w, value);
  const r = new ByteReader(w.view_().slice());
  const out = codec.decode(r);
  expect(r.remaining).toBe(0);
  return out;
}

describe('wire value codec', () => {
  it.each(f.params.map((p) => [p.name, p.type] as const))('round-trips random values of parameter %s', (_, type) => {
    fc.assert(fc.property(arbitraryFor(type), (value) => {
      expect(roundTrip(type, value)).toEqual(value);
    }), { numRuns: 400 });
  });

  it('keeps a leading U+FEFF (it is part of the string, not a byte-order mark)', () => {
    for (const s of ['\ufeff', '\ufeffhello', 'a\ufeff']) {
      expect(roundTrip({ kind: 'string' }, s)).toBe(s);
      expect(roundTrip({ kind: 'list', element: { kind: 'string' } }, [s, s])).toEqual([s, s]);
    }
  });

  it('encodes per the component model value encoding', () => {
    const types = f.params[0]!.type;
    const w = new ByteWriter();
    compileCodec(types, noResources).encode(w, [true, -1, 255, -2, 300, -3, 128, -4n, 2n ** 64n - 1n, 1.5, -0, 'é', 'hi']);
    expect(Buffer.from(w.view_()).toString('hex')).toBe([
      '01', 'ff', 'ff', '7e', 'ac02', '7d', '8001', '7c', 'ffffffffffffffffff01', '0000c03f', '0000000000000080', 'c3a9', '026869',
    ].join(''));
  });

  it.each([
    ['a bool byte other than 0/1', 'bool', [2]],
    ['an unterminated LEB128', 'u32', [0x80, 0x80]],
    ['a u32 above range', 'u32', [0xff, 0xff, 0xff, 0xff, 0x1f]],
    ['invalid UTF-8 in a string', 'string', [2, 0xc3, 0x28]],
    ['a string longer than the message', 'string', [5, 0x61]],
    ['a surrogate as char', 'char', [0xed, 0xa0, 0x80]],
  ])('rejects %s with WireError', (_, kind, bytes) => {
    const type = { kind } as Type;
    expect(() => compileCodec(type, noResources).decode(new ByteReader(Uint8Array.from(bytes)))).toThrow(WireError);
  });

  it('rejects out-of-range discriminants and stray flag bits', () => {
    const [, , , , shape, color, perms] = f.params.map((p) => compileCodec(p.type, noResources));
    expect(() => shape!.decode(new ByteReader(Uint8Array.from([4])))).toThrow(WireError);
    expect(() => color!.decode(new ByteReader(Uint8Array.from([3])))).toThrow(WireError);
    expect(() => perms!.decode(new ByteReader(Uint8Array.from([0xff, 0x02])))).toThrow(WireError);
  });

  it.each([
    ['u8', 256], ['u8', 1.5], ['s8', -129], ['u32', -1], ['u64', 1], ['s64', 2n ** 63n], ['f64', '1'], ['char', 'ab'],
    ['char', '\ud800'], ['string', 1], ['bool', 0],
  ])('rejects a %s of %s with ERR_BAD_ARGUMENT', (kind, value) => {
    try {
      compileCodec({ kind } as Type, noResources, 'x').encode(new ByteWriter(), value);
      throw new Error('accepted');
    } catch (e) {
      expect(isPluginHostError(e, 'ERR_BAD_ARGUMENT'), String(e)).toBe(true);
    }
  });

  it('names the path of a bad nested value', () => {
    const codec = compileCodec(f.params[4]!.type, noResources, 'shape');
    expect(() => codec.encode(new ByteWriter(), { tag: 'poly', val: [{ x: 1, yCoordinate: 'no' }] }))
      .toThrowError(/shape\.val\[\]\.yCoordinate: expected a number/);
  });
});

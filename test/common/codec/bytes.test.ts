// LEB128 as docs/protocol.md §4 says: minimal on write, at most 5 bytes for 32-bit values on read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, WireError } from '../../../common/codec/bytes.js';

const minimalLeb = (n: number) => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

describe('ByteWriter', () => {
  it('writes string lengths as minimal LEB128, for ASCII and non-ASCII text alike', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
      const w = new ByteWriter(4);
      w.string(s);
      const bytes = [...w.view_()];
      const n = Buffer.byteLength(s);
      expect(bytes.slice(0, minimalLeb(n).length)).toEqual(minimalLeb(n));
      expect(bytes.length).toBe(minimalLeb(n).length + n);
      expect(new ByteReader(w.view_()).string()).toBe(s);
    }));
  });

  it('writes "wörld" with a one-byte length', () => {
    const w = new ByteWriter();
    w.string('wörld');
    expect([...w.view_()]).toEqual([6, 0x77, 0xc3, 0xb6, 0x72, 0x6c, 0x64]);
  });
});

describe('ByteReader', () => {
  it('accepts non-minimal LEB128 of up to 5 bytes for a 32-bit value', () => {
    expect(new ByteReader(new Uint8Array([0x81, 0x80, 0x80, 0x80, 0x00])).uleb()).toBe(1);
  });

  it('refuses a 32-bit value longer than 5 bytes, and one above its maximum', () => {
    expect(() => new ByteReader(new Uint8Array([0x81, 0x80, 0x80, 0x80, 0x80, 0x00])).uleb()).toThrow(WireError);
    expect(() => new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x1f])).uleb()).toThrow(/out of range/);
  });
});

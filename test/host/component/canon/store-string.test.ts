// Regression (issue 9): storeString guessed an ASCII-sized buffer and grew it with realloc;
// the WASI preview1 adapter's realloc only shrinks (it asserts), so adapter-built components
// trapped on any non-ASCII string the host handed them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryView, storeString, utf8Length, type Realloc } from '../../../../host/component/canon/runtime.js';

/** A bump allocator that refuses to grow a block, as the preview1 adapter's does. */
function shrinkOnlyRealloc(): { realloc: Realloc; calls: [number, number, number, number][] } {
  let next = 16;
  const calls: [number, number, number, number][] = [];
  const realloc: Realloc = (oldPtr, oldSize, align, newSize) => {
    calls.push([oldPtr, oldSize, align, newSize]);
    if (oldPtr !== 0 && newSize > oldSize) throw new Error('realloc may only shrink');
    if (oldPtr !== 0) return oldPtr;
    next = Math.ceil(next / align) * align;
    const ptr = next;
    next += newSize;
    return ptr;
  };
  return { realloc, calls };
}

describe('storeString', () => {
  it.each([
    ['ASCII', 'hello'],
    ['two-byte UTF-8', 'grüße'],
    ['three-byte UTF-8', '日本語のテキスト'],
    ['astral characters', '🦀 and 🐍'],
    ['a lone surrogate', 'a\ud800b'],
  ])('%s: allocates the string once, at its exact size, never growing it', (_what, text) => {
    const mem = new MemoryView(new WebAssembly.Memory({ initial: 1 }));
    const { realloc, calls } = shrinkOnlyRealloc();
    const out = { length: 0 };
    const ptr = storeString(mem, realloc, text, 'utf8', out);
    const expected = new TextEncoder().encode(text);
    expect(calls).toEqual([[0, 0, 1, expected.length]]);
    expect(out.length).toBe(expected.length);
    expect(mem.u8.slice(ptr, ptr + out.length)).toEqual(expected);
  });

  it('utf8Length agrees with TextEncoder on any string, surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === new TextEncoder().encode(text).length));
  });

  it('traps when realloc returns a block outside guest memory', () => {
    const mem = new MemoryView(new WebAssembly.Memory({ initial: 1 }));
    expect(() => storeString(mem, () => 65_534, 'héllo', 'utf8', { length: 0 })).toThrow(/outside guest memory/);
  });
});

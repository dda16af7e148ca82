import { describe, expect, it } from 'vitest';
import { validatePluginSpec } from '../../host/plugin-spec.js';
import { sharedCopy } from '../../host/shared-bytes.js';

describe('sharedCopy', () => {
  it('gives equal contents one copy, which later changes to the original cannot reach', () => {
    const a = new Uint8Array([0, 97, 115, 109, 1, 2, 3]);
    const b = a.slice();
    const copy = sharedCopy(a);
    expect(copy).not.toBe(a);
    expect(sharedCopy(b)).toBe(copy);
    a[6] = 9;
    expect([...copy]).toEqual([0, 97, 115, 109, 1, 2, 3]);
    const other = sharedCopy(a);
    expect(other).not.toBe(copy);
    expect([...other]).toEqual([...a]);
  });

  it('copies only the viewed range of a larger buffer', () => {
    const whole = new Uint8Array([5, 6, 7, 8, 9]);
    const copy = sharedCopy(whole.subarray(1, 4));
    expect([...copy]).toEqual([6, 7, 8]);
    expect(copy.byteLength).toBe(copy.buffer.byteLength);
  });

  it('is what wasm specs of equal bytes keep', () => {
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 42]);
    const wasmOf = (name: string) => (validatePluginSpec({ name, wasm: bytes.slice() }).options as { wasm: Uint8Array }).wasm;
    expect(wasmOf('one')).toBe(wasmOf('two'));
  });
});

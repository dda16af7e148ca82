// Fixed-length lists cross the boundary as the Canonical ABI says: flattened like a tuple of
// their elements, stored in place in memory (never as a pointer and a length).
import { describe, expect, it } from 'vitest';
import { instantiate } from '../../support/components.js';

const CORE = `
  (memory (export "mem") 1)
  (global $top (mut i32) (i32.const 1024))
  (func (export "realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get 3)))
    (local.get $p))`;

const OPTIONS = '(memory (core memory $i "mem")) (realloc (core func $i "realloc"))';

describe('fixed-length lists', () => {
  // issue-10: the list was lowered as a pointer and a length, and a guest summing it got 68.
  it('passes (list u32 4) as four flat values', async () => {
    const c = await instantiate(`(component
      (core module $m ${CORE}
        (func (export "sum") (param i32 i32 i32 i32) (result i32)
          (i32.add (i32.add (local.get 0) (local.get 1)) (i32.add (local.get 2) (local.get 3)))))
      (core instance $i (instantiate $m))
      (func (export "sum") (param "l" (list u32 4)) (result u32) (canon lift (core func $i "sum") ${OPTIONS})))`);
    expect(c.call('sum', [1, 2, 3, 4])).toBe(10);
    expect(c.call('sum', new Uint32Array([5, 6, 7, 8]))).toBe(26);
    expect(() => c.call('sum', [1, 2, 3])).toThrow(expect.objectContaining({ code: 'ERR_BAD_ARGUMENT' }));
  });

  it('returns (list u32 4) through the return area, stored in place', async () => {
    const c = await instantiate(`(component
      (core module $m ${CORE}
        (func (export "four") (result i32)
          (i32.store (i32.const 16) (i32.const 1)) (i32.store (i32.const 20) (i32.const 2))
          (i32.store (i32.const 24) (i32.const 3)) (i32.store (i32.const 28) (i32.const 4))
          (i32.const 16)))
      (core instance $i (instantiate $m))
      (func (export "four") (result (list u32 4)) (canon lift (core func $i "four") ${OPTIONS})))`);
    expect(Array.from(c.call('four') as Uint32Array)).toEqual([1, 2, 3, 4]);
  });

  it('stores fixed-length lists inside records in place when parameters spill to memory', async () => {
    // 17 flat values: the parameters travel as one pointer to a tuple the host allocates.
    const c = await instantiate(`(component
      (core module $m ${CORE}
        (func (export "pick") (param i32) (result i32)
          ;; (list u8 16) at offset 0, then a u32 at offset 16: return byte 3 + the u32
          (i32.add (i32.load8_u offset=3 (local.get 0)) (i32.load offset=16 (local.get 0)))))
      (core instance $i (instantiate $m))
      (func (export "pick") (param "bytes" (list u8 16)) (param "n" u32) (result u32) (canon lift (core func $i "pick") ${OPTIONS})))`);
    expect(c.call('pick', Array.from({ length: 16 }, (_, i) => i * 10), 5)).toBe(35);
  });

  it('lowers a fixed-length list result of a host import into the guest in place', async () => {
    const c = await instantiate(`(component
      (import "triple" (func $triple (result (list u16 3))))
      (core module $libc ${CORE})
      (core instance $libc (instantiate $libc))
      (core func $t (canon lower (func $triple) (memory (core memory $libc "mem"))))
      (core module $m
        (import "" "t" (func $t (param i32)))
        (import "" "mem" (memory 1))
        (func (export "run") (result i32)
          (call $t (i32.const 64))
          (i32.add (i32.load16_u (i32.const 64)) (i32.add (i32.load16_u (i32.const 66)) (i32.load16_u (i32.const 68))))))
      (core instance $i (instantiate $m (with "" (instance (export "t" (func $t)) (export "mem" (memory $libc "mem"))))))
      (func (export "run") (result u32) (canon lift (core func $i "run"))))`, { triple: () => [100, 20, 3] });
    expect(c.call('run')).toBe(123);
  });
});

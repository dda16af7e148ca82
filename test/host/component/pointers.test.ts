// Every pointer the guest gives the host is checked before it is used: what realloc returns
// (bounds and alignment, for empty values too), pointer + length pairs being lifted, and
// return areas. A bad one traps (ERR_TRAPPED, the instance poisoned); a value is never
// truncated or altered.
import { describe, expect, it } from 'vitest';
import { instantiate } from '../../support/components.js';

/** A guest whose realloc returns `ptr` (a WAT expression) and whose functions report what they got. */
const guest = (ptr: string, extra = '') => `
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) ${ptr})
    (func (export "len") (param i32 i32) (result i32) local.get 1)
    ${extra})
  (core instance $i (instantiate $m))`;

const OPTIONS = '(memory (core memory $i "mem")) (realloc (core func $i "realloc"))';
const trapped = expect.objectContaining({ code: 'ERR_TRAPPED' });

describe('guest pointers', () => {
  // issue-10: "hello" arrived truncated to length 2 instead of trapping.
  it('traps when realloc returns a block that runs past the end of memory', async () => {
    const c = await instantiate(`(component ${guest('i32.const 65534')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(() => c.call('len', 'hello')).toThrow(trapped);
    expect(() => c.call('len', 'x')).toThrow(/poisoned/);
  });

  it('accepts the same call when realloc returns a block inside memory', async () => {
    const c = await instantiate(`(component ${guest('i32.const 65531')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(c.call('len', 'hello')).toBe(5);
  });

  it('traps when realloc returns a misaligned block for a list of u32', async () => {
    const c = await instantiate(`(component ${guest('i32.const 2')}
      (func (export "len") (param "l" (list u32)) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(() => c.call('len', [1, 2])).toThrow(trapped);
    const ok = await instantiate(`(component ${guest('i32.const 4')}
      (func (export "len") (param "l" (list u32)) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(ok.call('len', [1, 2])).toBe(2);
  });

  it('checks what realloc returns for empty lists and strings too', async () => {
    const c = await instantiate(`(component ${guest('i32.const 70000')}
      (func (export "len") (param "l" (list u8)) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(() => c.call('len', [])).toThrow(trapped);
    const s = await instantiate(`(component ${guest('i32.const 70000')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(() => s.call('len', '')).toThrow(trapped);
    const ok = await instantiate(`(component ${guest('i32.const 65536')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(ok.call('len', '')).toBe(0);
  });

  it('traps on a misaligned block for a string that needs UTF-16', async () => {
    // latin1+utf16: a Latin-1 string needs 1-byte units, any other needs 2-byte ones; both
    // are allocated with alignment 2.
    const c = await instantiate(`(component ${guest('i32.const 3')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS} string-encoding=latin1+utf16)))`);
    expect(() => c.call('len', 'AΣ')).toThrow(trapped);
    const ok = await instantiate(`(component ${guest('i32.const 4')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS} string-encoding=latin1+utf16)))`);
    expect(ok.call('len', 'AΣ')).toBe(0x80000002); // the UTF-16 tag and 2 code units
    expect(ok.call('len', 'AB')).toBe(2);
  });

  it('traps when a lifted string of length 0 points outside memory', async () => {
    const ret = (ptr: number) => `(func (export "ret") (result i32) (i32.store (i32.const 8) (i32.const ${ptr})) (i32.store (i32.const 12) (i32.const 0)) (i32.const 8))`;
    const c = await instantiate(`(component ${guest('i32.const 0', ret(70000))}
      (func (export "ret") (result string) (canon lift (core func $i "ret") ${OPTIONS})))`);
    expect(() => c.call('ret')).toThrow(trapped);
    const ok = await instantiate(`(component ${guest('i32.const 0', ret(100))}
      (func (export "ret") (result string) (canon lift (core func $i "ret") ${OPTIONS})))`);
    expect(ok.call('ret')).toBe('');
  });

  it('traps when a returned list runs past the end of memory', async () => {
    const ret = '(func (export "ret") (result i32) (i32.store (i32.const 8) (i32.const 65000)) (i32.store (i32.const 12) (i32.const 1000)) (i32.const 8))';
    const c = await instantiate(`(component ${guest('i32.const 0', ret)}
      (func (export "ret") (result (list u8)) (canon lift (core func $i "ret") ${OPTIONS})))`);
    expect(() => c.call('ret')).toThrow(trapped);
  });

  it('traps when a return area is out of bounds or misaligned', async () => {
    for (const area of [65535, 70000, 9]) {
      const c = await instantiate(`(component ${guest('i32.const 0', `(func (export "ret") (result i32) (i32.const ${area}))`)}
        (func (export "ret") (result string) (canon lift (core func $i "ret") ${OPTIONS})))`);
      expect(() => c.call('ret')).toThrow(trapped);
    }
  });

  it('traps when realloc returns a negative (above 2 GiB) pointer', async () => {
    const c = await instantiate(`(component ${guest('i32.const -8')}
      (func (export "len") (param "s" string) (result u32) (canon lift (core func $i "len") ${OPTIONS})))`);
    expect(() => c.call('len', 'hi')).toThrow(trapped);
  });
});

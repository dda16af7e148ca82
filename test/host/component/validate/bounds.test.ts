// Size bounds (validate/bounds.ts), checked before any layout table or glue is built.
import { describe, expect, it } from 'vitest';
import { COMPONENT_PREAMBLE, expectInvalid, expectValid, instantiate, section } from '../../../support/components.js';

const lift = (type: string) => `(component
  (core module $m (memory (export "mem") 1) (func (export "f") (result i32) unreachable))
  (core instance $i (instantiate $m))
  (func (export "f") (result ${type}) (canon lift (core func $i "f") (memory (core memory $i "mem")))))`;

function chain(depth: number): string {
  const types = ['(type (list u8))'];
  for (let i = 1; i < depth; i++) types.push(`(type (list ${i - 1}))`);
  return `(component ${types.join(' ')})`;
}

function doubling(levels: number): string {
  const types = ['(type (tuple u8 u8))'];
  for (let i = 1; i < levels; i++) types.push(`(type (tuple ${i - 1} ${i - 1}))`);
  return `(component ${types.join(' ')})`;
}

describe('validation: bounds', () => {
  // issue-10: loading this 160-byte component made the host build one table entry per
  // element until the engine ran out of memory.
  it('refuses a fixed-length list of 4294967295 elements at once, with a typed error', async () => {
    const e = await expectInvalid(lift('(list u32 4294967295)'), 'limits/fixed-list-length');
    expect(e.message).toMatch(/4294967295/);
    await expect(instantiate(lift('(list u32 4294967295)'))).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID' });
    await expect(instantiate(lift('(list u32 4)'))).resolves.toBeDefined();
  });

  it('refuses a type whose values take 2^28 bytes or more, counting pointers as 64-bit', async () => {
    await expectInvalid('(component (type (list string 16777216)))', 'limits/element-size');
    await expectInvalid('(component (type (tuple (list u8 268435455) (list u8 1))))', 'limits/element-size');
    await expectValid('(component (type (list string 16777215)))');
    await expectValid('(component (type (list u8 268435455)))');
  });

  it('refuses types nested more than 100 deep', async () => {
    // A list of a list … of u8: 100 lists are 101 levels with the u8.
    await expectInvalid(chain(100), 'limits/type-depth');
    await expectValid(chain(99));
  });

  it('refuses types that are small in the binary but huge once expanded', async () => {
    await expectInvalid(doubling(20), 'limits/type-size');
    await expectValid(doubling(12));
  });

  it('refuses components whose instantiation would create too many instances', async () => {
    const levels = (n: number) => {
      let text = '(component $c0 (core module $m) (core instance (instantiate $m)))';
      for (let i = 1; i <= n; i++) text = `(component $c${i} ${text} ${Array.from({ length: 10 }, () => `(instance (instantiate $c${i - 1}))`).join(' ')})`;
      return text;
    };
    await expectInvalid(`(component ${levels(5)} (instance (instantiate 0)))`, 'limits/instances');
    await expectValid(`(component ${levels(2)} (instance (instantiate 0)))`);
  });

  it('refuses components nested more than 100 deep, without overflowing the stack', async () => {
    // Built as bytes: the text parser has its own nesting limit.
    const nest = (n: number) => {
      let inner: number[] = [...COMPONENT_PREAMBLE];
      for (let i = 0; i < n; i++) inner = [...COMPONENT_PREAMBLE, ...section(4, inner)];
      return Uint8Array.from(inner);
    };
    await expectInvalid(nest(150), 'limits/nesting');
    await expectValid(nest(60));
  });
});

// Type definitions (validate/defined-types.ts): each case is refused under its rule and its
// twin is accepted.
import { describe, it } from 'vitest';
import { expectInvalid, expectValid } from '../../../support/components.js';

const cases = [
  { title: 'an empty record', rule: 'types/empty', invalid: '(component (type (record)))', valid: '(component (type (record (field "a" u8))))' },
  { title: 'an empty variant', rule: 'types/empty', invalid: '(component (type (variant)))', valid: '(component (type (variant (case "a"))))' },
  { title: 'an empty tuple', rule: 'types/empty', invalid: '(component (type (tuple)))', valid: '(component (type (tuple u8)))' },
  { title: 'empty flags', rule: 'types/empty', invalid: '(component (type (flags)))', valid: '(component (type (flags "a")))' },
  { title: 'an empty enum', rule: 'types/empty', invalid: '(component (type (enum)))', valid: '(component (type (enum "a")))' },
  {
    title: 'flags with 33 labels', rule: 'types/too-many-flags',
    invalid: `(component (type (flags ${Array.from({ length: 33 }, (_, i) => `"f${i}"`).join(' ')})))`,
    valid: `(component (type (flags ${Array.from({ length: 32 }, (_, i) => `"f${i}"`).join(' ')})))`,
  },
  { title: 'a fixed-length list of no elements', rule: 'types/fixed-list-empty', invalid: '(component (type (list u32 0)))', valid: '(component (type (list u32 1)))' },
  { title: 'a value type that refers to a function type', rule: 'types/not-a-value-type', invalid: '(component (type $f (func)) (type (list $f)))', valid: '(component (type $l (list u8)) (type (list $l)))' },
  { title: 'a type index out of range', rule: 'index/out-of-range', invalid: '(component (type (list 5)))', valid: '(component (type (list u8)) (type (list 0)))' },
  { title: '`own` of a record', rule: 'types/handle-of-non-resource', invalid: '(component (type $r (record (field "a" u8))) (type (own $r)))', valid: '(component (type $r (resource (rep i32))) (type (own $r)))' },
  { title: 'a borrow in a function result', rule: 'types/borrow-in-result', invalid: '(component (type $r (resource (rep i32))) (type (func (result (borrow $r)))))', valid: '(component (type $r (resource (rep i32))) (type (func (param "r" (borrow $r)))))' },
  { title: 'a borrow nested in a function result', rule: 'types/borrow-in-result', invalid: '(component (type $r (resource (rep i32))) (type (func (result (list (borrow $r))))))', valid: '(component (type $r (resource (rep i32))) (type (func (result (list (own $r))))))' },
  {
    title: 'a resource destructor of the wrong type', rule: 'types/resource-dtor',
    invalid: '(component (core module $m (func (export "d") (param i32) (result i32) local.get 0)) (core instance $i (instantiate $m)) (type (resource (rep i32) (dtor (core func $i "d")))))',
    valid: '(component (core module $m (func (export "d") (param i32))) (core instance $i (instantiate $m)) (type (resource (rep i32) (dtor (core func $i "d")))))',
  },
  { title: 'a resource type defined inside an instance type', rule: 'types/resource-in-type', invalid: '(component (type (instance (type (resource (rep i32))))))', valid: '(component (type (instance (export "r" (type (sub resource))))))' },
];

describe('validation: type definitions', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });
});

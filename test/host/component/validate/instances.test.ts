// Instantiation (validate/instances.ts, subtype.ts, substitute.ts): arguments must be
// subtypes of the imports they are given for, with resources substituted.
import { describe, it } from 'vitest';
import { expectInvalid, expectValid } from '../../../support/components.js';

const cases = [
  {
    title: 'a missing argument', rule: 'instantiate/missing-argument',
    invalid: '(component (component $c (import "f" (func))) (instance (instantiate $c)))',
    valid: '(component (import "f" (func $f)) (component $c (import "f" (func))) (instance (instantiate $c (with "f" (func $f)))))',
  },
  {
    title: 'an argument of another sort', rule: 'instantiate/argument-type',
    invalid: '(component (import "f" (func $f)) (component $c (import "f" (instance))) (instance (instantiate $c (with "f" (func $f)))))',
    valid: '(component (import "f" (instance $f)) (component $c (import "f" (instance))) (instance (instantiate $c (with "f" (instance $f)))))',
  },
  {
    title: 'a function of another type', rule: 'instantiate/argument-type',
    invalid: '(component (import "f" (func $f (param "x" u32))) (component $c (import "f" (func (param "x" u64)))) (instance (instantiate $c (with "f" (func $f)))))',
    valid: '(component (import "f" (func $f (param "x" u64))) (component $c (import "f" (func (param "x" u64)))) (instance (instantiate $c (with "f" (func $f)))))',
  },
  {
    title: 'a parameter of another name', rule: 'instantiate/argument-type',
    invalid: '(component (import "f" (func $f (param "y" u32))) (component $c (import "f" (func (param "x" u32)))) (instance (instantiate $c (with "f" (func $f)))))',
    valid: '(component (import "f" (func $f (param "x" u32))) (component $c (import "f" (func (param "x" u32)))) (instance (instantiate $c (with "f" (func $f)))))',
  },
  {
    title: 'an instance missing an export', rule: 'instantiate/argument-type',
    invalid: '(component (import "i" (instance $i (export "a" (func)))) (component $c (import "i" (instance (export "a" (func)) (export "b" (func))))) (instance (instantiate $c (with "i" (instance $i)))))',
    valid: '(component (import "i" (instance $i (export "a" (func)) (export "b" (func)) (export "c" (func)))) (component $c (import "i" (instance (export "a" (func)) (export "b" (func))))) (instance (instantiate $c (with "i" (instance $i)))))',
  },
  {
    title: 'a type for an `eq` import that is not equal', rule: 'instantiate/argument-type',
    invalid: '(component (component $c (type $t (list s32 10)) (import "x" (type (eq $t)))) (type $x (list u32 9)) (instance (instantiate $c (with "x" (type $x)))))',
    valid: '(component (component $c (type $t (list s32 10)) (import "x" (type (eq $t)))) (type $x (list s32 10)) (instance (instantiate $c (with "x" (type $x)))))',
  },
  {
    title: 'two resources where one is expected twice', rule: 'instantiate/argument-type',
    invalid: `(component
      (type $r1 (resource (rep i32))) (type $r2 (resource (rep i32)))
      (component $eq (import "a" (type $a (sub resource))) (import "b" (type (eq $a))))
      (instance (instantiate $eq (with "a" (type $r1)) (with "b" (type $r2)))))`,
    valid: `(component
      (type $r1 (resource (rep i32)))
      (component $eq (import "a" (type $a (sub resource))) (import "b" (type (eq $a))))
      (instance (instantiate $eq (with "a" (type $r1)) (with "b" (type $r1)))))`,
  },
  {
    title: 'resources of two instances of one component mixed', rule: 'instantiate/argument-type',
    invalid: `(component
      (component $R (type $r (resource (rep i32))) (export "r" (type $r)))
      (instance $a (instantiate $R)) (instance $b (instantiate $R))
      (alias export $a "r" (type $ra)) (alias export $b "r" (type $rb))
      (component $eq (import "a" (type $a (sub resource))) (import "b" (type (eq $a))))
      (instance (instantiate $eq (with "a" (type $ra)) (with "b" (type $rb)))))`,
    valid: `(component
      (component $R (type $r (resource (rep i32))) (export "r" (type $r)))
      (instance $a (instantiate $R))
      (alias export $a "r" (type $ra))
      (component $eq (import "a" (type $a (sub resource))) (import "b" (type (eq $a))))
      (instance (instantiate $eq (with "a" (type $ra)) (with "b" (type $ra)))))`,
  },
  {
    title: 'an argument given twice', rule: 'instantiate/argument-repeated',
    invalid: '(component (import "f" (func $f)) (component $c) (instance (instantiate $c (with "f" (func $f)) (with "f" (func $f)))))',
    valid: '(component (import "f" (func $f)) (component $c) (instance (instantiate $c (with "f" (func $f)) (with "g" (func $f)))))',
  },
];

describe('validation: instantiation', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });
});

// Imports and exports (validate/externs.ts, visibility.ts): externally visible names of
// types, and the shapes annotated function names require.
import { describe, it } from 'vitest';
import { expectInvalid, expectValid } from '../../../support/components.js';

const CORE = '(core module $m (func (export "f") (param i32)) (func (export "g") (result i32) unreachable)) (core instance $i (instantiate $m))';

const cases = [
  {
    title: 'an exported function using an unexported record', rule: 'visibility/export',
    invalid: `(component ${CORE} (type $t (record (field "f" u32))) (func $f (param "x" $t) (canon lift (core func $i "f"))) (export "f" (func $f)))`,
    valid: `(component ${CORE} (type $t (record (field "f" u32))) (export $t2 "t" (type $t)) (func $f (param "x" $t2) (canon lift (core func $i "f"))) (export "f" (func $f)))`,
  },
  {
    title: 'an export through the old index of an exported resource', rule: 'visibility/export',
    invalid: `(component ${CORE} (type $r (resource (rep i32))) (export "r" (type $r)) (func $f (result (own $r)) (canon lift (core func $i "g"))) (export "f" (func $f)))`,
    valid: `(component ${CORE} (type $r (resource (rep i32))) (export $r2 "r" (type $r)) (func $f (result (own $r)) (canon lift (core func $i "g"))) (export "f" (func $f) (func (result (own $r2)))))`,
  },
  {
    title: 'an exported type whose field is unnamed', rule: 'visibility/export',
    invalid: '(component (type $t (record (field "f" u32))) (type $f (list $t)) (export "f" (type $f)))',
    valid: '(component (type $t (record (field "f" u32))) (export $t2 "t" (type $t)) (type $f (list $t2)) (export "f" (type $f)))',
  },
  {
    title: 'an exported instance of an unnamed type', rule: 'visibility/export',
    invalid: '(component (type $t (record (field "f" u32))) (type $f (record (field "t" $t))) (instance $i (export "f" (type $f))) (export "i" (instance $i)))',
    valid: '(component (type $t (record (field "f" u32))) (instance $i (export "t" (type $t))) (export "i" (instance $i)))',
  },
  {
    title: 'an imported function using a type only an export names', rule: 'visibility/import',
    invalid: '(component (type (component (export "r" (type $r (sub resource))) (import "f" (func (result (own $r)))))))',
    valid: '(component (type (component (import "r" (type $r (sub resource))) (import "f" (func (result (own $r)))))))',
  },
  {
    title: 'an exported value type containing a borrow', rule: 'visibility/export-borrow',
    invalid: '(component (import "r" (type $r (sub resource))) (type $b (list (borrow $r))) (export "b" (type $b)))',
    valid: '(component (import "r" (type $r (sub resource))) (type $b (list (own $r))) (export "b" (type $b)))',
  },
  {
    title: 'a constructor that does not return its resource', rule: 'names/constructor-result',
    invalid: '(component (import "r" (type $r (sub resource))) (import "[constructor]r" (func (result u32))))',
    valid: '(component (import "r" (type $r (sub resource))) (import "[constructor]r" (func (result (own $r)))))',
  },
  {
    title: 'a method without `self`', rule: 'names/method-self',
    invalid: '(component (import "r" (type $r (sub resource))) (import "[method]r.m" (func (param "this" (borrow $r)))))',
    valid: '(component (import "r" (type $r (sub resource))) (import "[method]r.m" (func (param "self" (borrow $r)))))',
  },
  {
    title: 'a method of another resource', rule: 'names/resource-mismatch',
    invalid: '(component (import "r" (type $r (sub resource))) (import "s" (type $s (sub resource))) (import "[method]r.m" (func (param "self" (borrow $s)))))',
    valid: '(component (import "r" (type $r (sub resource))) (import "s" (type $s (sub resource))) (import "[method]s.m" (func (param "self" (borrow $s)))))',
  },
  {
    title: 'a static function of an unknown resource', rule: 'names/unknown-resource',
    invalid: '(component (import "r" (type $r (sub resource))) (import "[static]x.m" (func)))',
    valid: '(component (import "r" (type $r (sub resource))) (import "[static]r.m" (func)))',
  },
  {
    title: 'an exported method on an imported resource name', rule: 'names/resource-unnamed',
    invalid: '(component (import "b" (type $t (sub resource))) (import "f" (func $f (param "self" (borrow $t)))) (export "[method]b.foo" (func $f)))',
    valid: '(component (import "b" (type $t (sub resource))) (import "[method]b.foo" (func $f (param "self" (borrow $t)))))',
  },
  {
    title: 'an annotated name on a type', rule: 'names/annotated-not-func',
    invalid: '(component (import "r" (type $r (sub resource))) (import "[constructor]r" (type (eq $r))))',
    valid: '(component (import "r" (type $r (sub resource))) (import "[constructor]r" (func (result (own $r)))))',
  },
  {
    title: 'an export ascribed a type it does not have', rule: 'exports/ascription',
    invalid: '(component (import "f" (func $f (param "x" u32))) (export "f" (func $f) (func (param "x" u64))))',
    valid: '(component (import "f" (func $f (param "x" u32))) (export "f" (func $f) (func (param "x" u32))))',
  },
];

describe('validation: imports, exports and visible names', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });
});

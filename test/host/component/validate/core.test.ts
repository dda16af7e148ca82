// Core instances and module types (validate/core.ts): every import of a module must be
// supplied by its instantiation arguments with an item of a matching type.
import { describe, it } from 'vitest';
import { expectInvalid, expectValid } from '../../../support/components.js';

const provider = '(core module $p (func (export "f") (param i32)) (memory (export "m") 1) (global (export "g") i32 (i32.const 1))) (core instance $pi (instantiate $p))';

const cases = [
  {
    title: 'a missing instantiation argument', rule: 'core/missing-argument',
    invalid: `(component ${provider} (core module $m (import "env" "f" (func (param i32)))) (core instance (instantiate $m)))`,
    valid: `(component ${provider} (core module $m (import "env" "f" (func (param i32)))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
  },
  {
    title: 'an argument without the imported item', rule: 'core/missing-item',
    invalid: `(component ${provider} (core module $m (import "env" "h" (func (param i32)))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
    valid: `(component ${provider} (core module $m (import "env" "f" (func (param i32)))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
  },
  {
    title: 'an argument function of another signature', rule: 'core/argument-type',
    invalid: `(component ${provider} (core module $m (import "env" "f" (func (param i64)))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
    valid: `(component ${provider} (core module $m (import "env" "f" (func (param i32)))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
  },
  {
    title: 'a function given for a global', rule: 'core/argument-type',
    invalid: `(component ${provider} (core module $m (import "env" "f" (global i32))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
    valid: `(component ${provider} (core module $m (import "env" "g" (global i32))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
  },
  {
    title: 'a memory smaller than the import asks for', rule: 'core/argument-type',
    invalid: `(component ${provider} (core module $m (import "env" "m" (memory 2))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
    valid: `(component ${provider} (core module $m (import "env" "m" (memory 1))) (core instance (instantiate $m (with "env" (instance $pi)))))`,
  },
  {
    title: 'an argument given twice', rule: 'core/argument-repeated',
    invalid: `(component ${provider} (core module $m) (core instance (instantiate $m (with "a" (instance $pi)) (with "a" (instance $pi)))))`,
    valid: `(component ${provider} (core module $m) (core instance (instantiate $m (with "a" (instance $pi)) (with "b" (instance $pi)))))`,
  },
  {
    title: 'a module importing one name twice', rule: 'core/duplicate-import',
    invalid: '(component (core module (import "" "a" (func)) (import "" "a" (func))))',
    valid: '(component (core module (import "" "a" (func)) (import "" "b" (func))))',
  },
  {
    title: 'a module type importing a memory of more than 65536 pages', rule: 'core/memory-size',
    invalid: '(component (core type (module (import "" "" (memory 70000)))))',
    valid: '(component (core type (module (import "" "" (memory 65536)))))',
  },
  {
    title: 'an exports bundle naming one export twice', rule: 'core/export-repeated',
    invalid: `(component ${provider} (alias core export $pi "f" (core func $f)) (core instance (export "a" (func $f)) (export "a" (func $f))))`,
    valid: `(component ${provider} (alias core export $pi "f" (core func $f)) (core instance (export "a" (func $f)) (export "b" (func $f))))`,
  },
];

describe('validation: core instances and types', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });
});

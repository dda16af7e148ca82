// Aliases (validate/aliases.ts).
import { describe, it } from 'vitest';
import { expectInvalid, expectValid } from '../../../support/components.js';

const cases = [
  {
    title: 'an alias of an export the instance does not have', rule: 'alias/missing-export',
    invalid: '(component (import "i" (instance $i (export "f" (func)))) (alias export $i "g" (func)))',
    valid: '(component (import "i" (instance $i (export "f" (func)))) (alias export $i "f" (func)))',
  },
  {
    title: 'an alias of another sort than the export', rule: 'alias/sort-mismatch',
    invalid: '(component (import "i" (instance $i (export "f" (func)))) (alias export $i "f" (instance)))',
    valid: '(component (import "i" (instance $i (export "f" (instance)))) (alias export $i "f" (instance)))',
  },
  {
    title: 'a core export alias of a missing export', rule: 'alias/missing-export',
    invalid: '(component (core module $m (func (export "f"))) (core instance $i (instantiate $m)) (alias core export $i "g" (core func)))',
    valid: '(component (core module $m (func (export "f"))) (core instance $i (instantiate $m)) (alias core export $i "f" (core func)))',
  },
  {
    title: 'an outer alias past the outermost component', rule: 'alias/outer-count',
    invalid: '(component (type $t u8) (component (alias outer 2 0 (type))))',
    valid: '(component (type $t u8) (component (alias outer 1 0 (type))))',
  },
  {
    title: 'an outer alias of a resource into a nested component', rule: 'alias/outer-resource',
    invalid: '(component $C (type $r (resource (rep i32))) (component (alias outer $C $r (type))))',
    valid: '(component $C (type $r (list u8)) (component (alias outer $C $r (type))))',
  },
  {
    title: 'an outer alias of a component type that refers to an outer resource', rule: 'alias/outer-resource',
    invalid: '(component $C (type $t (resource (rep i32))) (type $u (component (export "a" (type (eq $t))))) (component (alias outer $C $u (type))))',
    valid: '(component $C (type $u (component (export "a" (type (sub resource))))) (component (alias outer $C $u (type))))',
  },
  {
    title: 'an outer alias of a component from inside a type', rule: 'alias/outer-sort',
    invalid: '(component $C (component $D) (type (component (alias outer $C $D (component)))))',
    valid: '(component $C (component $D) (component (alias outer $C $D (component))))',
  },
];

describe('validation: aliases', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });
});

// Canonical definitions (validate/canon.ts): options, and the core signature behind a lift.
import { describe, expect, it } from 'vitest';
import { expectInvalid, expectValid, instantiate } from '../../../support/components.js';

/** A core module with a memory, a realloc, a post-return and functions of several shapes. */
const CORE = `
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    (func (export "bad-realloc") (param i32 i32 i32) (result i32) i32.const 8)
    (func (export "post") (param i32))
    (func (export "first") (param i32) (result i32) local.get 0)
    (func (export "sum") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "ptr") (param i32 i32) (result i32) i32.const 0))
  (core instance $i (instantiate $m))`;

const lift = (type: string, func: string, options = '') =>
  `(component ${CORE} (func (export "f") ${type} (canon lift (core func $i "${func}") ${options})))`;

const mem = '(memory (core memory $i "mem"))';
const realloc = '(realloc (core func $i "realloc"))';

const cases = [
  {
    title: 'a lift of two parameters over a one-parameter core function', rule: 'canon/lift-signature',
    invalid: lift('(param "a" u32) (param "b" u32) (result u32)', 'first'),
    valid: lift('(param "a" u32) (param "b" u32) (result u32)', 'sum'),
  },
  { title: 'a lift whose result type differs', rule: 'canon/lift-signature', invalid: lift('(param "a" u32) (result u64)', 'first'), valid: lift('(param "a" u32) (result u32)', 'first') },
  { title: 'a lift of a string without memory', rule: 'canon/memory-required', invalid: lift('(param "s" string) (result u32)', 'ptr', realloc), valid: lift('(param "s" string) (result u32)', 'ptr', `${mem} ${realloc}`) },
  { title: 'a lift of a string without realloc', rule: 'canon/realloc-required', invalid: lift('(param "s" string) (result u32)', 'ptr', mem), valid: lift('(param "s" string) (result u32)', 'ptr', `${mem} ${realloc}`) },
  { title: 'a realloc of the wrong type', rule: 'canon/realloc-type', invalid: lift('(param "s" string) (result u32)', 'ptr', `${mem} (realloc (core func $i "bad-realloc"))`), valid: lift('(param "s" string) (result u32)', 'ptr', `${mem} ${realloc}`) },
  { title: 'a post-return of the wrong type', rule: 'canon/post-return-type', invalid: lift('(param "a" u32)', 'post', '(post-return (core func $i "post"))'), valid: lift('(param "a" u32) (result u32)', 'first', '(post-return (core func $i "post"))') },
  { title: 'an option given twice', rule: 'canon/option-repeated', invalid: lift('(param "a" u32) (result u32)', 'first', `${mem} ${mem}`), valid: lift('(param "a" u32) (result u32)', 'first', mem) },
  { title: 'two string encodings', rule: 'canon/option-repeated', invalid: lift('(param "a" u32) (result u32)', 'first', 'string-encoding=utf8 string-encoding=utf16'), valid: lift('(param "a" u32) (result u32)', 'first', 'string-encoding=utf16') },
  {
    title: 'a post-return on a lower', rule: 'canon/post-return-on-lower',
    invalid: `(component ${CORE} (import "h" (func $h)) (core func (canon lower (func $h) (post-return (core func $i "post")))))`,
    valid: `(component ${CORE} (import "h" (func $h)) (core func (canon lower (func $h))))`,
  },
  {
    title: 'a lower whose result needs realloc', rule: 'canon/realloc-required',
    invalid: `(component ${CORE} (import "h" (func $h (result string))) (core func (canon lower (func $h) ${mem})))`,
    valid: `(component ${CORE} (import "h" (func $h (result string))) (core func (canon lower (func $h) ${mem} ${realloc})))`,
  },
  {
    title: 'a lower of many parameters without memory', rule: 'canon/memory-required',
    invalid: `(component ${CORE} (import "h" (func $h ${Array.from({ length: 17 }, (_, i) => `(param "p${i}" u32)`).join(' ')})) (core func (canon lower (func $h))))`,
    valid: `(component ${CORE} (import "h" (func $h ${Array.from({ length: 16 }, (_, i) => `(param "p${i}" u32)`).join(' ')})) (core func (canon lower (func $h))))`,
  },
  {
    title: 'resource.new of an imported resource', rule: 'canon/resource-not-local',
    invalid: '(component (import "r" (type $r (sub resource))) (core func (canon resource.new $r)))',
    valid: '(component (type $r (resource (rep i32))) (core func (canon resource.new $r)))',
  },
  {
    title: 'resource.rep of a type that is not a resource', rule: 'canon/resource-type',
    invalid: '(component (type $r (list u8)) (core func (canon resource.rep $r)))',
    valid: '(component (type $r (resource (rep i32))) (core func (canon resource.rep $r)))',
  },
  {
    title: 'a lift over a core function index out of range', rule: 'index/out-of-range',
    invalid: '(component (type $f (func)) (func (type $f) (canon lift (core func 3))))',
    valid: `(component ${CORE} (func (param "a" u32) (result u32) (canon lift (core func $i "first"))))`,
  },
];

describe('validation: canonical definitions', () => {
  it.each(cases)('refuses $title ($rule) and accepts its twin', async ({ rule, invalid, valid }) => {
    await expectInvalid(invalid, rule);
    await expectValid(valid);
  });

  // issue-10: the host used to load this and, called with (7, 9), return 7.
  it('never runs a lift whose core function drops a parameter', async () => {
    const e = await expectInvalid(lift('(param "a" u32) (param "b" u32) (result u32)', 'first'), 'canon/lift-signature');
    expect(e.message).toMatch(/\(i32\) -> \(i32\).*\(i32, i32\) -> \(i32\)/);
    const ok = await instantiate(lift('(param "a" u32) (param "b" u32) (result u32)', 'sum'));
    expect(ok.call('f', 7, 9)).toBe(16);
  });
});

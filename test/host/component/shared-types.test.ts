// Instances of one component share the type values that reach none of their own resources.
import { describe, expect, it } from 'vitest';
import type { FuncValue } from '../../../host/component/instantiate.js';
import { compile, instantiate } from '../../support/components.js';

const COMPONENT = `(component
  (type $point (record (field "x" u32) (field "y" u32)))
  (type $r (resource (rep i32)))
  (core module $m
    (memory (export "memory") 1)
    (func (export "norm") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "rep") (param i32) (result i32) (local.get 0)))
  (core instance $i (instantiate $m))
  (export $p "point" (type $point))
  (export $r2 "r" (type $r))
  (func $norm (param "p" $p) (result u32) (canon lift (core func $i "norm")))
  (func $rep (param "x" (borrow $r2)) (result u32) (canon lift (core func $i "rep")))
  (export "norm" (func $norm))
  (export "rep" (func $rep)))`;

function sigOf(instance: { instance: { exports: Map<string, unknown> } }, name: string): FuncValue['sig'] {
  return (instance.instance.exports.get(name) as { func: FuncValue }).func.sig;
}

describe('type values shared across instances', () => {
  it('shares a signature of plain values, and keeps one that borrows the instance\'s resource per instance', async () => {
    const compiled = await compile(COMPONENT);
    const first = await instantiate(compiled);
    const second = await instantiate(compiled);
    expect(sigOf(second, 'norm')).toBe(sigOf(first, 'norm'));
    expect(sigOf(first, 'norm').params[0]!.type).toMatchObject({ kind: 'record', name: 'point' });
    expect(sigOf(second, 'rep')).not.toBe(sigOf(first, 'rep'));
    expect(first.call('norm', { x: 2, y: 3 })).toBe(5);
    expect(second.call('norm', { x: 4, y: 5 })).toBe(9);
  });
});

// Each instance of a nested component has its own types: glue generated for the first
// instance and reused for the next is bound to the next instance's resources.
import { describe, expect, it } from 'vitest';
import { compile, instantiate } from '../../support/components.js';

/** $P defines a resource and hands out handles numbered per instance; $C uses whichever $P it is given. */
const COMPONENT = `(component
  (component $P
    (type $r (resource (rep i32)))
    (core func $new (canon resource.new $r))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (global $n (mut i32) (i32.const 0))
      (func (export "make") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (call $new (global.get $n)))
      (func (export "rep") (param i32) (result i32) (local.get 0)))
    (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
    (export $r2 "r" (type $r))
    (func $make (result (own $r)) (canon lift (core func $i "make")))
    (func $rep (param "x" (borrow $r)) (result u32) (canon lift (core func $i "rep")))
    (export "make" (func $make) (func (result (own $r2))))
    (export "rep" (func $rep) (func (param "x" (borrow $r2)) (result u32))))
  (component $C
    (import "r" (type $r (sub resource)))
    (import "make" (func $make (result (own $r))))
    (import "rep" (func $rep (param "x" (borrow $r)) (result u32)))
    (core func $make2 (canon lower (func $make)))
    (core func $rep2 (canon lower (func $rep)))
    (core func $drop (canon resource.drop $r))
    (core module $m
      (import "" "make" (func $make (result i32)))
      (import "" "rep" (func $rep (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "run") (result i32) (local $h i32) (local $v i32)
        (local.set $h (call $make))
        (local.set $v (call $rep (local.get $h)))
        (call $drop (local.get $h))
        (local.get $v)))
    (core instance $i (instantiate $m (with "" (instance
      (export "make" (func $make2)) (export "rep" (func $rep2)) (export "drop" (func $drop))))))
    (func (export "run") (result u32) (canon lift (core func $i "run"))))
  (instance $p1 (instantiate $P))
  (instance $p2 (instantiate $P))
  (instance $c1 (instantiate $C (with "r" (type $p1 "r")) (with "make" (func $p1 "make")) (with "rep" (func $p1 "rep"))))
  (instance $c2 (instantiate $C (with "r" (type $p2 "r")) (with "make" (func $p2 "make")) (with "rep" (func $p2 "rep"))))
  (export "run1" (func $c1 "run"))
  (export "run2" (func $c2 "run")))`;

describe('nested component instances', () => {
  // issue-10: the second instance ran with the first one's resource types and trapped with
  // "handle 1 is a `r`, not a `r`".
  it('binds a nested component instantiated twice to each instance\'s own resource types', async () => {
    const c = await instantiate(COMPONENT);
    expect(c.call('run1')).toBe(1);
    expect(c.call('run2')).toBe(1);
    expect(c.call('run1')).toBe(2);
    expect(c.call('run2')).toBe(2);
  });

  it('binds a second instance of the whole component, made from the first one\'s glue templates, to its own types', async () => {
    const compiled = await compile(COMPONENT);
    const first = await instantiate(compiled);
    expect(compiled.templates?.size).toBeGreaterThan(0);
    const second = await instantiate(compiled);
    expect([first.call('run2'), second.call('run2'), second.call('run1'), first.call('run1')]).toEqual([1, 1, 1, 1]);
  });
});

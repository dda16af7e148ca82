// Re-entrance and handle rules of the Canonical ABI: an instance that is running a call
// cannot be entered again (it traps, and the trap poisons it); calls between an instance
// and its ancestors trap too, calls between siblings do not; realloc and post-return may
// not call out; one handle is never both lent and moved in one call.
import { describe, expect, it } from 'vitest';
import { instantiate, validation, wat } from '../../support/components.js';
import { compileComponent, instantiateComponent } from '../../../host/component/instantiate.js';

const trapped = expect.objectContaining({ code: 'ERR_TRAPPED' });

describe('re-entrance', () => {
  it('traps (and poisons the instance) when host code called by the guest calls back into it', async () => {
    let inner: unknown;
    const c = await instantiate(`(component
      (import "cb" (func $cb))
      (core func $cb2 (canon lower (func $cb)))
      (core module $m (import "" "cb" (func $cb)) (func (export "run") (call $cb)) (func (export "other")))
      (core instance $i (instantiate $m (with "" (instance (export "cb" (func $cb2))))))
      (func (export "run") (canon lift (core func $i "run")))
      (func (export "other") (canon lift (core func $i "other"))))`, {
      cb: () => {
        try {
          c.call('other');
        } catch (e) {
          inner = e;
        }
      },
    });
    c.call('run');
    expect(inner).toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/cannot enter component instance/) });
    expect(() => c.call('other')).toThrow(/poisoned/);
  });

  const PARENT_TO_CHILD = `(component
    (component $Child
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (func (export "f") (canon lift (core func $i "f"))))
    (instance $child (instantiate $Child))
    (core func $f (canon lower (func $child "f")))
    (core module $m (import "" "f" (func $f)) (func (export "g") (call $f)))
    (core instance $i (instantiate $m (with "" (instance (export "f" (func $f))))))
    (func (export "g") (canon lift (core func $i "g"))))`;

  const CHILD_TO_PARENT = `(component
    (core module $inner (func (export "f")))
    (core instance $inner (instantiate $inner))
    (func $f (canon lift (core func $inner "f")))
    (component $Child
      (import "f" (func $f))
      (core func $f2 (canon lower (func $f)))
      (core module $m (import "" "f" (func $f)) (func (export "g") (call $f)))
      (core instance $i (instantiate $m (with "" (instance (export "f" (func $f2))))))
      (func (export "g") (canon lift (core func $i "g"))))
    (instance $child (instantiate $Child (with "f" (func $f))))
    (export "g" (func $child "g")))`;

  const SIBLINGS = `(component
    (component $A
      (core module $m (func (export "f") (result i32) (i32.const 7)))
      (core instance $i (instantiate $m))
      (func (export "f") (result u32) (canon lift (core func $i "f"))))
    (component $B
      (import "f" (func $f (result u32)))
      (core func $f2 (canon lower (func $f)))
      (core module $m (import "" "f" (func $f (result i32))) (func (export "g") (result i32) (i32.add (call $f) (i32.const 1))))
      (core instance $i (instantiate $m (with "" (instance (export "f" (func $f2))))))
      (func (export "g") (result u32) (canon lift (core func $i "g"))))
    (instance $a (instantiate $A))
    (instance $b (instantiate $B (with "f" (func $a "f"))))
    (export "g" (func $b "g")))`;

  it('traps on a call from an instance into its own nested instance, and back', async () => {
    const down = await instantiate(PARENT_TO_CHILD);
    expect(() => down.call('g')).toThrow(trapped);
    const up = await instantiate(CHILD_TO_PARENT);
    expect(() => up.call('g')).toThrow(trapped);
  });

  it('lets sibling instances call each other (a composed component)', async () => {
    const c = await instantiate(SIBLINGS);
    expect(c.call('g')).toBe(8);
    expect(c.call('g')).toBe(8);
  });

  it('fails to load when a start function calls back into its own instance', async () => {
    const bytes = await wat(`(component
      (core module $m (func (export "")))
      (core instance $m (instantiate $m))
      (func $f1 (canon lift (core func $m "")))
      (core func $f2 (canon lower (func $f1)))
      (core module $m2 (import "" "" (func $f)) (func $start (call $f)) (start $start))
      (core instance (instantiate $m2 (with "" (instance (export "" (func $f2)))))))`);
    expect(await validation(bytes)).toBeUndefined();
    const compiled = await compileComponent(bytes);
    expect(() => instantiateComponent(compiled, () => { throw new Error('no imports'); }))
      .toThrow(expect.objectContaining({ code: 'ERR_LOAD_FAILED', message: expect.stringMatching(/cannot enter component instance/) }));
  });
});

describe('may-leave', () => {
  /** $B's post-return (or realloc) calls `f`: from a sibling component, or from the host. */
  const composed = (hook: 'post' | 'realloc', fromHost: boolean) => `(component
    ${fromHost ? '(import "f" (func $f))' : `(component $A
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (func (export "f") (canon lift (core func $i "f"))))
    (instance $a (instantiate $A))`}
    (component $B
      (import "f" (func $f))
      (core func $f2 (canon lower (func $f)))
      (core module $m (import "" "f" (func $f))
        (memory (export "mem") 1)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) ${hook === 'realloc' ? '(call $f)' : ''} (i32.const 8))
        (func (export "g") (param i32 i32) (result i32) (local.get 1))
        (func (export "post") (param i32) ${hook === 'post' ? '(call $f)' : ''}))
      (core instance $i (instantiate $m (with "" (instance (export "f" (func $f2))))))
      (func (export "g") (param "s" string) (result u32)
        (canon lift (core func $i "g") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) (post-return (core func $i "post")))))
    (instance $b (instantiate $B (with "f" (func ${fromHost ? '$f' : '$a "f"'}))))
    (export "g" (func $b "g")))`;
  const cannotLeave = expect.objectContaining({ code: 'ERR_TRAPPED', message: expect.stringMatching(/cannot leave component instance/) });

  it('traps when post-return or realloc calls into another component instance', async () => {
    for (const hook of ['post', 'realloc'] as const) {
      const c = await instantiate(composed(hook, false));
      expect(() => c.call('g', 'abc'), hook).toThrow(cannotLeave);
    }
  });

  // A deliberate difference from the Canonical ABI (see canon/functions.ts): toolchains run
  // constructors that call WASI inside cabi_realloc and post-return.
  it('lets post-return and realloc call the host', async () => {
    for (const hook of ['post', 'realloc'] as const) {
      let calls = 0;
      const c = await instantiate(composed(hook, true), { f: () => { calls++; } });
      expect(c.call('g', 'abc'), hook).toBe(3);
      expect(calls).toBe(1);
    }
  });
});

describe('handles lent and moved', () => {
  const COMPONENT = `(component
    (import "r" (type $r (sub resource)))
    (import "[constructor]r" (func $ctor (result (own $r))))
    (import "take" (func $take (param "a" (borrow $r)) (param "b" (own $r))))
    (core func $take2 (canon lower (func $take)))
    (core func $ctor2 (canon lower (func $ctor)))
    (core module $m
      (import "" "take" (func $take (param i32 i32)))
      (import "" "ctor" (func $ctor (result i32)))
      (global $second (mut i32) (i32.const 0))
      (func (export "set") (param i32) (global.set $second (local.get 0)))
      (func (export "run") (local $h i32)
        (local.set $h (call $ctor))
        (drop (call $ctor))
        ;; lend handle 1 and give away handle $second
        (call $take (local.get $h) (global.get $second))))
    (core instance $i (instantiate $m (with "" (instance (export "take" (func $take2)) (export "ctor" (func $ctor2))))))
    (func (export "set") (param "h" u32) (canon lift (core func $i "set")))
    (func (export "run") (canon lift (core func $i "run"))))`;
  const host = () => ({ '[constructor]r': () => ({}), take: () => {} });

  // issue-10: the host received the same resource both borrowed and owned.
  it('traps when a guest passes one handle as both a borrow and an own in one call', async () => {
    const c = await instantiate(COMPONENT, host());
    c.call('set', 1);
    expect(() => c.call('run')).toThrow(expect.objectContaining({ code: 'ERR_TRAPPED', message: expect.stringMatching(/lent/) }));
    const ok = await instantiate(COMPONENT, host());
    ok.call('set', 2);
    expect(() => ok.call('run')).not.toThrow();
  });
});

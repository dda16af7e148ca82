/**
 * Entering and leaving component instances (CanonicalABI.md "Component Instances",
 * Explainer.md "Component Invariants" #2): a call may not enter an instance that is already
 * running, nor any of its enclosing instances that are. Following the reference tests, a
 * call between an instance and one of its own ancestors or descendants is refused too.
 * Calls between sibling instances (a composed component) are fine.
 *
 * `current` is the instance whose code is running (undefined: the host). JavaScript runs
 * one call stack per thread, so a module-level variable is exact.
 */
import type { InstanceState } from '../runtime/resources.js';
import { trap } from './runtime.js';

let current: InstanceState | undefined;

function isAncestorOrSelf(a: InstanceState, of: InstanceState): boolean {
  for (let s: InstanceState | undefined = of; s; s = s.parent) if (s === a) return true;
  return false;
}

/**
 * Marks `inst` (and the enclosing instances the call enters) as running. Returns what
 * `leave` needs. Traps ("cannot enter component instance") when the call is re-entrance.
 */
export function enter(inst: InstanceState): InstanceState | undefined {
  const caller = current;
  if (caller === undefined && inst.parent === undefined) {
    // The common case: the host calls a top-level instance.
    if (!inst.mayEnter) trap('cannot enter component instance: it is already running a call (re-entrance)');
    inst.mayEnter = false;
    current = inst;
    return caller;
  }
  if (caller && (isAncestorOrSelf(inst, caller) || isAncestorOrSelf(caller, inst))) {
    trap('cannot enter component instance: it is already running a call (re-entrance)');
  }
  for (let s: InstanceState | undefined = inst; s && !(caller && isAncestorOrSelf(s, caller)); s = s.parent) {
    if (!s.mayEnter) trap('cannot enter component instance: it is already running a call (re-entrance)');
  }
  for (let s: InstanceState | undefined = inst; s && !(caller && isAncestorOrSelf(s, caller)); s = s.parent) s.mayEnter = false;
  current = inst;
  return caller;
}

/** Undoes `enter(inst)`; `caller` is what it returned. */
export function leave(inst: InstanceState, caller: InstanceState | undefined): void {
  for (let s: InstanceState | undefined = inst; s && !(caller && isAncestorOrSelf(s, caller)); s = s.parent) s.mayEnter = true;
  current = caller;
}

/** Traps unless the running instance may call out (not during `realloc` or `post-return`). */
export function checkMayLeave(inst: InstanceState): void {
  if (!inst.mayLeave) trap('cannot leave component instance: a canonical built-in or import was called from realloc or post-return');
}

/**
 * Size bounds on value types, checked when a type is defined, before any layout table or
 * glue is built from it. Types refer to earlier types by index, so a small binary can
 * describe a type that is very deep (a chain of `list`s), very large once expanded (tuples
 * of tuples of the same type), or very long in memory (`(list u32 4294967295)`).
 *
 * - element size below 2^28 bytes, counted with 64-bit pointers so that the bound holds
 *   for memory64 too (Binary.md, CanonicalABI.md "Element Size");
 * - at most 2^30 elements in a fixed-length list;
 * - depth at most 100 and at most 100,000 nodes when expanded (this host's limits: glue is
 *   generated per node, and walks over types recurse).
 */
import type { Type } from '../../../common/wit/model.js';
import { invalid } from './errors.js';
import { typeInfo } from './type-info.js';
import type { ComponentType, ExternT, FuncType, InstanceType } from './types.js';

export const MAX_ELEMENT_SIZE = 2 ** 28;
export const MAX_FIXED_LIST_LENGTH = 2 ** 30;
export const MAX_TYPE_DEPTH = 100;
export const MAX_TYPE_NODES = 100_000;
/** Instance and component types, counted like value types (each export, each part). */
export const MAX_EXTERN_NODES = 1_000_000;
/** Instances (core and component) one instantiation of the root may create. */
export const MAX_INSTANCES = 10_000;

/** Refuses a newly defined value type that breaks a bound (rules `limits/…`). */
export function checkTypeBounds(type: Type, at: number | undefined): void {
  if (type.kind === 'list' && type.length !== undefined && type.length > MAX_FIXED_LIST_LENGTH) {
    throw invalid('limits/fixed-list-length', at, `a fixed-length list of ${type.length} elements is longer than ${MAX_FIXED_LIST_LENGTH}`);
  }
  // Every part was bounded when it was defined, so these stay small safe integers.
  const i = typeInfo(type);
  if (i.depth > MAX_TYPE_DEPTH) throw invalid('limits/type-depth', at, `a type nests ${i.depth} deep (at most ${MAX_TYPE_DEPTH})`);
  if (i.nodes > MAX_TYPE_NODES) throw invalid('limits/type-size', at, `a type has ${i.nodes} parts once expanded (at most ${MAX_TYPE_NODES})`);
  if (i.size >= MAX_ELEMENT_SIZE) throw invalid('limits/element-size', at, `a value of this type exceeds maximum byte size: ${i.size} bytes with 64-bit pointers (the limit is ${MAX_ELEMENT_SIZE - 1})`);
}

/** Bounds a function type's parameters and result together. */
export function checkFuncBounds(types: readonly Type[], at: number | undefined): void {
  let nodes = 0;
  for (const t of types) nodes += typeInfo(t).nodes;
  if (nodes > MAX_TYPE_NODES) throw invalid('limits/type-size', at, `a function type has ${nodes} parts once expanded (at most ${MAX_TYPE_NODES})`);
}

const externSizes = new WeakMap<object, number>();

function funcSize(f: FuncType): number {
  let n = externSizes.get(f);
  if (n === undefined) {
    n = 1;
    for (const p of f.params) n += typeInfo(p.type).nodes;
    if (f.result) n += typeInfo(f.result).nodes;
    externSizes.set(f, n);
  }
  return n;
}

/** Expanded size of an item's type; instance and component types are measured once each. */
export function externSize(x: ExternT): number {
  switch (x.sort) {
    case 'func': return funcSize(x.type);
    case 'type': {
      const e = x.entry;
      if (e.kind === 'value' || e.kind === 'resource') return typeInfo(e.type).nodes;
      if (e.kind === 'func') return funcSize(e.type);
      return e.kind === 'instance' ? instanceSize(e.type) : componentSize(e.type);
    }
    case 'instance': return instanceSize(x.type);
    case 'component': return componentSize(x.type);
    case 'core module': return 1;
  }
}

function sumOf(items: Iterable<ExternT>): number {
  let n = 1;
  for (const x of items) n = Math.min(n + externSize(x), MAX_EXTERN_NODES + 1);
  return n;
}

function instanceSize(t: InstanceType): number {
  let n = externSizes.get(t);
  if (n === undefined) externSizes.set(t, (n = sumOf(t.exports.values())));
  return n;
}

function componentSize(t: ComponentType): number {
  let n = externSizes.get(t);
  if (n === undefined) externSizes.set(t, (n = sumOf([...t.imports.values(), ...t.exports.values()])));
  return n;
}

/** Refuses an instance or component type too large to walk (rule `limits/type-size`). */
export function checkExternBounds(x: ExternT, at: number | undefined): void {
  const n = externSize(x);
  if (n > MAX_EXTERN_NODES) throw invalid('limits/type-size', at, `effective type size exceeds the limit of ${MAX_EXTERN_NODES}`);
}

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
import { alignTo, discriminantSize } from '../../../common/abi/layout.js';
import type { Type } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import { invalid } from './errors.js';
import type { ComponentType, ExternT, FuncType, InstanceType } from './types.js';

export const MAX_ELEMENT_SIZE = 2 ** 28;
export const MAX_FIXED_LIST_LENGTH = 2 ** 30;
export const MAX_TYPE_DEPTH = 100;
export const MAX_TYPE_NODES = 100_000;
/** Instance and component types, counted like value types (each export, each part). */
export const MAX_EXTERN_NODES = 1_000_000;
/** Instances (core and component) one instantiation of the root may create. */
export const MAX_INSTANCES = 10_000;

interface Measure { readonly depth: number; readonly nodes: number }

const measures = new WeakMap<object, Measure>();

/** Depth and expanded node count of a type whose parts were measured when they were defined. */
function measure(type: Type): Measure {
  const known = measures.get(type);
  if (known) return known;
  const parts = childrenOf(type);
  let depth = 0;
  let nodes = 1;
  for (const p of parts) {
    const m = measure(p);
    depth = Math.max(depth, m.depth);
    nodes += m.nodes;
  }
  const m = { depth: depth + 1, nodes };
  measures.set(type, m);
  return m;
}

function childrenOf(t: Type): Type[] {
  switch (t.kind) {
    case 'alias': return [t.target];
    case 'list': return [t.element];
    case 'option': return [t.some];
    case 'result': return [t.ok, t.err].filter((x): x is Type => x !== undefined);
    case 'tuple': return [...t.types];
    case 'record': return t.fields.map((f) => f.type);
    case 'variant': return t.cases.flatMap((c) => (c.type ? [c.type] : []));
    default: return [];
  }
}

/** Refuses a newly defined value type that breaks a bound (rules `limits/…`). */
export function checkTypeBounds(type: Type, at: number | undefined): void {
  const m = measure(type);
  if (m.depth > MAX_TYPE_DEPTH) throw invalid('limits/type-depth', at, `a type nests ${m.depth} deep (at most ${MAX_TYPE_DEPTH})`);
  if (m.nodes > MAX_TYPE_NODES) throw invalid('limits/type-size', at, `a type has ${m.nodes} parts once expanded (at most ${MAX_TYPE_NODES})`);
  if (type.kind === 'list' && type.length !== undefined && type.length > MAX_FIXED_LIST_LENGTH) {
    throw invalid('limits/fixed-list-length', at, `a fixed-length list of ${type.length} elements is longer than ${MAX_FIXED_LIST_LENGTH}`);
  }
  // Every part was bounded when it was defined, so this product stays a safe integer.
  const size = elemSize64(type);
  if (size >= MAX_ELEMENT_SIZE) throw invalid('limits/element-size', at, `a value of this type exceeds maximum byte size: ${size} bytes with 64-bit pointers (the limit is ${MAX_ELEMENT_SIZE - 1})`);
}

const sizes = new WeakMap<object, number>();
const aligns = new WeakMap<object, number>();

/** CanonicalABI.md `alignment(t, 'i64')`. */
function align64(type: Type): number {
  let a = aligns.get(type);
  if (a !== undefined) return a;
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': a = 1; break;
    case 's16': case 'u16': a = 2; break;
    case 's32': case 'u32': case 'f32': case 'char': case 'own': case 'borrow': case 'stream': case 'future': a = 4; break;
    case 's64': case 'u64': case 'f64': case 'string': case 'map': a = 8; break;
    case 'list': a = t.length === undefined ? 8 : align64(t.element); break;
    case 'flags': a = t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4; break;
    default: {
      const parts = partsOf(t);
      a = Math.max(1, ...parts.fields.map(align64));
      if (parts.cases !== undefined) a = Math.max(a, discriminantSize(parts.cases));
    }
  }
  aligns.set(type, a);
  return a;
}

/** CanonicalABI.md `elem_size(t, 'i64')`. */
export function elemSize64(type: Type): number {
  let s = sizes.get(type);
  if (s !== undefined) return s;
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': s = 1; break;
    case 's16': case 'u16': s = 2; break;
    case 's32': case 'u32': case 'f32': case 'char': case 'own': case 'borrow': case 'stream': case 'future': s = 4; break;
    case 's64': case 'u64': case 'f64': s = 8; break;
    case 'string': case 'map': s = 16; break;
    case 'list': s = t.length === undefined ? 16 : t.length * elemSize64(t.element); break;
    case 'flags': s = t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4; break;
    default: {
      const parts = partsOf(t);
      if (parts.cases === undefined) {
        s = 0;
        for (const f of parts.fields) s = alignTo(s, align64(f)) + elemSize64(f);
      } else {
        const caseAlign = Math.max(1, ...parts.fields.map(align64));
        s = alignTo(discriminantSize(parts.cases), caseAlign) + Math.max(0, ...parts.fields.map(elemSize64));
      }
      s = alignTo(s, align64(t));
    }
  }
  sizes.set(type, s);
  return s;
}

/** Records and tuples: their field types. Variant-likes: their payload types and case count. */
function partsOf(t: Type): { fields: Type[]; cases?: number } {
  switch (t.kind) {
    case 'record': return { fields: t.fields.map((f) => f.type) };
    case 'tuple': return { fields: [...t.types] };
    case 'variant': return { fields: t.cases.flatMap((c) => (c.type ? [c.type] : [])), cases: t.cases.length };
    case 'enum': return { fields: [], cases: t.cases.length };
    case 'option': return { fields: [t.some], cases: 2 };
    case 'result': return { fields: [t.ok, t.err].filter((x): x is Type => x !== undefined), cases: 2 };
    default: return { fields: [] };
  }
}

/** Bounds a function type's parameters and result together. */
export function checkFuncBounds(types: readonly Type[], at: number | undefined): void {
  let nodes = 0;
  for (const t of types) nodes += measure(t).nodes;
  if (nodes > MAX_TYPE_NODES) throw invalid('limits/type-size', at, `a function type has ${nodes} parts once expanded (at most ${MAX_TYPE_NODES})`);
}

const externSizes = new WeakMap<object, number>();

function funcSize(f: FuncType): number {
  let n = externSizes.get(f);
  if (n === undefined) {
    n = 1;
    for (const p of f.params) n += measure(p.type).nodes;
    if (f.result) n += measure(f.result).nodes;
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
      if (e.kind === 'value' || e.kind === 'resource') return measure(e.type).nodes;
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

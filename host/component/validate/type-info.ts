/**
 * What the validator needs to know about a value type, computed once per type object from
 * its direct parts (which were measured when they were defined): depth, expanded size,
 * Canonical ABI element size and alignment with 64-bit pointers, and whether it contains a
 * `borrow` or a pointer. One pass, no walks: types refer to earlier types by index, so a
 * small binary can describe very deep or very large types.
 */
import { alignTo, discriminantSize } from '../../../common/abi/layout.js';
import type { Type } from '../../../common/wit/model.js';

export interface TypeInfo {
  readonly depth: number;
  /** Parts when expanded as a tree (shared parts counted each time they occur). */
  readonly nodes: number;
  /** CanonicalABI.md `elem_size(t, 'i64')`. */
  readonly size: number;
  /** CanonicalABI.md `alignment(t, 'i64')`. */
  readonly align: number;
  readonly borrow: boolean;
  /** Lowering or lifting it touches memory through a pointer (strings, lists of any length). */
  readonly pointer: boolean;
}

const infos = new WeakMap<object, TypeInfo>();

const leaf = (size: number, pointer = false, borrow = false): TypeInfo => ({ depth: 1, nodes: 1, size, align: Math.min(size, 8), borrow, pointer });
const SCALARS: Record<string, TypeInfo> = {
  bool: leaf(1), s8: leaf(1), u8: leaf(1), s16: leaf(2), u16: leaf(2), s32: leaf(4), u32: leaf(4), f32: leaf(4), char: leaf(4),
  s64: leaf(8), u64: leaf(8), f64: leaf(8), own: leaf(4), borrow: leaf(4, false, true), stream: leaf(4), future: leaf(4),
  'error-context': leaf(4), string: leaf(16, true), map: leaf(16, true),
};

/** A record or tuple of these parts. */
function sequence(parts: readonly Type[]): TypeInfo {
  let depth = 0;
  let nodes = 1;
  let size = 0;
  let align = 1;
  let borrow = false;
  let pointer = false;
  for (const p of parts) {
    const i = typeInfo(p);
    if (i.depth > depth) depth = i.depth;
    nodes += i.nodes;
    size = alignTo(size, i.align) + i.size;
    if (i.align > align) align = i.align;
    borrow ||= i.borrow;
    pointer ||= i.pointer;
  }
  return { depth: depth + 1, nodes, size: alignTo(size, align), align, borrow, pointer };
}

/** A variant (or enum, option, result) of `cases` cases with these payloads. */
function cased(cases: number, payloads: readonly (Type | undefined)[]): TypeInfo {
  let depth = 0;
  let nodes = 1;
  let payload = 0;
  let caseAlign = 1;
  let borrow = false;
  let pointer = false;
  for (const p of payloads) {
    if (!p) continue;
    const i = typeInfo(p);
    if (i.depth > depth) depth = i.depth;
    nodes += i.nodes;
    if (i.size > payload) payload = i.size;
    if (i.align > caseAlign) caseAlign = i.align;
    borrow ||= i.borrow;
    pointer ||= i.pointer;
  }
  const disc = discriminantSize(cases);
  const align = Math.max(disc, caseAlign);
  return { depth: depth + 1, nodes, size: alignTo(alignTo(disc, caseAlign) + payload, align), align, borrow, pointer };
}

function compute(t: Type): TypeInfo {
  switch (t.kind) {
    case 'alias': return typeInfo(t.target);
    case 'list': {
      const e = typeInfo(t.element);
      if (t.length === undefined) return { depth: e.depth + 1, nodes: e.nodes + 1, size: 16, align: 8, borrow: e.borrow, pointer: true };
      return { depth: e.depth + 1, nodes: e.nodes + 1, size: t.length * e.size, align: e.align, borrow: e.borrow, pointer: e.pointer };
    }
    case 'record': return sequence(t.fields.map((f) => f.type));
    case 'tuple': return sequence(t.types);
    case 'variant': return cased(t.cases.length, t.cases.map((c) => c.type));
    case 'enum': return cased(t.cases.length, []);
    case 'option': return cased(2, [t.some]);
    case 'result': return cased(2, [t.ok, t.err]);
    case 'flags': return leaf(t.flags.length <= 8 ? 1 : t.flags.length <= 16 ? 2 : 4);
    default: return SCALARS[t.kind] ?? leaf(4);
  }
}

export function typeInfo(type: Type): TypeInfo {
  let i = infos.get(type);
  if (!i) {
    i = compute(type);
    infos.set(type, i);
  }
  return i;
}

/**
 * The Canonical ABI's memory layout and flattening of WIT types (CanonicalABI.md:
 * "Alignment", "Element Size", "Flattening"), shared by the host's lifting/lowering and
 * by the guest bindings generators.
 *
 * Flags follow the pre-2024 rule for more than 32 labels (one i32 per 32 flags), which the
 * current specification forbids but older toolchains still produce.
 */
import type { Case, Field, Type, WitFunction } from '../wit/model.js';
import { unalias } from '../wit/model.js';

export type CoreType = 'i32' | 'i64' | 'f32' | 'f64';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

/** A type reduced to the four shapes the ABI distinguishes. */
export type Despecialized =
  | { kind: 'scalar'; type: Type }
  | { kind: 'record'; fields: readonly { name: string; type: Type }[] }
  | { kind: 'variant'; cases: readonly { name: string; type?: Type }[] };

export function despecialize(type: Type): Despecialized {
  const t = unalias(type);
  switch (t.kind) {
    case 'record': return { kind: 'record', fields: t.fields };
    case 'tuple': return { kind: 'record', fields: t.types.map((type, i) => ({ name: String(i), type })) };
    case 'variant': return { kind: 'variant', cases: t.cases };
    case 'enum': return { kind: 'variant', cases: t.cases.map((c) => ({ name: c.name })) };
    case 'option': return { kind: 'variant', cases: [{ name: 'none' }, { name: 'some', type: t.some }] };
    case 'result': return { kind: 'variant', cases: [{ name: 'ok', type: t.ok }, { name: 'error', type: t.err }] };
    default: return { kind: 'scalar', type: t };
  }
}

const alignCache = new WeakMap<object, number>();
const sizeCache = new WeakMap<object, number>();
const flatCache = new WeakMap<object, readonly CoreType[]>();
const flatCountCache = new WeakMap<object, number>();

/**
 * The most core values `flatten` lists. Fixed-length lists multiply: `list<u32, 4294967295>`
 * flattens to four billion values, so the count is computed first (`flatCount`) and only
 * types that can actually travel flat (at most MAX_FLAT_PARAMS values) are listed.
 */
export const MAX_FLATTENED = 1024;

export function alignOf(type: Type): number {
  let a = alignCache.get(type);
  if (a === undefined) {
    a = computeAlign(type);
    alignCache.set(type, a);
  }
  return a;
}

function computeAlign(type: Type): number {
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': return 1;
    case 's16': case 'u16': return 2;
    case 's32': case 'u32': case 'f32': case 'char': return 4;
    case 's64': case 'u64': case 'f64': return 8;
    case 'string': return 4;
    case 'list': return t.length === undefined ? 4 : alignOf(t.element);
    case 'flags': return flagsSize(t.flags.length) >= 4 ? 4 : flagsSize(t.flags.length);
    case 'own': case 'borrow': case 'future': case 'stream': case 'error-context': return 4;
    case 'map': return 4;
    case 'resource': throw new Error('a resource type has no value layout; use own<> or borrow<>');
    default: {
      const d = despecialize(t);
      if (d.kind === 'record') return d.fields.reduce((m, f) => Math.max(m, alignOf(f.type)), 1);
      if (d.kind === 'variant') return Math.max(discriminantSize(d.cases.length), maxCaseAlign(d.cases));
      throw new Error(`no alignment for ${t.kind}`);
    }
  }
}

export function sizeOf(type: Type): number {
  let s = sizeCache.get(type);
  if (s === undefined) {
    s = computeSize(type);
    sizeCache.set(type, s);
  }
  return s;
}

function computeSize(type: Type): number {
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': return 1;
    case 's16': case 'u16': return 2;
    case 's32': case 'u32': case 'f32': case 'char': return 4;
    case 's64': case 'u64': case 'f64': return 8;
    case 'string': return 8;
    case 'list': return t.length === undefined ? 8 : t.length * sizeOf(t.element);
    case 'flags': return flagsSize(t.flags.length);
    case 'own': case 'borrow': case 'future': case 'stream': case 'error-context': return 4;
    case 'map': return 8;
    case 'resource': throw new Error('a resource type has no value layout; use own<> or borrow<>');
    default: {
      const d = despecialize(t);
      if (d.kind === 'record') return recordLayout(d.fields).size;
      if (d.kind === 'variant') return variantLayout(d.cases).size;
      throw new Error(`no size for ${t.kind}`);
    }
  }
}

export function alignTo(offset: number, align: number): number {
  return Math.ceil(offset / align) * align;
}

/** Byte size of the discriminant of a variant with `n` cases. */
export function discriminantSize(n: number): 1 | 2 | 4 {
  return n <= 256 ? 1 : n <= 65536 ? 2 : 4;
}

/** Byte size of a flags value; more than 32 flags take one u32 per 32. */
export function flagsSize(n: number): number {
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4 * Math.ceil(n / 32);
}

function maxCaseAlign(cases: readonly { type?: Type }[]): number {
  return cases.reduce((m, c) => (c.type ? Math.max(m, alignOf(c.type)) : m), 1);
}

export interface RecordLayout { offsets: number[]; size: number; align: number }

export function recordLayout(fields: readonly { type: Type }[]): RecordLayout {
  let offset = 0;
  let align = 1;
  const offsets: number[] = [];
  for (const f of fields) {
    const a = alignOf(f.type);
    align = Math.max(align, a);
    offset = alignTo(offset, a);
    offsets.push(offset);
    offset += sizeOf(f.type);
  }
  return { offsets, size: alignTo(offset, align), align };
}

export interface VariantLayout { discriminantSize: 1 | 2 | 4; payloadOffset: number; size: number; align: number }

export function variantLayout(cases: readonly { type?: Type }[]): VariantLayout {
  const disc = discriminantSize(cases.length);
  const caseAlign = maxCaseAlign(cases);
  const payloadOffset = alignTo(disc, caseAlign);
  const payload = cases.reduce((m, c) => (c.type ? Math.max(m, sizeOf(c.type)) : m), 0);
  const align = Math.max(disc, caseAlign);
  return { discriminantSize: disc, payloadOffset, size: alignTo(payloadOffset + payload, align), align };
}

/**
 * Core value types a WIT type flattens to. Throws for types of more than MAX_FLATTENED
 * values: callers decide with `flatCount` first (such types always travel in memory).
 */
export function flatten(type: Type): readonly CoreType[] {
  let f = flatCache.get(type);
  if (f === undefined) {
    const n = flatCount(type);
    if (n > MAX_FLATTENED) throw new RangeError(`a type of ${n} flat values is never passed flat; check flatCount() first`);
    f = computeFlat(type);
    flatCache.set(type, f);
  }
  return f;
}

/** How many core values a WIT type flattens to, without listing them. */
export function flatCount(type: Type): number {
  let n = flatCountCache.get(type);
  if (n === undefined) {
    n = computeFlatCount(type);
    flatCountCache.set(type, n);
  }
  return n;
}

function computeFlatCount(type: Type): number {
  const t = unalias(type);
  switch (t.kind) {
    case 'string': case 'map': return 2;
    case 'list': return t.length === undefined ? 2 : t.length * flatCount(t.element);
    case 'flags': return Math.max(1, Math.ceil(t.flags.length / 32));
    case 'resource': throw new Error('a resource type has no value layout; use own<> or borrow<>');
    default: {
      const d = despecialize(t);
      if (d.kind === 'record') return d.fields.reduce((n, f) => n + flatCount(f.type), 0);
      if (d.kind === 'variant') return 1 + d.cases.reduce((n, c) => Math.max(n, c.type ? flatCount(c.type) : 0), 0);
      return 1;
    }
  }
}

function computeFlat(type: Type): CoreType[] {
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 'char':
      return ['i32'];
    case 's64': case 'u64': return ['i64'];
    case 'f32': return ['f32'];
    case 'f64': return ['f64'];
    case 'string': return ['i32', 'i32'];
    case 'list': return t.length === undefined ? ['i32', 'i32'] : Array.from({ length: t.length }, () => flatten(t.element)).flat();
    case 'flags': return Array.from({ length: Math.max(1, Math.ceil(t.flags.length / 32)) }, () => 'i32' as const);
    case 'own': case 'borrow': case 'future': case 'stream': case 'error-context': return ['i32'];
    case 'map': return ['i32', 'i32'];
    case 'resource': throw new Error('a resource type has no value layout; use own<> or borrow<>');
    default: {
      const d = despecialize(t);
      if (d.kind === 'record') return d.fields.flatMap((f) => flatten(f.type));
      if (d.kind === 'variant') return flattenVariant(d.cases);
      throw new Error(`cannot flatten ${t.kind}`);
    }
  }
}

export function flattenVariant(cases: readonly { type?: Type }[]): CoreType[] {
  const n = 1 + cases.reduce((m, c) => Math.max(m, c.type ? flatCount(c.type) : 0), 0);
  if (n > MAX_FLATTENED) throw new RangeError(`a variant of ${n} flat values is never passed flat; check flatCount() first`);
  const flat: CoreType[] = [];
  for (const c of cases) {
    if (!c.type) continue;
    flatten(c.type).forEach((ft, i) => {
      flat[i] = i < flat.length ? join(flat[i]!, ft) : ft;
    });
  }
  return ['i32', ...flat];
}

export function join(a: CoreType, b: CoreType): CoreType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/** How a function's parameters and results cross the boundary. */
export interface FlatSignature {
  /** Core parameter types as the callee sees them. */
  readonly params: readonly CoreType[];
  readonly results: readonly CoreType[];
  /** Parameters did not fit in 16 core values: one pointer to a tuple in memory. */
  readonly paramsInMemory: boolean;
  /** Results did not fit in one core value: returned through memory. */
  readonly resultsInMemory: boolean;
}

/**
 * `lift`: the callee is the guest's export (results in memory come back as a pointer).
 * `lower`: the callee is an import the guest calls (it passes a pointer to write results to).
 */
export function flattenSignature(func: Pick<WitFunction, 'params' | 'result'>, context: 'lift' | 'lower'): FlatSignature {
  // Counted before anything is listed: a fixed-length list may stand for billions of values.
  const paramCount = func.params.reduce((n, p) => n + flatCount(p.type), 0);
  const resultCount = func.result ? flatCount(func.result) : 0;
  const paramsInMemory = paramCount > MAX_FLAT_PARAMS;
  const resultsInMemory = resultCount > MAX_FLAT_RESULTS;
  let params: CoreType[] = paramsInMemory ? ['i32'] : func.params.flatMap((p) => flatten(p.type));
  let results: CoreType[] = resultsInMemory || !func.result ? [] : [...flatten(func.result)];
  if (resultsInMemory) {
    if (context === 'lift') results = ['i32'];
    else params = [...params, 'i32'];
  }
  return { params, results, paramsInMemory, resultsInMemory };
}

export type { Case, Field };

/**
 * Type equality and subtyping (Explainer.md "Type Checking"). Value and function types are
 * equal when their structure is; resources are equal when they are the same resource.
 * Instance, component and module types are related by subtyping: a subtype may export
 * more and import less. Each check returns `undefined` when it holds, or why not.
 *
 * A `Matcher` lets the check *bind* abstract resources on first sight: when a component
 * is instantiated, its imported resources stand for whatever the arguments supply.
 */
import type { ResourceType, Type } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import type { CoreExtern, CoreFuncType, CoreModuleType } from '../binary/core-module.js';
import type { CoreLimits } from '../binary/ast.js';
import type { ComponentType, ExternT, FuncType, InstanceType, TypeEntry } from './types.js';

export interface Matcher {
  /** Resources that stand for whatever they are first compared with. */
  readonly bindable: ReadonlySet<ResourceType>;
  /** Resources bound so far: the expected (bindable) side to the actual one. */
  readonly bound: Map<ResourceType, ResourceType>;
  /** When given: each expected type entry found equal, mapped to the actual entry's type. */
  readonly entries?: Map<object, Type>;
}

export const STRICT: Matcher = { bindable: new Set(), bound: new Map() };

export function resourceOf(t: Type): ResourceType {
  return unalias(t) as ResourceType;
}

function sameResource(actual: ResourceType, expected: ResourceType, m: Matcher): boolean {
  if (actual === expected) return true;
  const b = m.bound.get(expected);
  if (b) return b === actual;
  const back = m.bound.get(actual);
  if (back) return back === expected;
  if (m.bindable.has(expected)) {
    m.bound.set(expected, actual);
    return true;
  }
  if (m.bindable.has(actual)) {
    m.bound.set(actual, expected);
    return true;
  }
  return false;
}

function sameLabels(a: readonly { name: string }[], b: readonly { name: string }[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name);
}

/** Structural equality of value types; resources by identity (or binding). */
export function typesEqual(a: Type, b: Type, m: Matcher = STRICT): boolean {
  const x = unalias(a);
  const y = unalias(b);
  if (x === y) return true;
  if (x.kind !== y.kind) return false;
  const eq = (p: Type | undefined, q: Type | undefined) => (p === undefined ? q === undefined : q !== undefined && typesEqual(p, q, m));
  switch (x.kind) {
    case 'record': {
      const o = y as typeof x;
      return sameLabels(x.fields, o.fields) && x.fields.every((f, i) => typesEqual(f.type, o.fields[i]!.type, m));
    }
    case 'variant': {
      const o = y as typeof x;
      return sameLabels(x.cases, o.cases) && x.cases.every((c, i) => eq(c.type, o.cases[i]!.type));
    }
    case 'list': {
      const o = y as typeof x;
      return x.length === o.length && typesEqual(x.element, o.element, m);
    }
    case 'tuple': {
      const o = y as typeof x;
      return x.types.length === o.types.length && x.types.every((t, i) => typesEqual(t, o.types[i]!, m));
    }
    case 'flags': return sameLabels(x.flags, (y as typeof x).flags);
    case 'enum': return sameLabels(x.cases, (y as typeof x).cases);
    case 'option': return typesEqual(x.some, (y as typeof x).some, m);
    case 'result': return eq(x.ok, (y as typeof x).ok) && eq(x.err, (y as typeof x).err);
    case 'own': case 'borrow': return sameResource(resourceOf(x.resource), resourceOf((y as typeof x).resource), m);
    case 'resource': return sameResource(x, y as ResourceType, m);
    default: return true; // primitives of the same kind
  }
}

export function funcTypesEqual(a: FuncType, b: FuncType, m: Matcher = STRICT): string | undefined {
  if (a.params.length !== b.params.length) return `expected ${b.params.length} parameter(s), found ${a.params.length}`;
  for (let i = 0; i < a.params.length; i++) {
    const p = a.params[i]!;
    const q = b.params[i]!;
    if (p.name !== q.name) return `expected parameter \`${q.name}\`, found \`${p.name}\``;
    if (!typesEqual(p.type, q.type, m)) return `type mismatch in parameter \`${p.name}\``;
  }
  if ((a.result === undefined) !== (b.result === undefined)) return a.result ? 'expected no result, found one' : 'expected a result, found none';
  if (a.result && !typesEqual(a.result, b.result!, m)) return 'type mismatch in the result';
  return undefined;
}

function entrySubtype(a: TypeEntry, b: TypeEntry, m: Matcher): string | undefined {
  if (a.kind !== b.kind) return `expected ${b.kind} type, found ${a.kind} type`;
  switch (a.kind) {
    case 'value': case 'resource': {
      const expected = (b as typeof a).type;
      if (!typesEqual(a.type, expected, m)) return a.kind === 'value' ? 'type mismatch' : 'mismatched resource types';
      m.entries?.set(expected, a.type);
      return undefined;
    }
    case 'func': return funcTypesEqual(a.type, (b as typeof a).type, m);
    case 'instance': return instanceSubtype(a.type, (b as typeof a).type, m);
    case 'component': return componentSubtype(a.type, (b as typeof a).type, m);
  }
}

export function instanceSubtype(a: InstanceType, b: InstanceType, m: Matcher): string | undefined {
  for (const [name, expected] of b.exports) {
    const actual = a.exports.get(name);
    if (!actual) return `missing expected export \`${name}\``;
    const why = externSubtype(actual, expected, m);
    if (why) return `type mismatch in instance export \`${name}\`: ${why}`;
  }
  return undefined;
}

function componentSubtype(a: ComponentType, b: ComponentType, outer: Matcher): string | undefined {
  const m: Matcher = { bindable: new Set([...outer.bindable, ...a.importBound, ...b.importBound, ...a.exportBound, ...b.exportBound]), bound: outer.bound };
  // Entries of one component type are not the other's to substitute.
  for (const [name, wanted] of a.imports) {
    const offered = b.imports.get(name);
    if (!offered) return `missing expected import \`${name}\``;
    const why = externSubtype(offered, wanted, m);
    if (why) return `type mismatch in import \`${name}\`: ${why}`;
  }
  for (const [name, expected] of b.exports) {
    const actual = a.exports.get(name);
    if (!actual) return `missing expected export \`${name}\``;
    const why = externSubtype(actual, expected, m);
    if (why) return `type mismatch in export \`${name}\`: ${why}`;
  }
  return undefined;
}

/** Whether an item of type `a` may be given where `b` is expected. */
export function externSubtype(a: ExternT, b: ExternT, m: Matcher = STRICT): string | undefined {
  if (a.sort !== b.sort) return `expected ${b.sort} found ${a.sort}`;
  switch (a.sort) {
    case 'func': return funcTypesEqual(a.type, (b as typeof a).type, m);
    case 'type': return entrySubtype(a.entry, (b as typeof a).entry, m);
    case 'instance': return instanceSubtype(a.type, (b as typeof a).type, m);
    case 'component': return componentSubtype(a.type, (b as typeof a).type, m);
    case 'core module': return moduleSubtype(a.type, (b as typeof a).type);
  }
}

// ---------------------------------------------------------------- core types

export function coreFuncTypesEqual(a: CoreFuncType, b: CoreFuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length
    && a.params.every((p, i) => p === b.params[i]) && a.results.every((r, i) => r === b.results[i]);
}

export function formatCoreFunc(t: CoreFuncType): string {
  return `(${t.params.join(', ')}) -> (${t.results.join(', ')})`;
}

function limitsSubtype(a: CoreLimits, b: CoreLimits): boolean {
  if (a.min < b.min) return false;
  if (b.max === undefined) return true;
  return a.max !== undefined && a.max <= b.max;
}

/** Whether a core item of type `a` satisfies an import of type `b`. */
export function coreExternSubtype(a: CoreExtern, b: CoreExtern): string | undefined {
  if (a.kind !== b.kind) return `expected ${b.kind} found ${a.kind}`;
  switch (a.kind) {
    case 'func': case 'tag': {
      const t = (b as typeof a).type;
      return coreFuncTypesEqual(a.type, t) ? undefined : `expected type \`${formatCoreFunc(t)}\`, found type \`${formatCoreFunc(a.type)}\``;
    }
    case 'table': {
      const o = b as typeof a;
      if (a.element !== o.element) return `expected a table of ${o.element}, found one of ${a.element}`;
      return limitsSubtype(a.limits, o.limits) ? undefined : 'table limits do not match';
    }
    case 'memory': {
      const o = b as typeof a;
      if (a.shared !== o.shared) return 'memory sharing does not match';
      return limitsSubtype(a.limits, o.limits) ? undefined : 'memory limits do not match';
    }
    case 'global': {
      const o = b as typeof a;
      if (a.mutable !== o.mutable) return 'global mutability does not match';
      return a.type === 'unknown' || o.type === 'unknown' || a.type === o.type ? undefined : `expected a global of ${o.type}, found one of ${a.type}`;
    }
  }
}

export function moduleSubtype(a: CoreModuleType, b: CoreModuleType): string | undefined {
  for (const imp of a.imports) {
    const offered = b.imports.find((x) => x.module === imp.module && x.name === imp.name);
    if (!offered) return `module import \`${imp.module}\` \`${imp.name}\` is not declared by the expected type`;
    const why = coreExternSubtype(offered.type, imp.type);
    if (why) return `module import \`${imp.module}\` \`${imp.name}\`: ${why}`;
  }
  for (const [name, expected] of b.exports) {
    const actual = a.exports.get(name);
    if (!actual) return `module export \`${name}\` not defined`;
    const why = coreExternSubtype(actual, expected);
    if (why) return `module export \`${name}\`: ${why}`;
  }
  return undefined;
}

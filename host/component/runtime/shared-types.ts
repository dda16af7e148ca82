/**
 * Type values shared by the instances of a component. Evaluating a type definition makes
 * new objects each time (a record, a signature and its parameter list, …); when what it
 * made has the same parts as what an earlier evaluation of the same definition made, the
 * earlier value serves, and the new one is garbage at once. Parts are compared by identity:
 * primitives are singletons and parts that are themselves shared compare equal, so a
 * structure is shared exactly when everything it reaches is. A type that reaches one of
 * the instance's own resources (`own`, `borrow`, a resource definition) differs per
 * instance and stays its own; a definition evaluated in different scopes (a nested
 * component instantiated with different type arguments) keeps the first value that fits.
 *
 * Nothing writes to a shared value except `nameType`, which names an unnamed type once,
 * with the name the same export gives it in every instance.
 */
import type { Field, Param, Type } from '../../../common/wit/model.js';
import type { TypeDef } from '../binary/ast.js';
import type { FuncSig, TypeValue } from './types.js';

const shared = new WeakMap<TypeDef, TypeValue>();

/** The value an earlier evaluation of `def` made, if `fresh` has the same parts; else `fresh` (kept for the next). */
export function sharedType(def: TypeDef, fresh: TypeValue): TypeValue {
  const earlier = shared.get(def);
  if (earlier && sameValue(earlier, fresh)) return earlier;
  if (!earlier && (fresh.kind === 'value' || fresh.kind === 'func')) shared.set(def, fresh);
  return fresh;
}

function sameValue(a: TypeValue, b: TypeValue): boolean {
  if (a.kind === 'value' && b.kind === 'value') return sameType(a.type, b.type);
  if (a.kind === 'func' && b.kind === 'func') return sameSig(a.sig, b.sig);
  return false;
}

function sameSig(a: FuncSig, b: FuncSig): boolean {
  return a.result === b.result && sameList(a.params, b.params, (x: Param, y: Param) => x.name === y.name && x.type === y.type);
}

/** One level deep: parts by identity. A fresh type is unnamed, so a named earlier one is the same type. */
function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  if (x.kind !== y.kind || (y.name !== undefined && y.name !== '' && x.name !== y.name)) return false;
  switch (a.kind) {
    case 'record': return sameList(a.fields, (b as typeof a).fields, (f: Field, g: Field) => f.name === g.name && f.type === g.type);
    case 'variant': return sameList(a.cases, (b as typeof a).cases, (c, d) => c.name === d.name && c.type === d.type);
    case 'enum': return sameList(a.cases, (b as typeof a).cases, (c, d) => c.name === d.name);
    case 'flags': return sameList(a.flags, (b as typeof a).flags, (c, d) => c.name === d.name);
    case 'list': return a.element === (b as typeof a).element && a.length === (b as typeof a).length;
    case 'tuple': return sameList(a.types, (b as typeof a).types, (s, t) => s === t);
    case 'option': return a.some === (b as typeof a).some;
    case 'result': return a.ok === (b as typeof a).ok && a.err === (b as typeof a).err;
    default: return false; // primitives are singletons (equal above); own/borrow name a resource of one instance
  }
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]!));
}

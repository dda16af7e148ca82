/**
 * Type definitions (Binary.md "Type Definitions"): value types and function types, with
 * their rules — non-empty records, variants, tuples, enums and flags (at most 32 flags),
 * kebab-case unique labels, positive fixed-list lengths, indices that name a value type,
 * handles of resource types, no `borrow` in function results — and the size bounds of
 * `bounds.ts`. Component, instance and resource types are in `decls.ts` and `component.ts`.
 */
import type { Param, ResourceType, Type } from '../../../common/wit/model.js';
import { primitive } from '../../../common/wit/resolve-types.js';
import type { DefValType, TypeDef, ValType } from '../binary/ast.js';
import { checkFuncBounds, checkTypeBounds } from './bounds.js';
import { typeInfo } from './type-info.js';
import { invalid, unsupported } from './errors.js';
import { checkLabels } from './names.js';
import type { Scope } from './scope.js';
import { describeEntry, type FuncType, type TypeEntry } from './types.js';

const MAX_FLAGS = 32;

/** The value type `vt` refers to (rule `types/not-a-value-type`). */
export function valueType(scope: Scope, vt: ValType, at: number | undefined): Type {
  if (typeof vt === 'string') return primitive(vt);
  const entry = scope.typeAt(vt, at);
  if (entry.kind !== 'value') throw invalid('types/not-a-value-type', at, `type index ${vt} is ${describeEntry(entry)}, not a value type`);
  return entry.type;
}

function resourceRef(scope: Scope, index: number, at: number | undefined, handle: string): ResourceType {
  const entry = scope.typeAt(index, at);
  if (entry.kind !== 'resource') throw invalid('types/handle-of-non-resource', at, `\`${handle}\` refers to type index ${index}, which is ${describeEntry(entry)}, not a resource`);
  return entry.type as ResourceType;
}

function nonEmpty(n: number, what: string, at: number | undefined): void {
  if (n === 0) throw invalid('types/empty', at, `${what} must have at least one ${what === 'tuple' ? 'type' : what === 'record' ? 'field' : 'case'}`);
}

/** Evaluates a `defvaltype`. */
export function defValType(scope: Scope, def: DefValType, at: number | undefined): Type {
  const v = (vt: ValType) => valueType(scope, vt, at);
  let t: Type;
  switch (def.kind) {
    case 'prim': return primitive(def.name);
    case 'record':
      nonEmpty(def.fields.length, 'record', at);
      checkLabels(def.fields.map((f) => f.name), at, 'record field');
      t = { kind: 'record', name: '', owner: { kind: 'none' }, fields: def.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
      break;
    case 'variant':
      nonEmpty(def.cases.length, 'variant', at);
      checkLabels(def.cases.map((c) => c.name), at, 'variant case');
      t = { kind: 'variant', name: '', owner: { kind: 'none' }, cases: def.cases.map((c) => (c.type === undefined ? { name: c.name } : { name: c.name, type: v(c.type) })) };
      break;
    case 'list':
      if (def.length === 0) throw invalid('types/fixed-list-empty', at, 'a fixed-length list must have at least one element');
      t = def.length === undefined ? { kind: 'list', element: v(def.element) } : { kind: 'list', element: v(def.element), length: def.length };
      break;
    case 'tuple':
      nonEmpty(def.types.length, 'tuple', at);
      t = { kind: 'tuple', types: def.types.map(v) };
      break;
    case 'flags':
      if (def.names.length === 0) throw invalid('types/empty', at, 'flags must have at least one flag');
      if (def.names.length > MAX_FLAGS) throw invalid('types/too-many-flags', at, `flags may have at most ${MAX_FLAGS} labels, this one has ${def.names.length}`);
      checkLabels(def.names, at, 'flag');
      t = { kind: 'flags', name: '', owner: { kind: 'none' }, flags: def.names.map((name) => ({ name })) };
      break;
    case 'enum':
      nonEmpty(def.names.length, 'enum', at);
      checkLabels(def.names, at, 'enum case');
      t = { kind: 'enum', name: '', owner: { kind: 'none' }, cases: def.names.map((name) => ({ name })) };
      break;
    case 'option': t = { kind: 'option', some: v(def.type) }; break;
    case 'result':
      t = { kind: 'result', ...(def.ok !== undefined ? { ok: v(def.ok) } : {}), ...(def.err !== undefined ? { err: v(def.err) } : {}) };
      break;
    case 'own': t = { kind: 'own', resource: resourceRef(scope, def.index, at, 'own') }; break;
    case 'borrow': t = { kind: 'borrow', resource: resourceRef(scope, def.index, at, 'borrow') }; break;
    case 'unsupported': throw unsupported(def.what, at);
  }
  checkTypeBounds(t, at);
  if (t.kind === 'record' || t.kind === 'variant' || t.kind === 'enum' || t.kind === 'flags') scope.definedHere.add(t);
  return t;
}

/** Whether a borrow handle occurs anywhere inside `type`. */
export function containsBorrow(type: Type): boolean {
  return typeInfo(type).borrow;
}

/** Evaluates a function type. */
export function funcType(scope: Scope, def: Extract<TypeDef, { kind: 'func' }>, at: number | undefined): FuncType {
  if (def.async) throw unsupported('async function types', at);
  checkLabels(def.params.map((p) => p.name), at, 'function parameter');
  const params: Param[] = def.params.map((p) => ({ name: p.name, type: valueType(scope, p.type, at) }));
  const result = def.result === undefined ? undefined : valueType(scope, def.result, at);
  if (result && containsBorrow(result)) throw invalid('types/borrow-in-result', at, 'a function result may not contain a `borrow` handle');
  checkFuncBounds([...params.map((p) => p.type), ...(result ? [result] : [])], at);
  return { params, ...(result ? { result } : {}) };
}

/** Evaluates a type definition that is not a component, instance or resource type. */
export function simpleTypeEntry(scope: Scope, def: TypeDef, at: number | undefined): TypeEntry | undefined {
  if (def.kind === 'func') return { kind: 'func', type: funcType(scope, def, at) };
  if (def.kind === 'component' || def.kind === 'instance' || def.kind === 'resource') return undefined;
  return { kind: 'value', type: defValType(scope, def, at) };
}

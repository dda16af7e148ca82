/**
 * Evaluates the types of a component binary into the WIT model (`wit/model.ts`), so one
 * set of lifting/lowering code serves WIT-described and binary-described values alike.
 * Structural types get the names of the exports that name them, when there are any.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { Param, Type } from '../../../common/wit/model.js';
import { primitive } from '../../../common/wit/resolve-types.js';
import type { Decl, DefValType, TypeDef, ValType } from '../binary/ast.js';
import type { InstanceState, RuntimeResource } from './resources.js';

/** A function's signature: named parameters and an optional result. */
export interface FuncSig {
  readonly params: readonly Param[];
  readonly result?: Type;
}

export type TypeValue =
  | { readonly kind: 'value'; readonly type: Type }
  | { readonly kind: 'func'; readonly sig: FuncSig }
  | { readonly kind: 'resource'; readonly resource: RuntimeResource }
  | { readonly kind: 'instance'; readonly decls: readonly Decl[]; readonly space: TypeSpace }
  | { readonly kind: 'component'; readonly decls: readonly Decl[]; readonly space: TypeSpace }
  | { readonly kind: 'core' };

/** A type index space and the space that encloses it (for `outer` aliases). */
export interface TypeSpace {
  readonly types: TypeValue[];
  readonly parent?: TypeSpace;
}

export function unsupported(what: string): PluginHostError {
  return new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `the component uses ${what}, which this host does not support`);
}

function invalid(message: string): PluginHostError {
  return new PluginHostError('ERR_COMPONENT_INVALID', message);
}

export function typeAt(space: TypeSpace, index: number): TypeValue {
  const t = space.types[index];
  if (!t) throw invalid(`type index ${index} is out of range`);
  return t;
}

export function valueType(space: TypeSpace, vt: ValType): Type {
  if (typeof vt === 'string') return primitive(vt);
  const t = typeAt(space, vt);
  if (t.kind !== 'value') throw invalid(`type index ${vt} is not a value type`);
  return t.type;
}

function resourceAt(space: TypeSpace, index: number): RuntimeResource {
  const t = typeAt(space, index);
  if (t.kind !== 'resource') throw invalid(`type index ${index} is not a resource type`);
  return t.resource;
}

export function newResource(name: string, fields: Partial<RuntimeResource> = {}): RuntimeResource {
  return { kind: 'resource', name, owner: { kind: 'none' }, methods: [], statics: [], ...fields };
}

/** Evaluates one type definition in `space`. `definer` owns resources defined here. */
export function evalTypeDef(def: TypeDef, space: TypeSpace, definer?: { state: InstanceState; dtor(index: number): ((rep: number) => void) | undefined }): TypeValue {
  switch (def.kind) {
    case 'func':
      if (def.async) throw unsupported('async functions');
      return {
        kind: 'func',
        sig: {
          params: def.params.map((p) => ({ name: p.name, type: valueType(space, p.type) })),
          ...(def.result !== undefined ? { result: valueType(space, def.result) } : {}),
        },
      };
    case 'component': return { kind: 'component', decls: def.decls, space };
    case 'instance': return { kind: 'instance', decls: def.decls, space };
    case 'resource': {
      if (!definer) throw invalid('a resource type may only be defined in a component');
      const dtor = def.dtor === undefined ? undefined : definer.dtor(def.dtor);
      return { kind: 'resource', resource: newResource('', { impl: definer.state, ...(dtor ? { dtor } : {}) }) };
    }
    default:
      return { kind: 'value', type: evalValType(def, space) };
  }
}

function evalValType(def: DefValType, space: TypeSpace): Type {
  const v = (vt: ValType) => valueType(space, vt);
  switch (def.kind) {
    case 'prim': return primitive(def.name);
    case 'record': return { kind: 'record', name: '', owner: { kind: 'none' }, fields: def.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
    case 'variant': return {
      kind: 'variant', name: '', owner: { kind: 'none' },
      cases: def.cases.map((c) => (c.type === undefined ? { name: c.name } : { name: c.name, type: v(c.type) })),
    };
    case 'list': return def.length === undefined ? { kind: 'list', element: v(def.element) } : { kind: 'list', element: v(def.element), length: def.length };
    case 'tuple': return { kind: 'tuple', types: def.types.map(v) };
    case 'flags': return { kind: 'flags', name: '', owner: { kind: 'none' }, flags: def.names.map((name) => ({ name })) };
    case 'enum': return { kind: 'enum', name: '', owner: { kind: 'none' }, cases: def.names.map((name) => ({ name })) };
    case 'option': return { kind: 'option', some: v(def.type) };
    case 'result': return {
      kind: 'result',
      ...(def.ok !== undefined ? { ok: v(def.ok) } : {}),
      ...(def.err !== undefined ? { err: v(def.err) } : {}),
    };
    case 'own': return { kind: 'own', resource: resourceAt(space, def.index) };
    case 'borrow': return { kind: 'borrow', resource: resourceAt(space, def.index) };
    case 'unsupported': throw unsupported(def.what);
  }
}

/** Gives an unnamed structural type or resource the name it is exported under. */
export function nameType(value: TypeValue, name: string): void {
  const target = value.kind === 'value' ? value.type : value.kind === 'resource' ? value.resource : undefined;
  if (target && 'name' in target && target.name === '') (target as { name: string }).name = name;
}

/** What an instance type declares its exports to be. */
export type ExternSig =
  | { readonly sort: 'func'; readonly sig: FuncSig }
  | { readonly sort: 'type'; readonly type: TypeValue }
  | { readonly sort: 'instance'; readonly exports: Map<string, ExternSig> }
  | { readonly sort: 'component' | 'core module' | 'value' };

/**
 * Evaluates an instance type. Each `(sub resource)` export becomes a fresh resource made by
 * `makeResource`: the party that supplies the instance decides what the resource is.
 */
export function evalInstanceType(
  decls: readonly Decl[], parent: TypeSpace, makeResource: (name: string) => RuntimeResource,
): Map<string, ExternSig> {
  const space: TypeSpace = { types: [], parent };
  const exports = new Map<string, ExternSig>();
  for (const d of decls) {
    switch (d.kind) {
      case 'core type': break;
      case 'type': space.types.push(evalTypeDef(d.def, space)); break;
      case 'alias': {
        if (d.alias.kind !== 'outer' || d.alias.sort !== 'type') throw unsupported('aliases other than outer type aliases inside instance types');
        let target: TypeSpace | undefined = space;
        for (let i = 0; i < d.alias.count; i++) target = target?.parent;
        if (!target) throw invalid('outer alias reaches past the outermost scope');
        space.types.push(typeAt(target, d.alias.index));
        break;
      }
      case 'export': {
        const t = d.type;
        if (t.sort === 'func') {
          const f = typeAt(space, t.index);
          if (f.kind !== 'func') throw invalid(`export ${d.name} is declared with a non-function type`);
          exports.set(d.name, { sort: 'func', sig: f.sig });
        } else if (t.sort === 'type') {
          const value: TypeValue = t.bound.kind === 'eq'
            ? typeAt(space, t.bound.index)
            : { kind: 'resource', resource: makeResource(d.name) };
          nameType(value, d.name);
          space.types.push(value);
          exports.set(d.name, { sort: 'type', type: value });
        } else if (t.sort === 'instance') {
          const inner = typeAt(space, t.index);
          if (inner.kind !== 'instance') throw invalid(`export ${d.name} is declared with a non-instance type`);
          exports.set(d.name, { sort: 'instance', exports: evalInstanceType(inner.decls, inner.space, makeResource) });
        } else {
          exports.set(d.name, { sort: t.sort });
        }
        break;
      }
      case 'import': throw invalid('imports are not allowed in instance types');
    }
  }
  return exports;
}

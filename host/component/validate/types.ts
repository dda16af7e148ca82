/**
 * The validator's model of component-level types.
 *
 * Value types are WIT model types (`common/wit/model.ts`), so the Canonical ABI layout code
 * sizes and flattens them. Two things the WIT model does not say are carried beside it:
 *
 * - **Identity.** Type equality is structural except for resources, which compare by
 *   object identity (each `resource` definition, `(sub resource)` import and instance
 *   creation makes a new one). A type entry introduced by an import or export is an
 *   `AliasType` wrapping its target: equal to it, but a distinct object, so that the
 *   "externally visible name" rule can tell a named entry from the definition it names.
 * - **Abstract resources.** An instance or component *type* introduces resources through
 *   `(sub resource)` declarators; each use of the type (an import, an instantiation) gets
 *   fresh ones (`bound`, see `substitute.ts`).
 */
import type { CoreModuleType } from '../binary/core-module.js';
import type { AliasType, Param, ResourceType, Type } from '../../../common/wit/model.js';

export interface FuncType {
  readonly params: readonly Param[];
  readonly result?: Type;
}

export interface InstanceType {
  readonly exports: ReadonlyMap<string, ExternT>;
  /** Resources the type declares abstractly; made fresh at each use. */
  readonly bound: readonly ResourceType[];
}

export interface ComponentType {
  readonly imports: ReadonlyMap<string, ExternT>;
  readonly exports: ReadonlyMap<string, ExternT>;
  /** Resources its imports introduce: replaced by the arguments of an instantiation. */
  readonly importBound: readonly ResourceType[];
  /** Resources its exports introduce: fresh for every instance. */
  readonly exportBound: readonly ResourceType[];
  /** How many instances one instantiation creates (1 when unknown: an imported component). */
  readonly instances?: number;
}

/** One entry of a type index space. */
export type TypeEntry =
  | { readonly kind: 'value'; readonly type: Type }
  | { readonly kind: 'resource'; readonly type: ResourceType | AliasType }
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'instance'; readonly type: InstanceType }
  | { readonly kind: 'component'; readonly type: ComponentType };

/** The type of an imported or exported item. */
export type ExternT =
  | { readonly sort: 'func'; readonly type: FuncType }
  | { readonly sort: 'type'; readonly entry: TypeEntry }
  | { readonly sort: 'instance'; readonly type: InstanceType }
  | { readonly sort: 'component'; readonly type: ComponentType }
  | { readonly sort: 'core module'; readonly type: CoreModuleType };

/** A new resource identity. `local`: defined by a `resource` type in the component itself. */
export function freshResource(name: string): ResourceType {
  return { kind: 'resource', name, owner: { kind: 'none' }, methods: [], statics: [] };
}

/** A named entry for `target` (what an import or export of a type introduces). */
export function nameEntry(name: string, target: Type): AliasType {
  return { kind: 'alias', name, owner: { kind: 'none' }, target };
}

export function describeEntry(entry: TypeEntry): string {
  switch (entry.kind) {
    case 'value': return 'a value type';
    case 'resource': return 'a resource type';
    case 'func': return 'a function type';
    case 'instance': return 'an instance type';
    case 'component': return 'a component type';
  }
}


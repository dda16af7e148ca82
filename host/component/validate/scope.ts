/**
 * The index spaces of one scope being validated: a component, or a component or instance
 * type (Explainer.md "Index Spaces"). Spaces grow as definitions are validated, so an
 * index is valid only if it refers to something defined before it.
 *
 * Invariants: `named` holds the type objects this scope's imports and exports made
 * externally visible (see `visibility.ts`); `exportNamed` the subset made by exports,
 * which imports may not use. `localResources` are the resources defined here by a
 * `resource` type (only those may be used with `resource.new` and `resource.rep`).
 */
import type { ResourceType } from '../../../common/wit/model.js';
import type { CoreExtern, CoreFuncType, CoreModuleType } from '../binary/core-module.js';
import { invalid } from './errors.js';
import { NameSet, ResourceNames } from './names.js';
import type { ComponentType, FuncType, InstanceType, TypeEntry } from './types.js';

export type ScopeKind = 'component' | 'component type' | 'instance type';

export type CoreTypeEntry =
  | { readonly kind: 'func'; readonly type: CoreFuncType }
  | { readonly kind: 'module'; readonly type: CoreModuleType };

/** Nesting of components and component/instance types this validator accepts. */
export const MAX_SCOPE_DEPTH = 100;

export class Scope {
  readonly types: TypeEntry[] = [];
  readonly coreTypes: CoreTypeEntry[] = [];
  readonly coreFuncs: CoreFuncType[] = [];
  readonly coreTables: Extract<CoreExtern, { kind: 'table' }>[] = [];
  readonly coreMemories: Extract<CoreExtern, { kind: 'memory' }>[] = [];
  readonly coreGlobals: Extract<CoreExtern, { kind: 'global' }>[] = [];
  readonly coreTags: Extract<CoreExtern, { kind: 'tag' }>[] = [];
  readonly coreModules: CoreModuleType[] = [];
  readonly coreInstances: ReadonlyMap<string, CoreExtern>[] = [];
  readonly funcs: FuncType[] = [];
  readonly components: ComponentType[] = [];
  readonly instances: InstanceType[] = [];

  readonly importNames = new NameSet();
  readonly exportNames = new NameSet();
  readonly named = new WeakSet<object>();
  readonly exportNamed = new WeakSet<object>();
  /** Record, variant, enum and flags types defined by type definitions of this scope. */
  readonly definedHere = new WeakSet<object>();
  readonly localResources = new Set<ResourceType>();
  /** Resources introduced by `(sub resource)` imports (component scopes and component types). */
  readonly importedResources: ResourceType[] = [];
  /** Resources introduced by `(sub resource)` exports (component and instance types). */
  readonly exportedResources: ResourceType[] = [];
  /** Resource imports and exports by the type index they introduced, for annotated function names. */
  readonly importResourceNames = new ResourceNames();
  readonly exportResourceNames = new ResourceNames();
  readonly depth: number;

  constructor(readonly kind: ScopeKind, readonly parent: Scope | undefined, at: number | undefined) {
    this.depth = parent ? parent.depth + 1 : 0;
    if (this.depth > MAX_SCOPE_DEPTH) throw invalid('limits/nesting', at, `components and types nest more than ${MAX_SCOPE_DEPTH} deep`);
  }

  /** The scope `count` levels out (for `outer` aliases). */
  outer(count: number, at: number | undefined): Scope {
    let s: Scope | undefined = this;
    for (let i = 0; i < count && s; i++) s = s.parent;
    if (!s) throw invalid('alias/outer-count', at, `an outer alias reaches ${count} scopes out, past the outermost component`);
    return s;
  }

  typeAt(index: number, at: number | undefined): TypeEntry {
    return item(this.types, index, 'type', at);
  }
}

/** `space[index]`, or a refusal naming the index space (rule `index/out-of-range`). */
export function item<T>(space: readonly T[], index: number, what: string, at: number | undefined): T {
  const v = space[index];
  if (v === undefined) {
    throw invalid('index/out-of-range', at, `${what} index ${index} is out of range (${space.length === 0 ? `no ${what} is defined yet` : `${space.length} defined so far`})`);
  }
  return v;
}

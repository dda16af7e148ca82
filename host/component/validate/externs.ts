/**
 * Imports and exports, as definitions of a component and as declarators of component and
 * instance types: names (grammar, strong uniqueness, attributes), extern types, the
 * external-visibility rules, and the shapes `[constructor]`, `[method]` and `[static]`
 * names require.
 */
import type { ExternType, NameAttribute } from '../binary/ast.js';
import { unalias, type ResourceType, type Type } from '../../../common/wit/model.js';
import { pushExtern } from './aliases.js';
import { invalid } from './errors.js';
import { checkAttributes, parseExternName, type ParsedName, type ResourceNames } from './names.js';
import { item, type Scope } from './scope.js';
import { useInstanceType } from './substitute.js';
import { freshResource, nameEntry, type ExternT, type TypeEntry } from './types.js';
import { checkVisible, registerNames } from './visibility.js';

/** The type an `externtype` describes, as seen by this import or export (fresh resources included). */
export function evalExternType(
  scope: Scope, et: ExternType, name: string, context: 'import' | 'export', at: number | undefined,
  abstract: ResourceType[] = context === 'import' ? scope.importedResources : scope.exportedResources,
): ExternT {
  switch (et.sort) {
    case 'core module': {
      const t = item(scope.coreTypes, et.index, 'core type', at);
      if (t.kind !== 'module') throw invalid('externs/type-mismatch', at, `core type ${et.index} is a function type, not a module type`);
      return { sort: 'core module', type: t.type };
    }
    case 'func': {
      const e = scope.typeAt(et.index, at);
      if (e.kind !== 'func') throw invalid('externs/type-mismatch', at, `type index ${et.index} is a ${e.kind} type, not a function type`);
      return { sort: 'func', type: e.type };
    }
    case 'component': {
      const e = scope.typeAt(et.index, at);
      if (e.kind !== 'component') throw invalid('externs/type-mismatch', at, `type index ${et.index} is a ${e.kind} type, not a component type`);
      return { sort: 'component', type: e.type };
    }
    case 'instance': {
      const e = scope.typeAt(et.index, at);
      if (e.kind !== 'instance') throw invalid('externs/type-mismatch', at, `type index ${et.index} is a ${e.kind} type, not an instance type`);
      const used = useInstanceType(e.type);
      abstract.push(...used.fresh);
      return { sort: 'instance', type: used.type };
    }
    case 'type': {
      if (et.bound.kind === 'sub-resource') {
        const r = freshResource(name);
        abstract.push(r);
        return { sort: 'type', entry: { kind: 'resource', type: r } };
      }
      return { sort: 'type', entry: namedEntry(scope.typeAt(et.bound.index, at), name) };
    }
    case 'value': throw invalid('externs/value', at, 'value imports and exports are not supported');
  }
}

/** The new type index an import or export of `entry` introduces: equal to it, distinct from it. */
export function namedEntry(entry: TypeEntry, name: string): TypeEntry {
  if (entry.kind === 'value') return { kind: 'value', type: nameEntry(name, entry.type) };
  if (entry.kind === 'resource') return { kind: 'resource', type: nameEntry(name, entry.type) };
  return entry;
}

/** The resource a handle type names, through the very type entry it was written with. */
function handleEntry(t: Type | undefined, kind: 'own' | 'borrow'): object | undefined {
  if (!t) return undefined;
  const u = unalias(t);
  return u.kind === kind ? u.resource : undefined;
}

/** Checks what `[constructor]r`, `[method]r.m` and `[static]r.m` names require of a function. */
export function checkNameShape(names: ResourceNames, parsed: ParsedName, x: ExternT, name: string, at: number | undefined): void {
  if (parsed.kind !== 'constructor' && parsed.kind !== 'method' && parsed.kind !== 'static') return;
  if (x.sort !== 'func') throw invalid('names/annotated-not-func', at, `\`${name}\` is annotated as a function name but is a ${x.sort}`);
  const f = x.type;
  let entry: object | undefined;
  if (parsed.kind === 'static') {
    if (!names.has(parsed.resource)) throw invalid('names/unknown-resource', at, `static resource name \`${parsed.resource}\` is not known in this context`);
    return;
  }
  if (parsed.kind === 'constructor') {
    const result = f.result ? unalias(f.result) : undefined;
    entry = handleEntry(result?.kind === 'result' ? result.ok : result, 'own');
    if (!entry) throw invalid('names/constructor-result', at, `function \`${name}\` should return \`(own $T)\` or \`(result (own $T))\``);
  } else {
    const self = f.params[0];
    if (!self || self.name !== 'self') throw invalid('names/method-self', at, `method \`${name}\` should have a first parameter called \`self\``);
    entry = handleEntry(self.type, 'borrow');
    if (!entry) throw invalid('names/method-self', at, `method \`${name}\` should take a first parameter of \`(borrow $T)\``);
  }
  const expected = names.nameOf(entry);
  if (expected === undefined) throw invalid('names/resource-unnamed', at, `the resource used in \`${name}\` does not have a name in this context`);
  if (expected !== parsed.resource) throw invalid('names/resource-mismatch', at, `function \`${name}\` does not match expected resource name \`${expected}\``);
}

/**
 * Validates and records one import or export (a definition or a declarator) of type `x`
 * under `name`: names, visibility, annotated shapes; then adds the item to its index space.
 * `external` is the type recorded for the outside when it differs from `x` (an export
 * ascribed a less precise type).
 */
export function declareExtern(
  scope: Scope, context: 'import' | 'export', name: string, attributes: readonly NameAttribute[] | undefined,
  x: ExternT, at: number | undefined, record: Map<string, ExternT>, external: ExternT = x,
): void {
  const parsed = parseExternName(name, at, context);
  checkAttributes(attributes, at, x.sort, parsed);
  (context === 'import' ? scope.importNames : scope.exportNames).add(name, at, context);
  // Instance types are checked where they are used (wasmparser does the same).
  if (scope.kind !== 'instance type') checkVisible(x, scope, context, name, at);
  const resources = context === 'import' ? scope.importResourceNames : scope.exportResourceNames;
  checkNameShape(resources, parsed, x, name, at);
  registerNames(x, scope, context);
  if (x.sort === 'type' && x.entry.kind === 'resource' && parsed.kind === 'label') resources.register(x.entry.type, name);
  record.set(name, external);
  pushExtern(scope, x);
}

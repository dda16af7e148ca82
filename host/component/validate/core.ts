/**
 * Core definitions inside a component: core instances (instantiating a module with
 * instances as arguments, or bundling exports), and core types (function and module
 * types). An argument must supply every import of the module with an item of a matching
 * type; the engine would otherwise fail at instantiation, after other modules ran.
 */
import type { CoreExternDecl, CoreModuleDecl, CoreSort, CoreTypeDef, Definition } from '../binary/ast.js';
import type { CoreExtern, CoreFuncType, CoreModuleType } from '../binary/core-module.js';
import { invalid, unsupported } from './errors.js';
import { item, type CoreTypeEntry, type Scope } from './scope.js';
import { coreExternSubtype } from './subtype.js';

type CoreInstanceExpr = Extract<Definition, { kind: 'core instance' }>['expr'];

export function validateCoreInstance(scope: Scope, expr: CoreInstanceExpr, at: number | undefined): ReadonlyMap<string, CoreExtern> {
  if (expr.kind === 'exports') {
    const out = new Map<string, CoreExtern>();
    for (const x of expr.exports) {
      if (out.has(x.name)) throw invalid('core/export-repeated', at, `core instance export \`${x.name}\` is given twice`);
      out.set(x.name, coreItem(scope, x.sort, x.index, at));
    }
    return out;
  }
  const module = item(scope.coreModules, expr.module, 'core module', at);
  const args = new Map<string, ReadonlyMap<string, CoreExtern>>();
  for (const a of expr.args) {
    if (args.has(a.name)) throw invalid('core/argument-repeated', at, `module instantiation argument \`${a.name}\` is given twice`);
    args.set(a.name, item(scope.coreInstances, a.instance, 'core instance', at));
  }
  for (const imp of module.imports) {
    const arg = args.get(imp.module);
    if (!arg) throw invalid('core/missing-argument', at, `missing module instantiation argument named \`${imp.module}\``);
    const actual = arg.get(imp.name);
    if (!actual) throw invalid('core/missing-item', at, `module instantiation argument \`${imp.module}\` does not export an item named \`${imp.name}\``);
    const why = coreExternSubtype(actual, imp.type);
    if (why) throw invalid('core/argument-type', at, `type mismatch for export \`${imp.name}\` of module instantiation argument \`${imp.module}\`: ${why}`);
  }
  return module.exports;
}

/** The core item `sort index` refers to, as something a core instance can export. */
export function coreItem(scope: Scope, sort: CoreSort, index: number, at: number | undefined): CoreExtern {
  switch (sort) {
    case 'core func': return { kind: 'func', type: item(scope.coreFuncs, index, 'core func', at) };
    case 'core table': return item(scope.coreTables, index, 'core table', at);
    case 'core memory': return item(scope.coreMemories, index, 'core memory', at);
    case 'core global': return item(scope.coreGlobals, index, 'core global', at);
    case 'core tag': return item(scope.coreTags, index, 'core tag', at);
    default: throw invalid('core/export-sort', at, `a core instance cannot export a ${sort}`);
  }
}

/** Adds a core item (from an alias) to its index space. */
export function pushCoreItem(scope: Scope, x: CoreExtern): void {
  switch (x.kind) {
    case 'func': scope.coreFuncs.push(x.type); return;
    case 'table': scope.coreTables.push(x); return;
    case 'memory': scope.coreMemories.push(x); return;
    case 'global': scope.coreGlobals.push(x); return;
    case 'tag': scope.coreTags.push(x); return;
  }
}

export function coreTypeEntry(scope: Scope, def: CoreTypeDef, at: number | undefined): CoreTypeEntry {
  switch (def.kind) {
    case 'func': return { kind: 'func', type: { params: def.params, results: def.results } };
    case 'module': return { kind: 'module', type: checkModuleType(moduleType(scope, def.decls), at) };
    case 'unsupported': throw unsupported(def.what, at);
  }
}

const MAX_PAGES = 65536;

/**
 * Rules of core module types that engines do not all check: no two imports with the same
 * module and name, and memory and table limits within range.
 */
export function checkModuleType(t: CoreModuleType, at: number | undefined): CoreModuleType {
  const seen = new Set<string>();
  const check = (x: CoreExtern) => {
    if (x.kind === 'memory') {
      if (x.limits.min > MAX_PAGES || (x.limits.max ?? 0) > MAX_PAGES) throw invalid('core/memory-size', at, `memory size must be at most ${MAX_PAGES} pages (4GiB)`);
      if (x.limits.max !== undefined && x.limits.max < x.limits.min) throw invalid('core/limits', at, 'memory maximum is less than its minimum');
      if (x.shared && x.limits.max === undefined) throw invalid('core/limits', at, 'a shared memory must have a maximum size');
    }
    if (x.kind === 'table' && x.limits.max !== undefined && x.limits.max < x.limits.min) throw invalid('core/limits', at, 'table maximum is less than its minimum');
  };
  for (const imp of t.imports) {
    const key = `${imp.module}\u0000${imp.name}`;
    if (seen.has(key)) throw invalid('core/duplicate-import', at, `duplicate import name \`${imp.module}:${imp.name}\``);
    seen.add(key);
    check(imp.type);
  }
  for (const x of t.exports.values()) check(x);
  return t;
}

/** A module type is validated with its own (initially empty) core type index space. */
function moduleType(scope: Scope, decls: readonly CoreModuleDecl[]): CoreModuleType {
  const types: CoreTypeEntry[] = [];
  const imports: { module: string; name: string; type: CoreExtern }[] = [];
  const exports = new Map<string, CoreExtern>();
  const funcType = (index: number, at: number): CoreFuncType => {
    const t = item(types, index, 'core type', at);
    if (t.kind !== 'func') throw invalid('core/not-a-func-type', at, `core type ${index} is a module type, not a function type`);
    return t.type;
  };
  const extern = (d: CoreExternDecl, at: number): CoreExtern =>
    (d.kind === 'func' || d.kind === 'tag' ? { kind: d.kind, type: funcType(d.type, at) } : d);
  for (const d of decls) {
    switch (d.kind) {
      case 'type':
        if (d.def.kind === 'module') throw invalid('core/module-type-nested', d.at, 'a module type may not declare module types');
        types.push(coreTypeEntry(scope, d.def, d.at));
        break;
      case 'alias': {
        if (d.count === 0) throw invalid('core/alias-count', d.at, 'an outer alias in a module type must reach out of it');
        const target = d.count === 1 ? scope : scope.outer(d.count - 1, d.at);
        const t = item(target.coreTypes, d.index, 'core type', d.at);
        if (t.kind === 'module') throw invalid('core/module-type-nested', d.at, 'a module type may not alias a module type');
        types.push(t);
        break;
      }
      case 'import': imports.push({ module: d.module, name: d.name, type: extern(d.type, d.at) }); break;
      case 'export':
        if (exports.has(d.name)) throw invalid('core/export-repeated', d.at, `module type export \`${d.name}\` is declared twice`);
        exports.set(d.name, extern(d.type, d.at));
        break;
    }
  }
  return { imports, exports };
}

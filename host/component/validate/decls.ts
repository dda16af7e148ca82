/**
 * Component and instance types (Explainer.md "Declarators"): each is validated in a scope
 * of its own, starting with empty index spaces (outer aliases reach enclosing scopes).
 * Resource types may not be defined inside them; instance types have no imports.
 */
import type { Decl, TypeDef } from '../binary/ast.js';
import { validateAlias } from './aliases.js';
import { checkExternBounds } from './bounds.js';
import { coreTypeEntry } from './core.js';
import { simpleTypeEntry } from './defined-types.js';
import { invalid } from './errors.js';
import { declareExtern, evalExternType } from './externs.js';
import { Scope } from './scope.js';
import type { ComponentType, ExternT, InstanceType, TypeEntry } from './types.js';

/** Evaluates a type definition inside a component or type scope (resources excluded). */
export function typeEntry(scope: Scope, def: TypeDef, at: number | undefined): TypeEntry {
  switch (def.kind) {
    case 'component': return { kind: 'component', type: componentType(scope, def.decls, at) };
    case 'instance': return { kind: 'instance', type: instanceType(scope, def.decls, at) };
    case 'resource': throw invalid('types/resource-in-type', at, 'a resource type may not be defined inside a component or instance type');
    default: return simpleTypeEntry(scope, def, at)!;
  }
}

function walkDecls(scope: Scope, decls: readonly Decl[], imports: Map<string, ExternT>, exports: Map<string, ExternT>): void {
  for (const d of decls) {
    const at = d.at;
    switch (d.kind) {
      case 'core type': scope.coreTypes.push(coreTypeEntry(scope, d.def, at)); break;
      case 'type': scope.types.push(typeEntry(scope, d.def, at)); break;
      case 'alias': validateAlias(scope, d.alias, at); break;
      case 'import':
        if (scope.kind === 'instance type') throw invalid('types/import-in-instance-type', at, 'an instance type may not declare imports');
        declareExtern(scope, 'import', d.name, d.attributes, evalExternType(scope, d.type, d.name, 'import', at), at, imports);
        break;
      case 'export':
        declareExtern(scope, 'export', d.name, d.attributes, evalExternType(scope, d.type, d.name, 'export', at), at, exports);
        break;
    }
  }
}

export function instanceType(parent: Scope, decls: readonly Decl[], at: number | undefined): InstanceType {
  const scope = new Scope('instance type', parent, at);
  const exports = new Map<string, ExternT>();
  walkDecls(scope, decls, new Map(), exports);
  const type: InstanceType = { exports, bound: scope.exportedResources };
  checkExternBounds({ sort: 'instance', type }, at);
  return type;
}

export function componentType(parent: Scope, decls: readonly Decl[], at: number | undefined): ComponentType {
  const scope = new Scope('component type', parent, at);
  const imports = new Map<string, ExternT>();
  const exports = new Map<string, ExternT>();
  walkDecls(scope, decls, imports, exports);
  const type: ComponentType = { imports, exports, importBound: scope.importedResources, exportBound: scope.exportedResources };
  checkExternBounds({ sort: 'component', type }, at);
  return type;
}

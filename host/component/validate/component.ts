/**
 * Validates the definitions of one component, in order, and returns its component type
 * (what a parent that instantiates it sees). Each kind of definition is checked by the
 * file of its rule family; this file only dispatches and handles resources and exports.
 */
import type { ResourceType } from '../../../common/wit/model.js';
import type { Definition, TypeDef } from '../binary/ast.js';
import { readCoreModule } from '../binary/core-module.js';
import { validateAlias } from './aliases.js';
import { validateCanon } from './canon.js';
import { checkModuleType, coreTypeEntry, validateCoreInstance } from './core.js';
import { typeEntry } from './decls.js';
import { invalid, unsupported } from './errors.js';
import { declareExtern, evalExternType, namedEntry } from './externs.js';
import { externOf, validateInstance } from './instances.js';
import { checkExternBounds, MAX_INSTANCES } from './bounds.js';
import { item, Scope } from './scope.js';
import { coreFuncTypesEqual, externSubtype, formatCoreFunc, type Matcher } from './subtype.js';
import { resourcesIn, substituteExtern } from './substitute.js';
import { freshResource, type ComponentType, type ExternT } from './types.js';

function defineResource(scope: Scope, def: Extract<TypeDef, { kind: 'resource' }>, at: number | undefined): void {
  if (def.dtor !== undefined) {
    const t = item(scope.coreFuncs, def.dtor, 'core func (destructor)', at);
    const want = { params: ['i32' as const], results: [] };
    if (!coreFuncTypesEqual(t, want)) throw invalid('types/resource-dtor', at, `a resource destructor must have type ${formatCoreFunc(want)}, found ${formatCoreFunc(t)}`);
  }
  const r = freshResource('');
  scope.localResources.add(r);
  scope.types.push({ kind: 'resource', type: r });
}

function exportDefinition(scope: Scope, def: Extract<Definition, { kind: 'export' }>, exports: Map<string, ExternT>): void {
  const at = def.at;
  const inferred = externOf(scope, def.sort, def.index, at);
  let x: ExternT = inferred;
  let external: ExternT | undefined;
  if (def.type) {
    // An ascribed type may be less precise (a `(sub resource)` for a known resource): inside,
    // its abstract resources stand for the item's own; outside, they stay abstract.
    const abstract: ResourceType[] = [];
    const ascribed = evalExternType(scope, def.type, def.name, 'export', at, abstract);
    const m: Matcher = { bindable: new Set(abstract), bound: new Map() };
    const why = externSubtype(inferred, ascribed, m);
    if (why) throw invalid('exports/ascription', at, `export \`${def.name}\` does not have the ascribed type: ${why}`);
    x = substituteExtern(ascribed, m.bound);
    if (abstract.length > 0) external = ascribed;
  }
  if (x.sort === 'type') x = { sort: 'type', entry: namedEntry(x.entry, def.name) };
  declareExtern(scope, 'export', def.name, def.attributes, x, at, exports, external ?? x);
}

/** Validates a component body in `scope` (a fresh `component` scope). */
export function validateBody(scope: Scope, defs: readonly Definition[], bytes: Uint8Array): ComponentType {
  const imports = new Map<string, ExternT>();
  const exports = new Map<string, ExternT>();
  let instances = 1;
  const count = (n: number, at: number | undefined) => {
    instances += n;
    if (instances > MAX_INSTANCES) throw invalid('limits/instances', at, `instantiating this component would create more than ${MAX_INSTANCES} instances`);
  };
  for (const def of defs) {
    const at = def.at;
    switch (def.kind) {
      case 'core module': scope.coreModules.push(checkModuleType(readCoreModule(bytes, def.at, def.bytes.length), def.at)); break;
      case 'core instance':
        scope.coreInstances.push(validateCoreInstance(scope, def.expr, at));
        count(1, at);
        break;
      case 'core type':
        if (!def.def) throw invalid('binary-format', at, 'a core type definition was not decoded');
        scope.coreTypes.push(coreTypeEntry(scope, def.def, at));
        break;
      case 'component': scope.components.push(validateBody(new Scope('component', scope, at), def.body, bytes)); break;
      case 'instance':
        scope.instances.push(validateInstance(scope, def.expr, at));
        count(def.expr.kind === 'instantiate' ? item(scope.components, def.expr.component, 'component', at).instances ?? 1 : 1, at);
        break;
      case 'alias': validateAlias(scope, def.alias, at); break;
      case 'type':
        if (def.def.kind === 'resource') defineResource(scope, def.def, at);
        else scope.types.push(typeEntry(scope, def.def, at));
        break;
      case 'canon': validateCanon(scope, def.canon, at); break;
      case 'start': throw unsupported('start functions', at);
      case 'import': declareExtern(scope, 'import', def.name, def.attributes, evalExternType(scope, def.type, def.name, 'import', at), at, imports); break;
      case 'export': exportDefinition(scope, def, exports); break;
    }
  }
  const imported = new Set(scope.importedResources);
  const exportBound = new Set<ResourceType>();
  // Component types among the exports are closed: their resources are their own.
  for (const x of exports.values()) if (x.sort !== 'component') for (const r of resourcesIn(x)) if (!imported.has(r)) exportBound.add(r);
  const type: ComponentType = { imports, exports, importBound: scope.importedResources, exportBound: [...exportBound], instances };
  checkExternBounds({ sort: 'component', type }, defs[0]?.at);
  return type;
}

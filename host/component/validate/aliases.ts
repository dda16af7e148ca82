/**
 * Alias definitions and declarators (Binary.md "Alias Definitions"): an export of an
 * instance or core instance, or an item of an enclosing scope. Outer aliases may reach
 * types, core types, components and core modules from a component (only types and core
 * types from a component or instance type), and a type aliased across a component
 * boundary may not refer to a resource (resources are per instance).
 */
import type { ResourceType } from '../../../common/wit/model.js';
import type { Alias } from '../binary/ast.js';
import { pushCoreItem } from './core.js';
import { invalid } from './errors.js';
import { item, type Scope } from './scope.js';
import { resourcesIn } from './substitute.js';
import type { ExternT, TypeEntry } from './types.js';

const CORE_KIND: Record<string, string> = {
  'core func': 'func', 'core table': 'table', 'core memory': 'memory', 'core global': 'global', 'core tag': 'tag',
};

/** Adds an imported, exported or aliased item to the index space of its sort. */
export function pushExtern(scope: Scope, x: ExternT): void {
  switch (x.sort) {
    case 'func': scope.funcs.push(x.type); return;
    case 'type': scope.types.push(x.entry); return;
    case 'instance': scope.instances.push(x.type); return;
    case 'component': scope.components.push(x.type); return;
    case 'core module': scope.coreModules.push(x.type); return;
  }
}

/** Whether a type refers to a resource it does not itself declare (abstractly). */
function refersToResource(entry: TypeEntry): boolean {
  switch (entry.kind) {
    case 'value': case 'resource': return resourcesIn({ sort: 'type', entry }).size > 0;
    case 'func': return resourcesIn({ sort: 'func', type: entry.type }).size > 0;
    case 'instance': {
      const own = new Set(entry.type.bound);
      return [...resourcesIn({ sort: 'instance', type: entry.type })].some((r) => !own.has(r));
    }
    case 'component': {
      const t = entry.type;
      const own = new Set([...t.importBound, ...t.exportBound]);
      const found = new Set<ResourceType>();
      for (const x of [...t.imports.values(), ...t.exports.values()]) resourcesIn(x, found);
      return [...found].some((r) => !own.has(r));
    }
  }
}

export function validateAlias(scope: Scope, alias: Alias, at: number | undefined): void {
  const inType = scope.kind !== 'component';
  if (alias.kind === 'export') {
    if (inType && alias.sort !== 'type' && alias.sort !== 'instance') {
      throw invalid('alias/sort-in-type', at, `an export alias in a type may only alias a type or an instance, not a ${alias.sort}`);
    }
    const inst = item(scope.instances, alias.instance, 'instance', at);
    const x = inst.exports.get(alias.name);
    if (!x) throw invalid('alias/missing-export', at, `instance ${alias.instance} has no export named \`${alias.name}\``);
    if (x.sort !== alias.sort) throw invalid('alias/sort-mismatch', at, `export \`${alias.name}\` of instance ${alias.instance} is a ${x.sort}, not a ${alias.sort}`);
    pushExtern(scope, x);
    return;
  }
  if (alias.kind === 'core export') {
    if (inType) throw invalid('alias/sort-in-type', at, 'a core export alias is not allowed in a type');
    const inst = item(scope.coreInstances, alias.instance, 'core instance', at);
    const x = inst.get(alias.name);
    if (!x) throw invalid('alias/missing-export', at, `core instance ${alias.instance} has no export named \`${alias.name}\``);
    if (CORE_KIND[alias.sort] !== x.kind) throw invalid('alias/sort-mismatch', at, `export \`${alias.name}\` of core instance ${alias.instance} is a ${x.kind}, not a ${alias.sort}`);
    pushCoreItem(scope, x);
    return;
  }
  const allowed = inType ? ['type', 'core type'] : ['type', 'core type', 'component', 'core module'];
  if (!allowed.includes(alias.sort)) throw invalid('alias/outer-sort', at, `an outer alias ${inType ? 'in a type ' : ''}may not alias a ${alias.sort}`);
  const target = scope.outer(alias.count, at);
  let crossesComponent = false;
  for (let s: Scope | undefined = scope, i = 0; s && i < alias.count; s = s.parent, i++) if (s.kind === 'component') crossesComponent = true;
  switch (alias.sort) {
    case 'type': {
      const entry = target.typeAt(alias.index, at);
      if (crossesComponent && refersToResource(entry)) {
        throw invalid('alias/outer-resource', at, 'an outer alias of a type that refers to resources not defined in the current component may not cross a component boundary');
      }
      scope.types.push(entry);
      return;
    }
    case 'core type': scope.coreTypes.push(item(target.coreTypes, alias.index, 'core type', at)); return;
    case 'component': scope.components.push(item(target.components, alias.index, 'component', at)); return;
    default: scope.coreModules.push(item(target.coreModules, alias.index, 'core module', at));
  }
}

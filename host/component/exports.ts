/**
 * The root exports of an instantiated component, grouped the way WIT describes them: one
 * entry per exported interface (functions by canonical name, resource types by name), and
 * a root entry for functions the world exports directly.
 */
import type { FuncValue, InstanceValue } from './instantiate.js';
import type { RuntimeResource } from './runtime/resources.js';

export interface ExportedInterface {
  /** The export name: `ns:pkg/iface@ver`, or `''` for world-level functions. */
  readonly name: string;
  readonly functions: ReadonlyMap<string, FuncValue>;
  readonly resources: ReadonlyMap<string, RuntimeResource>;
}

export function describeExports(instance: InstanceValue): Map<string, ExportedInterface> {
  const out = new Map<string, ExportedInterface>();
  const rootFunctions = new Map<string, FuncValue>();
  const rootResources = new Map<string, RuntimeResource>();
  for (const [name, v] of instance.exports) {
    if (v.sort === 'func') rootFunctions.set(name, v.func);
    else if (v.sort === 'type' && v.type.kind === 'resource') rootResources.set(name, v.type.resource);
    else if (v.sort === 'instance') {
      const functions = new Map<string, FuncValue>();
      const resources = new Map<string, RuntimeResource>();
      for (const [inner, x] of v.instance.exports) {
        if (x.sort === 'func') functions.set(inner, x.func);
        else if (x.sort === 'type' && x.type.kind === 'resource') resources.set(inner, x.type.resource);
      }
      out.set(name, { name, functions, resources });
    }
  }
  if (rootFunctions.size > 0 || rootResources.size > 0) out.set('', { name: '', functions: rootFunctions, resources: rootResources });
  return out;
}

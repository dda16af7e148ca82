/**
 * The language-independent view of a world that every bindings generator walks: which
 * interfaces and functions are imported and exported, their core (wasm) names under the
 * component model's naming convention, and the resources involved.
 */
import type { Interface, ResourceType, WitFunction, World } from '../../../common/wit/model.js';
import { interfaceId, unalias } from '../../../common/wit/model.js';

export interface BoundFunction {
  readonly func: WitFunction;
  /** For imports: the core import module; for exports: the export name prefix (`I#`), or ''. */
  readonly module: string;
  /** Core name: the import field, or the full export name. */
  readonly coreName: string;
  /** For exports: the post-return export name. */
  readonly postReturnName: string;
}

export interface BoundInterface {
  /** World key: `ns:pkg/iface@ver`, or the plain name of an inline interface or function group. */
  readonly key: string;
  readonly iface?: Interface;
  readonly direction: 'import' | 'export';
  readonly functions: BoundFunction[];
  /** Resources defined by this interface. */
  readonly resources: ResourceType[];
}

/** Every import and export of a world, with core names, in declaration order. */
export function bindWorld(world: World): { imports: BoundInterface[]; exports: BoundInterface[] } {
  const bind = (direction: 'import' | 'export') => {
    const out: BoundInterface[] = [];
    const rootFunctions: BoundFunction[] = [];
    const items = direction === 'import' ? world.imports : world.exports;
    for (const [key, item] of items) {
      if (item.kind === 'function') {
        const coreName = item.func.name;
        rootFunctions.push({
          func: item.func,
          module: direction === 'import' ? '$root' : '',
          coreName,
          postReturnName: `cabi_post_${coreName}`,
        });
      } else if (item.kind === 'interface') {
        const id = interfaceId(item.iface) ?? key;
        const functions = [...item.iface.functions.values()].map((func) => {
          const coreName = direction === 'import' ? func.name : `${id}#${func.name}`;
          return { func, module: id, coreName, postReturnName: `cabi_post_${coreName}` };
        });
        const resources = [...item.iface.types.values()].filter((t): t is ResourceType => t.kind === 'resource');
        out.push({ key: id, iface: item.iface, direction, functions, resources });
      }
    }
    if (rootFunctions.length > 0) out.push({ key: '$root', direction, functions: rootFunctions, resources: [] });
    return out;
  };
  return { imports: bind('import'), exports: bind('export') };
}

/** Whether a resource is defined by one of the world's exported interfaces. */
export function exportedResources(bound: { exports: BoundInterface[] }): Set<ResourceType> {
  return new Set(bound.exports.flatMap((b) => b.resources));
}

/** The resource a handle type points to. */
export function resourceOf(t: { resource: Parameters<typeof unalias>[0] }): ResourceType {
  const r = unalias(t.resource);
  if (r.kind !== 'resource') throw new Error('handle to a non-resource');
  return r;
}

/**
 * The one description model of a node, built from the WIT world it implements, whatever
 * the transport: the world of a process plugin's handshake, or the world the component
 * runtime reads out of a wasm component's types. Proxies, routing by name and the
 * resource bridge all read this.
 *
 * A resource belongs to the interface that defines it; an interface that only `use`s it
 * (an alias in the model) does not list it again, so its actors keep the methods and the
 * constructor of the defining interface.
 */
import { unalias, type ResourceType, type WitFunction, type World } from '../../common/wit/model.js';
import { stripVersion } from '../../common/wit/names.js';

export interface ResourceDescription {
  readonly name: string;
  /** The export name of the interface that defines it. */
  readonly interfaceName: string;
  readonly type: ResourceType;
  readonly ctor?: WitFunction;
  /** By short name (`increment`). */
  readonly methods: ReadonlyMap<string, WitFunction>;
  readonly statics: ReadonlyMap<string, WitFunction>;
}

export interface InterfaceDescription {
  /** Export name: `ns:pkg/iface@ver`, a plain name, or `''` for the world's own functions. */
  readonly name: string;
  /** By canonical name (`greet`, `[method]counter.get`). */
  readonly functions: ReadonlyMap<string, WitFunction>;
  readonly resources: ReadonlyMap<string, ResourceDescription>;
}

export interface NodeDescription {
  readonly world: World;
  readonly interfaces: ReadonlyMap<string, InterfaceDescription>;
  /** Every resource type the node exports: its values are actors. */
  readonly resources: ReadonlyMap<ResourceType, ResourceDescription>;
}

export function describeWorld(world: World): NodeDescription {
  const interfaces = new Map<string, InterfaceDescription>();
  const resources = new Map<ResourceType, ResourceDescription>();
  const root = new Map<string, WitFunction>();
  for (const [key, item] of world.exports) {
    if (item.kind === 'function') {
      root.set(key, item.func);
      continue;
    }
    if (item.kind !== 'interface') continue;
    // The world's own map: keyed by canonical name already, and never changed after loading.
    const functions = item.iface.functions;
    const own = new Map<string, ResourceDescription>();
    for (const [name, t] of item.iface.types) {
      if (t.kind !== 'resource' || resources.has(t)) continue;
      const d: ResourceDescription = {
        name, interfaceName: key, type: t,
        methods: byShortName(t.methods),
        statics: byShortName(t.statics),
        ...(t.ctor ? { ctor: t.ctor } : {}),
      };
      own.set(name, d);
      resources.set(t, d);
    }
    interfaces.set(key, { name: key, functions, resources: own.size > 0 ? own : NONE });
  }
  if (root.size > 0) interfaces.set('', { name: '', functions: root, resources: NONE });
  return { world, interfaces, resources };
}

/** Shared by every empty map of descriptions (most resources have no statics): nodes are meant to cost little. */
const NONE: ReadonlyMap<string, never> = new Map<string, never>();

function byShortName(functions: readonly WitFunction[]): ReadonlyMap<string, WitFunction> {
  return functions.length === 0 ? NONE : new Map(functions.map((m) => [m.shortName, m]));
}

/** An exported interface by its full name, its name without version, or its short name (when unique). */
export function matchInterface(description: NodeDescription, name: string): InterfaceDescription | undefined {
  const exact = description.interfaces.get(name);
  if (exact) return exact;
  const candidates = [...description.interfaces.values()].filter((i) => stripVersion(i.name) === name || shortName(i.name) === name);
  return candidates.length === 1 ? candidates[0] : undefined;
}

function shortName(exportName: string): string {
  const slash = exportName.lastIndexOf('/');
  return stripVersion(slash < 0 ? exportName : exportName.slice(slash + 1));
}

/** True when a function's WIT result is a `result<…>` (the core unwraps it). */
export function returnsResult(fn: WitFunction): boolean {
  return fn.result !== undefined && unalias(fn.result).kind === 'result';
}

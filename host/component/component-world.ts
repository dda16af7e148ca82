/**
 * The WIT world an instantiated component exports, read out of its types: the same model
 * the WIT parser produces (`common/wit/model.ts`), so a wasm node is described exactly like
 * a process node. Each exported `WitFunction` maps to the runtime function that runs it.
 *
 * A resource belongs to the exported interface that exports its constructor, methods or
 * statics; another interface that re-exports the same resource type (WIT `use`) gets an
 * alias to it, as the WIT parser would produce.
 */
import type { AliasType, Interface, NamedType, Package, PackageName, WitFunction, World, WorldItem } from '../../common/wit/model.js';
import { parseFunctionName } from '../../common/wit/names.js';
import type { ExternValue, FuncValue, InstanceValue } from './instantiate.js';
import type { RuntimeResource } from './runtime/resources.js';

// A component's world describes its exports only: its packages list nothing, and it has no
// imports or world-level types here. One set of empty maps serves every instance (an
// instance is meant to cost little); nothing writes to them.
const NO_INTERFACES: Map<string, Interface> = new Map();
const NO_WORLDS: Map<string, World> = new Map();
const NO_ITEMS: Map<string, WorldItem> = new Map();
const NO_TYPES: Map<string, NamedType> = new Map();
const EXPORTS_PACKAGE: Package = { name: { namespace: 'component', name: 'exports' }, interfaces: NO_INTERFACES, worlds: NO_WORLDS };
/** Packages by id, shared by every instance that names them (they hold nothing per instance). */
const packages = new Map<string, Package>();

export interface ComponentWorld {
  readonly world: World;
  /** This instance's runtime function behind each exported function of `world`. */
  readonly functions: { get(fn: WitFunction): FuncValue | undefined };
  /** The world's resource type that stands for one of this instance's own resource types. */
  canonical(rt: RuntimeResource): RuntimeResource;
}

/**
 * Instances of one component export the same shape, so they share one world (and the core
 * one description of it): only the runtime functions and the resource types differ per
 * instance, and an instance keeps just an array of functions and a link from each of its
 * resource types to the world's. `share` is the component the instance was made from.
 */
export function componentWorld(instance: InstanceValue, share?: object): ComponentWorld {
  const { funcs, resources } = collect(instance);
  let shared = share ? sharedWorlds.get(share) : undefined;
  if (!shared) {
    shared = { world: buildWorld(instance), resources };
    if (share) sharedWorlds.set(share, shared);
  } else {
    resources.forEach((rt, i) => { (rt as { [CANONICAL]?: RuntimeResource })[CANONICAL] = shared!.resources[i]!; });
  }
  return {
    world: shared.world,
    functions: { get: (fn) => funcs[(fn as { [ORDINAL]?: number })[ORDINAL] ?? -1] },
    canonical: (rt) => (rt as { [CANONICAL]?: RuntimeResource })[CANONICAL] ?? rt,
  };
}

/**
 * The whole contract of a component, imports included, as a WIT world: what the load-time
 * check compares with the world the application expects (`compareWorlds`). Built from a
 * types-only instance (no guest code runs) and the values its imports were bound to.
 */
export function componentContract(instance: InstanceValue, imports: ReadonlyMap<string, ExternValue>): World {
  const exported = buildWorld(instance);
  const imported = buildWorld({ exports: new Map(imports) });
  return { ...exported, imports: imported.exports };
}

/** An exported function's position in the traversal order of `collect`. */
const ORDINAL = Symbol('plugin-actors.exportOrdinal');
/** On a later instance's resource type: the world's type it stands for. */
const CANONICAL = Symbol('plugin-actors.canonicalResource');
const sharedWorlds = new WeakMap<object, { world: World; resources: RuntimeResource[] }>();

/** The exported functions and resource types of an instance, in one fixed order. */
function collect(instance: InstanceValue): { funcs: FuncValue[]; resources: RuntimeResource[] } {
  const funcs: FuncValue[] = [];
  const resources: RuntimeResource[] = [];
  for (const v of instance.exports.values()) {
    if (v.sort === 'func') funcs.push(v.func);
    else if (v.sort === 'instance') {
      for (const x of v.instance.exports.values()) {
        if (x.sort === 'func') funcs.push(x.func);
        else if (x.sort === 'type' && x.type.kind === 'resource') resources.push(x.type.resource);
      }
    }
  }
  return { funcs, resources };
}

interface ExportedInstance {
  readonly key: string;
  readonly functions: Map<string, FuncValue>;
  readonly resources: Map<string, RuntimeResource>;
}

function buildWorld(instance: InstanceValue): World {
  // Ordinals follow `collect`'s order, which later instances are read in.
  const ordinals = new Map<FuncValue, number>();
  collect(instance).funcs.forEach((f, i) => { if (!ordinals.has(f)) ordinals.set(f, i); });
  const witFunction = (name: string, f: FuncValue, resource: RuntimeResource | undefined) => functionOf(name, f, resource, ordinals.get(f)!);
  const world: World = { name: 'root', package: EXPORTS_PACKAGE, imports: NO_ITEMS, exports: new Map(), types: NO_TYPES };
  const instances: ExportedInstance[] = [];
  for (const [key, v] of instance.exports) {
    if (v.sort === 'func') {
      const func = witFunction(key, v.func, undefined);
      world.exports.set(key, { kind: 'function', func });
    } else if (v.sort === 'instance') {
      const fns = new Map<string, FuncValue>();
      const resources = new Map<string, RuntimeResource>();
      for (const [name, x] of v.instance.exports) {
        if (x.sort === 'func') fns.set(name, x.func);
        else if (x.sort === 'type' && x.type.kind === 'resource') resources.set(name, x.type.resource);
      }
      instances.push({ key, functions: fns, resources });
    }
  }
  // Which interface defines each resource: the one exporting its functions (else the first to name it).
  const definer = new Map<RuntimeResource, ExportedInstance>();
  for (const inst of instances) {
    for (const name of inst.functions.keys()) {
      const r = parseFunctionName(name).resource;
      const rt = r === undefined ? undefined : inst.resources.get(r);
      if (rt && !definer.has(rt)) definer.set(rt, inst);
    }
  }
  for (const inst of instances) for (const rt of inst.resources.values()) if (!definer.has(rt)) definer.set(rt, inst);

  for (const inst of instances) {
    const iface: Interface = { ...interfaceName(inst.key), types: new Map(), functions: new Map() };
    for (const [name, rt] of inst.resources) {
      if (definer.get(rt) === inst) {
        // Resource types are made per instance (with empty method lists): this is their first description.
        rt.owner = { kind: 'interface', iface };
        iface.types.set(name, rt);
      } else {
        const alias: AliasType = { kind: 'alias', name, owner: { kind: 'interface', iface }, target: rt };
        iface.types.set(name, alias as NamedType);
      }
    }
    for (const [name, f] of inst.functions) {
      const parsed = parseFunctionName(name);
      const rt = parsed.resource === undefined ? undefined : inst.resources.get(parsed.resource);
      const func = witFunction(name, f, rt);
      iface.functions.set(name, func);
      if (rt && definer.get(rt) === inst) {
        if (func.kind === 'constructor') rt.ctor = func;
        else if (func.kind === 'method') rt.methods.push(func);
        else if (func.kind === 'static') rt.statics.push(func);
      }
    }
    world.exports.set(inst.key, { kind: 'interface', iface });
  }
  return world;
}

function functionOf(name: string, f: FuncValue, resource: RuntimeResource | undefined, ordinal: number): WitFunction {
  const parsed = parseFunctionName(name);
  const func: WitFunction & { [ORDINAL]: number } = {
    [ORDINAL]: ordinal, name, shortName: parsed.name, kind: resource ? parsed.kind : 'freestanding', params: f.sig.params, async: false,
    ...(resource ? { resource } : {}),
    ...(f.sig.result !== undefined ? { result: f.sig.result } : {}),
  };
  return func;
}


/** `ns:pkg/iface@1.2.3` → a named interface in its package; any other name → an inline interface. */
function interfaceName(key: string): { name?: string; package?: Package } {
  const m = /^([a-z][a-z0-9-]*):([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)(?:@(.+))?$/.exec(key);
  if (!m) return {};
  const id = `${m[1]}:${m[2]}@${m[4] ?? ''}`;
  let pkg = packages.get(id);
  if (!pkg) {
    const name: PackageName = { namespace: m[1]!, name: m[2]!, ...(m[4] ? { version: m[4] } : {}) };
    if (packages.size < 4096) packages.set(id, (pkg = { name, interfaces: NO_INTERFACES, worlds: NO_WORLDS }));
    else pkg = { name, interfaces: NO_INTERFACES, worlds: NO_WORLDS };
  }
  return { name: m[3]!, package: pkg };
}

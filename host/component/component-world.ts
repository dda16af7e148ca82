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
import type { FuncValue, InstanceValue } from './instantiate.js';
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
  /** The runtime function behind each exported function of `world`. */
  readonly functions: { get(fn: WitFunction): FuncValue | undefined };
}

/** Where an exported function keeps its runtime function (a property, not a map per instance). */
const RUNTIME = Symbol('plugin-actors.runtimeFunction');
const functions = { get: (fn: WitFunction) => (fn as { [RUNTIME]?: FuncValue })[RUNTIME] };

interface ExportedInstance {
  readonly key: string;
  readonly functions: Map<string, FuncValue>;
  readonly resources: Map<string, RuntimeResource>;
}

export function componentWorld(instance: InstanceValue): ComponentWorld {
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
  return { world, functions };
}

function witFunction(name: string, f: FuncValue, resource: RuntimeResource | undefined): WitFunction {
  const parsed = parseFunctionName(name);
  const func: WitFunction & { [RUNTIME]: FuncValue } = {
    [RUNTIME]: f, name, shortName: parsed.name, kind: resource ? parsed.kind : 'freestanding', params: f.sig.params, async: false,
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

/** A node description from a WIT world (what a subprocess plugin declared in its handshake). */
import type { ResourceType, WitFunction, World } from '../../../common/wit/model.js';
import type { FunctionDescription, InterfaceDescription, NodeDescription, ResourceDescription } from '../../system/node-connection.js';
import { worldId } from '../../../common/wit/model.js';

export function functionDescription(f: WitFunction): FunctionDescription {
  return {
    name: f.name, kind: f.kind, shortName: f.shortName, params: f.params,
    ...(f.resource ? { resource: f.resource.name } : {}),
    ...(f.result ? { result: f.result } : {}),
  };
}

/** Describes the world's exports; `byResource` receives each exported resource's description. */
export function describeWorld(world: World, byResource: Map<ResourceType, ResourceDescription>, byFunction: Map<WitFunction, FunctionDescription>): NodeDescription {
  const interfaces = new Map<string, InterfaceDescription>();
  const root = new Map<string, FunctionDescription>();
  const fn = (f: WitFunction) => {
    let d = byFunction.get(f);
    if (!d) byFunction.set(f, (d = functionDescription(f)));
    return d;
  };
  for (const [key, item] of world.exports) {
    if (item.kind === 'function') {
      root.set(key, fn(item.func));
      continue;
    }
    if (item.kind !== 'interface') continue;
    const functions = new Map<string, FunctionDescription>();
    for (const f of item.iface.functions.values()) functions.set(f.name, fn(f));
    const resources = new Map<string, ResourceDescription>();
    for (const t of item.iface.types.values()) {
      if (t.kind !== 'resource') continue;
      const d: ResourceDescription = {
        name: t.name, interfaceName: key, key: t,
        methods: new Map(t.methods.map((m) => [m.shortName, fn(m)])),
        statics: new Map(t.statics.map((m) => [m.shortName, fn(m)])),
        ...(t.ctor ? { ctor: fn(t.ctor) } : {}),
      };
      resources.set(t.name, d);
      byResource.set(t, d);
    }
    interfaces.set(key, { name: key, functions, resources });
  }
  if (root.size > 0) interfaces.set('', { name: '', functions: root, resources: new Map() });
  return { interfaces, world: worldId(world) };
}

/**
 * The bridge a transport receives for one incarnation: resource values of the node become
 * actors of its registry, and actors passed back become the node's local resources again.
 */
import { PluginHostError } from '../../common/errors.js';
import type { ResourceType } from '../../common/wit/model.js';
import type { ResourceBridge } from './node-connection.js';
import type { NodeDescription, ResourceDescription } from './node-description.js';
import { proxyMeta } from './proxy.js';
import type { ActorEntry, ActorRegistry } from './registry.js';

export interface BridgeTarget {
  readonly registry: ActorRegistry;
  /** The incarnation's description, once it loaded. */
  description(): NodeDescription | undefined;
  /** The actor proxy of an entry of this incarnation. */
  proxyOf(entry: ActorEntry): object | undefined;
}

export function resourceBridge(target: BridgeTarget): ResourceBridge {
  const { registry } = target;
  const describe = (type: ResourceType): ResourceDescription => {
    const d = target.description()?.resources.get(type);
    if (!d) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${type.name} is not one the plugin exports`);
    return d;
  };
  return {
    isActorType: (type) => target.description()?.resources.has(type) ?? false,
    adopt: (type, local, route) => {
      const proxy = target.proxyOf(registry.add(describe(type), local, route));
      if (!proxy) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${type.name} was handed out before the plugin finished loading`);
      return proxy;
    },
    resolve: (type, value, own) => {
      const resource = describe(type);
      const meta = proxyMeta(value);
      if (!meta) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got ${value === null ? 'null' : typeof value}`);
      if (meta.id.node !== registry.node) {
        throw new PluginHostError('ERR_FOREIGN_RESOURCE', `actor ${meta.id} belongs to another plugin; resources cannot cross plugins`, { actorId: String(meta.id) });
      }
      if (meta.id.incarnation !== registry.incarnation) {
        throw new PluginHostError('ERR_STALE_INCARNATION', `actor ${meta.id} belonged to incarnation ${meta.id.incarnation} of plugin ${registry.node}, which has ended`, { actorId: String(meta.id) });
      }
      const entry = registry.lookup(meta.id);
      if (!entry || entry.state !== 'live') throw new PluginHostError('ERR_ACTOR_STOPPED', `actor ${meta.id} was stopped`, { actorId: String(meta.id) });
      if (entry.resource !== resource) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got a ${entry.resource?.name ?? 'root'} actor`);
      if (own) registry.end(entry, { cause: 'moved' });
      return entry.local;
    },
    ended: (value, reason, downAt) => {
      const meta = proxyMeta(value);
      if (downAt) registry.wentDown(downAt);
      const entry = meta && meta.id.node === registry.node && meta.id.incarnation === registry.incarnation ? registry.lookup(meta.id) : undefined;
      if (entry) registry.end(entry, { cause: reason.code === 'ERR_SUBTREE_DOWN' ? 'node-down' : 'stopped', reason });
    },
  };
}

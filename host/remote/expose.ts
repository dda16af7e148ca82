/**
 * A local plugin served to a peer in the plugin role: each export of its world becomes an
 * incoming function that calls the plugin through the local actor system (so its grants,
 * limits, supervision and deadlines apply as for any local call), and the resource actors
 * it hands out become handles of this connection.
 *
 * The world is the one the runner announces (parsed from WIT, so it can be sent in HELLO);
 * functions reach the local plugin by name through its proxies, so the local node may be a
 * wasm component described by its own types, or a process plugin.
 *
 * Handles (docs/protocol.md §6): the peer's side holds resource actors by handle; dropping a
 * handle stops the actor, giving one back (`own`) moves it into the call. When the
 * connection ends, `release()` stops every actor still held, so a vanished host leaks
 * nothing on the runner.
 */
import type { ResourceHooks } from '../../common/codec/value-codec.js';
import { PluginHostError } from '../../common/errors.js';
import { functionTable } from '../../common/protocol/function-table.js';
import { LocalResources } from '../../common/protocol/local-resources.js';
import type { Welcome } from '../../common/protocol/messages.js';
import type { IncomingFunction, PeerTables } from '../../common/protocol/peer/peer.js';
import { WireError } from '../../common/codec/bytes.js';
import type { ResourceType, World } from '../../common/wit/model.js';
import { camelCase, pascalCase } from '../../common/wit/names.js';
import type { ActorSystem } from '../actor-system.js';
import { callOptions } from '../system/call-options.js';
import type { PluginNode } from '../system/plugin-node.js';

type Callable = (...args: unknown[]) => Promise<unknown>;

export interface ExposedNode {
  readonly tables: PeerTables;
  /** Resource actors the other side holds now. */
  readonly held: number;
  /** Stops every resource actor the other side still holds (the connection ended). */
  release(): Promise<void>;
}

export function exposeNode(system: ActorSystem, node: PluginNode, world: World, welcome: Welcome): ExposedNode {
  const entries = new Map(functionTable(world, 'export').map((e) => [e.wireName, e]));
  const exported = new Set<ResourceType>([...entries.values()].flatMap((e) => (e.func.resource ? [e.func.resource] : [])));
  const held = new LocalResources();
  const actors = new Set<object>();

  const incoming: IncomingFunction[] = welcome.exports.map((name) => {
    const entry = entries.get(name);
    if (!entry) throw new WireError(`the host listed ${name}, which this runner's world does not export`);
    const f = entry.func;
    const method = camelCase(f.kind === 'freestanding' ? f.name : f.shortName);
    // Resolved on each call: root proxies follow the local plugin across its restarts.
    const root = () => node.exports(entry.interfaceKey === '' ? undefined : entry.interfaceKey) as Record<string, unknown>;
    const target = (self: unknown): Callable => {
      if (f.kind === 'method') return bound(self as Record<string, unknown>, method, name);
      if (f.kind === 'freestanding') return bound(root(), method, name);
      const ns = root()[pascalCase(f.resource!.name)] as Record<string, unknown>;
      return bound(ns, f.kind === 'constructor' ? 'new' : method, name);
    };
    return {
      name, func: f,
      // The caller's cancellation (CANCEL, or its deadline passing) reaches the local call.
      serve: (self, args, call) => target(self)(...args, callOptions({ signal: call.signal })),
    };
  });
  if (welcome.imports.length > 0) throw new WireError('the host offered imports: a runner serves its plugins\' imports itself');

  const hooks: ResourceHooks = {
    encode: (resource, value, own, path) => {
      if (!exported.has(resource)) throw new PluginHostError('ERR_UNSUPPORTED', `${path}: only the plugin's own resources cross a runner's session`);
      const handle = own ? held.give(value, path) : held.lend(value, path);
      actors.add(value as object);
      return handle;
    },
    decode: (resource, handle, own) => {
      if (!exported.has(resource)) throw new PluginHostError('ERR_UNSUPPORTED', `a ${resource.name} handle: only the plugin's own resources cross a runner's session`);
      if (!own) return held.get(handle);
      const actor = held.take(handle);
      actors.delete(actor);
      return actor;
    },
  };

  return {
    tables: {
      outgoing: [], incoming, hooks,
      drop: (handle) => {
        const actor = held.take(handle);
        actors.delete(actor);
        // The peer confirms the drop at once; the actor stops behind it (an actor already gone is fine).
        void system.stop(actor).catch(() => {});
      },
    },
    get held() { return actors.size; },
    async release() {
      const all = [...actors];
      actors.clear();
      await Promise.all(all.map((a) => system.stop(a).catch(() => {})));
    },
  };
}

function bound(target: Record<string, unknown> | undefined, member: string, wireName: string): Callable {
  const fn = target?.[member];
  if (typeof fn !== 'function') throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `the local plugin has no ${wireName}`);
  return (fn as Callable).bind(target);
}

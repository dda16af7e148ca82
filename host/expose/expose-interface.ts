/**
 * Exposing a plugin's interface onward: a jco-style implementation object (lowerCamelCase
 * functions, one class per resource) whose members call a loaded plugin's root-actor proxy.
 * Whoever serves an interface from such objects serves that plugin: a Node plugin that runs
 * its own `ActorSystem` and passes it to `serve({ exports })` exposes its children's actors
 * to its host (a tree of hosts, docs/linking.md), and any other side that runs the peer in
 * the plugin role (another channel under it) can do the same.
 *
 * It is the host object of a link (`host/linking/linked-interface.ts`) in its async mode:
 * each function takes the call context the Node SDK passes after the WIT arguments, so a
 * cancelled or timed-out call cancels the call it made here; resources come out as wrappers
 * of the plugin's resource actors, and dropping one stops its actor.
 *
 * API (through `ActorSystem.expose(proxy)`):
 *   const child = await system.load({ name: 'store', wasm: './store.wasm' });
 *   await serve({ wit, world, exports: { 'acme:kv/store': system.expose(child.exports('acme:kv/store')) } });
 */
import { PluginHostError } from '../../common/errors.js';
import type { ActorSystemCore } from '../system/actor-system.js';
import type { Logger } from '../system/node-connection.js';
import { linkedInterface } from '../linking/linked-interface.js';

/**
 * The implementation object of the interface behind `proxy` (`plugin.exports(interface)`).
 * @throws ERR_INVALID_OPTION for anything but a loaded plugin's root-actor proxy
 */
export function exposeInterface(core: ActorSystemCore, proxy: unknown, logger: Logger): object {
  const target = core.linkTarget(proxy);
  if (!target) throw new PluginHostError('ERR_INVALID_OPTION', 'expose() takes a loaded plugin\'s interface proxy: system.plugin(name).exports(interface)');
  return linkedInterface(core, proxy as object, target, { importer: 'exposed', importKey: target.description.name, mode: 'async', logger });
}

/**
 * Handles on a connection to a plugin over the wire, from the host's side (docs/protocol.md
 * §6): the plugin's resources the host holds as actors, and the host's own resources the
 * plugin holds. A hostile plugin cannot hand out one handle twice, reuse a handle, or lend
 * the host a handle it never gave it: each is a protocol violation.
 */
import { WireError } from '../../common/codec/bytes.js';
import type { ResourceHooks } from '../../common/codec/value-codec.js';
import { PluginHostError } from '../../common/errors.js';
import { LocalResources } from '../../common/protocol/local-resources.js';
import type { ResourceType } from '../../common/wit/model.js';
import type { EndedMessage } from '../../common/protocol/features/tree.js';
import { ActorId, type ResourceBridge } from '../system/node-connection.js';

/** Routes announced ahead of their handles (tree@1): a RETURN follows each at once, so few wait. */
const MAX_PENDING_ROUTES = 1024;

export class RemoteHandles implements ResourceHooks {
  /** The plugin's resources the host owns now: handle → actor proxy. */
  readonly #held = new Map<number, unknown>();
  /** Plugins number their resources upward, never reusing one (§6). */
  #highest = 0;
  readonly #host = new LocalResources();
  /** tree@1: ids announced for handles not handed out yet. */
  readonly #routes = new Map<number, ActorId>();

  constructor(private readonly bridge: ResourceBridge) {}

  /** While a call's arguments are encoded: the plugin's resources lent, and those to give away once all encoded. */
  #call: { lent: Set<number>; moving: { resource: ResourceType; value: unknown; handle: number }[] } | undefined;

  beginCall(): void {
    this.#call = { lent: new Set(), moving: [] };
  }

  endCall(commit: boolean): void {
    const call = this.#call;
    this.#call = undefined;
    if (!commit || !call) return;
    for (const m of call.moving) this.#move(m.resource, m.value, m.handle);
  }

  encode(resource: ResourceType, value: unknown, own: boolean, path: string): number {
    if (!this.bridge.isActorType(resource)) return own ? this.#host.give(value, path) : this.#host.lend(value, path);
    // Resolve without moving: the move happens once the whole call encoded (the canonical ABI's rule too).
    const handle = this.bridge.resolve(resource, value, false) as number;
    const call = this.#call;
    if (!call) {
      if (own) this.#move(resource, value, handle);
      return handle;
    }
    const moved = call.moving.some((m) => m.handle === handle);
    if (moved || (own && call.lent.has(handle))) {
      throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: this ${resource.name} is ${moved ? 'given away' : 'also lent to the same call as a borrow'}, so it cannot be ${own ? 'given away' : 'lent'} in it`);
    }
    if (own) call.moving.push({ resource, value, handle });
    else call.lent.add(handle);
    return handle;
  }

  #move(resource: ResourceType, value: unknown, handle: number): void {
    this.bridge.resolve(resource, value, true);
    this.#held.delete(handle);
  }

  decode(resource: ResourceType, handle: number, own: boolean): unknown {
    if (!this.bridge.isActorType(resource)) return own ? this.#host.take(handle) : this.#host.get(handle);
    if (!own) {
      const proxy = this.#held.get(handle);
      if (proxy === undefined) throw new WireError(`the plugin lent the host a ${resource.name} handle ${handle} the host does not hold`);
      return proxy;
    }
    if (handle === 0) throw new WireError(`the plugin handed out ${resource.name} handle 0, which is never issued (handles count from 1)`);
    if (handle <= this.#highest) {
      throw new WireError(`the plugin handed out ${resource.name} handle ${handle} again (handles count up and are never reused)`);
    }
    this.#highest = handle;
    const route = this.#routes.get(handle);
    // Routes of lower handles belong to values that were never sent (their encoding failed).
    for (const h of this.#routes.keys()) if (h <= handle) this.#routes.delete(h);
    const proxy = this.bridge.adopt(resource, handle, route);
    this.#held.set(handle, proxy);
    return proxy;
  }

  /** tree@1 ROUTE: the plugin's next handle `handle` stands for the actor `id` of its own system. */
  route(handle: number, id: string): void {
    if (handle <= this.#highest) throw new WireError(`tree@1: a route for handle ${handle}, which was handed out already`);
    if (this.#routes.size >= MAX_PENDING_ROUTES && !this.#routes.has(handle)) throw new WireError(`tree@1: more than ${MAX_PENDING_ROUTES} routes announced ahead of their handles`);
    let parsed: ActorId;
    try {
      parsed = ActorId.parse(id);
    } catch {
      throw new WireError(`tree@1: ${JSON.stringify(id.slice(0, 80))} is not an actor id`);
    }
    this.#routes.set(handle, parsed);
  }

  /**
   * tree@1 ENDED: the actor behind a handle the host holds ended under the plugin. `node` is
   * the plugin's node as `name@incarnation`, the first hop of the route to where it failed.
   */
  ended(m: EndedMessage, node: string): void {
    const proxy = this.#held.get(m.handle);
    // Already dropped by the host (the two crossed): nothing holds it any more.
    if (proxy === undefined) return;
    let downAt: ActorId['route'] | undefined;
    if (m.downAt !== '') {
      try {
        downAt = ActorId.parse(`${m.downAt}/0`).hops;
      } catch {
        throw new WireError(`tree@1: ${JSON.stringify(m.downAt.slice(0, 80))} is not a route`);
      }
    }
    this.#held.delete(m.handle);
    const where = downAt?.[downAt.length - 1]?.node;
    const reason = m.code === 'ERR_SUBTREE_DOWN'
      ? new PluginHostError('ERR_SUBTREE_DOWN', m.message, { ...(where ? { plugin: where } : {}), ...(downAt ? { downAt: `${node}/${m.downAt}` } : {}) })
      : new PluginHostError('ERR_ACTOR_STOPPED', m.message);
    this.bridge.ended?.(proxy, reason, downAt);
  }

  /** The host dropped one of the plugin's resources. */
  dropped(handle: number): void {
    this.#held.delete(handle);
  }

  /** The plugin dropped one of the host's resources. */
  dropHostResource(handle: number): void {
    this.#host.drop(handle);
  }
}

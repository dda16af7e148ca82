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
import type { ResourceBridge } from '../system/node-connection.js';

export class RemoteHandles implements ResourceHooks {
  /** The plugin's resources the host owns now: handle → actor proxy. */
  readonly #held = new Map<number, unknown>();
  /** Plugins number their resources upward, never reusing one (§6). */
  #highest = 0;
  readonly #host = new LocalResources();

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
    const proxy = this.bridge.adopt(resource, handle);
    this.#held.set(handle, proxy);
    return proxy;
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

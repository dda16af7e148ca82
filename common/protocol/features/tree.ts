/**
 * The `tree@1` feature (docs/protocol.md §12.2): a plugin that runs its own ActorSystem and
 * serves its children's actors onward (a tree of hosts, docs/linking.md) tells its host
 * where each resource it hands out really lives, and when one ends under it.
 *
 * * ROUTE `0x42 handle id` (plugin → host), sent before the message that hands `handle` out:
 *   `id` is the actor's id in the plugin's own system (`leaf@1/5`, itself routed when the
 *   child is a host too). The host makes the actor's id that route under the plugin's node:
 *   `mid@2/leaf@1/5`.
 * * ENDED `0x43 handle code down-at message` (plugin → host): the actor behind a handle the
 *   host holds ended without the host dropping it (its node, deeper down, went down). `code`
 *   is the error code as text (`ERR_SUBTREE_DOWN`, or `ERR_ACTOR_STOPPED` when it was
 *   stopped there), `down-at` the route from the plugin's system to the node that went down
 *   (`leaf@1`; empty when none did). The plugin forgets the handle; the host ends the actor.
 */
import { WireError, type ByteReader } from '../../codec/bytes.js';
import type { Peer, PeerFeature } from '../peer/peer.js';

export const TREE_FEATURE = 'tree@1';
export const ROUTE = 0x42;
export const ENDED = 0x43;

/** Text fields of these messages stay small: an id has at most 32 hops of short names. */
const MAX_TEXT = 8192;

export interface EndedMessage {
  readonly handle: number;
  readonly code: 'ERR_SUBTREE_DOWN' | 'ERR_ACTOR_STOPPED';
  readonly downAt: string;
  readonly message: string;
}

/** The plugin's side: announce routes and endings through `peer`. */
export function treeAnnouncer(peer: () => Peer) {
  return {
    route(handle: number, id: string): void {
      peer().sendFeature(ROUTE, (w) => { w.uleb(handle); w.string(id); });
    },
    ended(m: EndedMessage): void {
      peer().sendFeature(ENDED, (w) => { w.uleb(m.handle); w.string(m.code); w.string(m.downAt); w.string(m.message); });
    },
  };
}

/** The host's side: decode both messages for the connection's handle table. */
export function treeReceiver(handlers: { route(handle: number, id: string): void; ended(m: EndedMessage): void }): PeerFeature {
  return {
    name: TREE_FEATURE, kinds: [ROUTE, ENDED],
    receive(kind, body) {
      const handle = body.uleb();
      if (handle === 0) throw new WireError('tree@1: handle 0 is never issued');
      if (kind === ROUTE) {
        const id = text(body, 'id');
        end(body);
        handlers.route(handle, id);
        return;
      }
      const code = text(body, 'code');
      if (code !== 'ERR_SUBTREE_DOWN' && code !== 'ERR_ACTOR_STOPPED') throw new WireError(`tree@1: ENDED with code ${JSON.stringify(code)}`);
      const downAt = text(body, 'down-at');
      const message = text(body, 'message');
      end(body);
      handlers.ended({ handle, code, downAt, message });
    },
  };
}

function text(body: ByteReader, field: string): string {
  const s = body.string();
  if (s.length > MAX_TEXT) throw new WireError(`tree@1: ${field} longer than ${MAX_TEXT} characters`);
  return s;
}

function end(body: ByteReader): void {
  if (body.remaining !== 0) throw new WireError('tree@1: trailing bytes');
}

/**
 * What a link's or `expose`'s wrapper tells whoever serves it onward about the actor it
 * stands for (`ROUTED_ACTOR`, common/host-objects.ts): the actor's id in this system, to
 * become the tail of its routed id one level up, and its end, told up as the end of every
 * actor in a subtree that went down (docs/linking.md, *Trees of hosts*).
 */
import { isPluginHostError } from '../../common/errors.js';
import type { RoutedActor, RoutedEnd } from '../../common/host-objects.js';
import type { ActorSystemCore } from '../system/actor-system.js';
import { proxyMeta } from '../system/proxy.js';
import type { Termination } from '../system/registry.js';

export function routedActor(core: ActorSystemCore, actor: object): RoutedActor | undefined {
  const meta = proxyMeta(actor);
  if (!meta) return undefined;
  return {
    id: meta.id.toString(),
    watch: (ended) => core.watch(actor, (t) => ended(routedEnd(t))),
  };
}

/** The end as the level above sees it: a node-down names the route to the node that went down. */
export function routedEnd(t: Termination): RoutedEnd {
  if (t.cause !== 'node-down') return { code: 'ERR_ACTOR_STOPPED', downAt: '', message: `actor ${t.id} was stopped` };
  // A subtree further down: its reason already holds the route from this system.
  if (isPluginHostError(t.reason, 'ERR_SUBTREE_DOWN') && t.reason.downAt) return { code: 'ERR_SUBTREE_DOWN', downAt: t.reason.downAt, message: t.reason.message };
  const hop = `${t.id.node}@${t.id.incarnation}`;
  return { code: 'ERR_SUBTREE_DOWN', downAt: hop, message: `plugin ${t.id.node} (${hop}) went down${t.reason ? `: ${t.reason.message}` : ''}` };
}

/**
 * The actors of one node incarnation: local id → entry. Local id 0 is the root actor
 * (the world's exported interfaces); resource actors get increasing ids, never reused
 * within an incarnation, so a stale id can never reach a newer actor.
 *
 * A node that is itself a host (a tree of hosts) hands out actors of its own children: their
 * ids are routed (`mid@2/leaf@1/5`, actor-id.ts) and found by their text. For the hops below
 * this node the registry remembers the newest incarnation it saw and the newest it was told
 * went down, so that an id made under an older incarnation of any hop is told apart as stale.
 */
import type { PluginHostError } from '../../common/errors.js';
import type { LocalResource } from './node-connection.js';
import type { ResourceDescription } from './node-description.js';
import { ActorId } from './actor-id.js';

/** Why an actor ended: `undefined` for an orderly stop, else the error that ended it. */
export interface Termination {
  readonly id: ActorId;
  readonly reason?: PluginHostError;
  /** `stopped` (dropped by the host), `moved` (owned handle passed into the plugin), `node-down`. */
  readonly cause: 'stopped' | 'moved' | 'node-down';
}

export type TerminationListener = (termination: Termination) => void;

export interface ActorEntry {
  readonly id: ActorId;
  /** Its key here, when that is not `id.local` (routed ids). */
  readonly key?: number;
  /** Undefined for the root actor. */
  readonly resource?: ResourceDescription;
  readonly local?: LocalResource;
  state: 'live' | 'stopping' | 'ended';
  watchers?: Set<TerminationListener>;
  /** The proxy handed to callers, kept so every lookup returns the same object. */
  proxy?: object;
  /** Its synchronous twin, once asked for. */
  syncProxy?: object;
}

export class ActorRegistry {
  private readonly entries = new Map<number, ActorEntry>();
  private readonly routed = new Map<string, ActorEntry>();
  /** Per hop below this node (the route above it, then its name): incarnations seen and gone down. */
  private readonly hops = new Map<string, { seen: number; down: number }>();
  private nextLocal = 1;

  /** Kept after it ended: calls through it then report how its incarnation ended. */
  readonly root: ActorEntry;

  constructor(readonly node: string, readonly incarnation: number) {
    this.root = { id: new ActorId(node, incarnation, 0), state: 'live' };
    this.entries.set(0, this.root);
  }

  get size(): number {
    return this.entries.size;
  }

  /** A new resource actor; `route` is its id in the node's own system when the node is a host too. */
  add(resource: ResourceDescription, local: LocalResource, route?: ActorId): ActorEntry {
    const key = this.nextLocal++;
    if (!route) {
      const entry: ActorEntry = { id: new ActorId(this.node, this.incarnation, key), resource, local, state: 'live' };
      this.entries.set(key, entry);
      return entry;
    }
    const entry: ActorEntry = { id: route.under(this.node, this.incarnation), key, resource, local, state: 'live' };
    this.entries.set(key, entry);
    this.routed.set(entry.id.toString(), entry);
    route.hops.forEach((hop, i) => {
      const h = this.#hop(route.hops, i);
      h.seen = Math.max(h.seen, hop.incarnation);
    });
    return entry;
  }

  /** The live entry of a plain local id of this node. */
  get(local: number): ActorEntry | undefined {
    const entry = this.entries.get(local);
    return entry && entry.key === undefined ? entry : undefined;
  }

  /** The entry of an id of this node, plain or routed. */
  lookup(id: ActorId): ActorEntry | undefined {
    return id.route.length === 0 ? this.get(id.local) : this.routed.get(id.toString());
  }

  /** The first hop of a routed id that is older than one seen since, or one that went down (`leaf@1`); else undefined. */
  staleHop(id: ActorId): string | undefined {
    for (let i = 0; i < id.route.length; i++) {
      const hop = id.route[i]!;
      const known = this.hops.get(hopKey(id.route, i));
      if (known && (hop.incarnation < known.seen || hop.incarnation <= known.down)) return `${hop.node}@${hop.incarnation}`;
    }
    return undefined;
  }

  /** The node at `route` (below this one) went down: ids through that incarnation of it are stale. */
  wentDown(route: ActorId['route']): void {
    if (route.length === 0) return;
    const h = this.#hop(route, route.length - 1);
    h.down = Math.max(h.down, route[route.length - 1]!.incarnation);
  }

  #hop(route: ActorId['route'], i: number): { seen: number; down: number } {
    const key = hopKey(route, i);
    let h = this.hops.get(key);
    if (!h) this.hops.set(key, (h = { seen: 0, down: 0 }));
    return h;
  }

  /** Removes an entry and tells its watchers, once. */
  end(entry: ActorEntry, termination: Omit<Termination, 'id'>): void {
    if (entry.state === 'ended') return;
    entry.state = 'ended';
    this.entries.delete(entry.key ?? entry.id.local);
    if (entry.key !== undefined) this.routed.delete(entry.id.toString());
    const watchers = entry.watchers;
    entry.watchers = undefined;
    if (watchers) for (const w of watchers) notify(w, { id: entry.id, ...termination });
  }

  /** Ends every actor (the node went down). */
  endAll(termination: Omit<Termination, 'id'>): void {
    for (const entry of [...this.entries.values()]) this.end(entry, termination);
  }
}

/** `level1@1/level0`: the hops above hop `i` with their incarnations, then its name. */
function hopKey(route: ActorId['route'], i: number): string {
  let key = '';
  for (let j = 0; j < i; j++) key += `${route[j]!.node}@${route[j]!.incarnation}/`;
  return key + route[i]!.node;
}

function notify(listener: TerminationListener, termination: Termination): void {
  try {
    listener(termination);
  } catch (e) {
    // A watcher's failure must not stop the others from hearing about the termination.
    queueMicrotask(() => { throw e; });
  }
}

/**
 * The actors of one node incarnation: local id → entry. Local id 0 is the root actor
 * (the world's exported interfaces); resource actors get increasing ids, never reused
 * within an incarnation, so a stale id can never reach a newer actor.
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

  add(resource: ResourceDescription, local: LocalResource): ActorEntry {
    const entry: ActorEntry = { id: new ActorId(this.node, this.incarnation, this.nextLocal++), resource, local, state: 'live' };
    this.entries.set(entry.id.local, entry);
    return entry;
  }

  get(local: number): ActorEntry | undefined {
    return this.entries.get(local);
  }

  /** Removes an entry and tells its watchers, once. */
  end(entry: ActorEntry, termination: Omit<Termination, 'id'>): void {
    if (entry.state === 'ended') return;
    entry.state = 'ended';
    this.entries.delete(entry.id.local);
    const watchers = entry.watchers;
    entry.watchers = undefined;
    if (watchers) for (const w of watchers) notify(w, { id: entry.id, ...termination });
  }

  /** Ends every actor (the node went down). */
  endAll(termination: Omit<Termination, 'id'>): void {
    for (const entry of [...this.entries.values()]) this.end(entry, termination);
  }
}

function notify(listener: TerminationListener, termination: Termination): void {
  try {
    listener(termination);
  } catch (e) {
    // A watcher's failure must not stop the others from hearing about the termination.
    queueMicrotask(() => { throw e; });
  }
}

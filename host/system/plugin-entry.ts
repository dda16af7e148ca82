/**
 * What the core keeps about one loaded plugin across its incarnations: how to start it,
 * its restart policy, and the incarnation running now. A plugin handle and its root-actor
 * proxies point here, so they follow restarts.
 *
 * Invariants: `current` is the incarnation that is running (undefined while the plugin
 * restarts or after it ended); `last` is the newest incarnation, running or not; an entry
 * is in the core's table from `load()` until it ends (stopped, failed, or not restarted).
 */
import type { Deferred } from './deferred.js';
import type { NodeTermination } from './events.js';
import type { Launch } from './node-connection.js';
import type { NodeRecord } from './node-record.js';
import type { RestartIntensity, RestartPolicy } from './restart-policy.js';

export type PluginState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export interface PluginEntry {
  readonly name: string;
  /** Replaced by `reload`: later restarts start the new version. */
  launch: Launch;
  restart: RestartPolicy;
  intensity: RestartIntensity;
  state: PluginState;
  current: NodeRecord | undefined;
  last: NodeRecord | undefined;
  /** Resolves once, when the plugin is down for good. */
  readonly ended: Deferred<NodeTermination>;
  /** Root-actor proxies by interface, shared by every incarnation. */
  readonly interfaceProxies: Map<string, object>;
  restartTimer?: NodeJS.Timeout;
  /** Calls waiting for a restart to finish (with `waitForRestart`). */
  readonly waiters: Set<() => void>;
  /** The pool this entry is a member of. */
  pool?: string;
}

/**
 * What the core keeps about one running node incarnation. Invariant: a record is in the
 * core's node table exactly while `state` is not `down`; its registry holds the actors of
 * this incarnation only.
 */
import type { PluginHostError } from '../../common/errors.js';
import type { WitFunction } from '../../common/wit/model.js';
import type { NodeTermination } from './events.js';
import type { Launch, NodeConnection } from './node-connection.js';
import type { NodeDescription, ResourceDescription } from './node-description.js';
import type { ActorEntry, ActorRegistry } from './registry.js';

/** One function's calls on one node; `args` excludes `self`, and may end with CallOptions. */
export type CallPath = (entry: ActorEntry, args: unknown[]) => unknown;

export interface NodeRecord {
  readonly name: string;
  readonly incarnation: number;
  /** How this node was started: starting it again is one call. */
  readonly launch: Launch;
  readonly connection: NodeConnection;
  readonly description: NodeDescription;
  readonly registry: ActorRegistry;
  state: 'running' | 'stopping' | 'down';
  reason?: PluginHostError;
  /** A newer incarnation of the plugin exists or is starting: this one's actors are stale. */
  superseded: boolean;
  /** Replaced by `reload`: its ending is the old version's, not a failure of the plugin. */
  retired?: boolean;
  readonly terminated: Promise<NodeTermination>;
  readonly paths: Map<WitFunction, CallPath>;
  readonly syncPaths: Map<WitFunction, CallPath>;
  readonly prototypes: Map<ResourceDescription, { async?: object; sync?: object }>;
}

/**
 * The actor system's events: names and payloads are part of the public API.
 *
 * | event | when | payload |
 * |---|---|---|
 * | `started` | a plugin's first incarnation finished starting (its `load()` is about to resolve) | `NodeStarted` |
 * | `restarted` | the supervisor started a new incarnation after one ended | `NodeRestarted` |
 * | `terminated` | an incarnation ended, for any reason (stopped, exited, trapped, …) | `NodeTermination` |
 * | `failed` | the supervisor gave up restarting (restart intensity): the plugin stays down | `NodeFailed` |
 */
import type { PluginHostError, ErrorCode } from '../../common/errors.js';
import type { PluginNode } from './plugin-node.js';

export interface NodeStarted {
  readonly node: string;
  readonly incarnation: number;
  readonly plugin: PluginNode;
}

/**
 * Why a node ended, as a stable category:
 * - `stopped`: the host stopped it (`stop()`, `close()`); `reason` is undefined;
 * - `exited`: the plugin process (or worker) exited or was killed (`exitCode`, `signal` on `reason`);
 * - `trapped`: the wasm guest trapped or threw, or called `exit`-less abort;
 * - `protocol-error`: the plugin broke the wire protocol;
 * - `interrupted`: a call overran its deadline and the guest had to be interrupted (worker isolation);
 * - `unresponsive`: the plugin stopped answering health pings;
 * - `failed`: any other failure (the reason's code says which).
 */
export type TerminationCause = 'stopped' | 'exited' | 'trapped' | 'protocol-error' | 'interrupted' | 'unresponsive' | 'failed';

export interface NodeTermination {
  readonly node: string;
  readonly incarnation: number;
  readonly cause: TerminationCause;
  /** Undefined when the host stopped the node; otherwise the error that ended it. */
  readonly reason?: PluginHostError;
}

export interface NodeRestarted {
  readonly node: string;
  /** The new incarnation. */
  readonly incarnation: number;
  readonly plugin: PluginNode;
  /** How the incarnation before it ended. */
  readonly previous: NodeTermination;
}

export interface NodeFailed {
  readonly node: string;
  /** The last incarnation. */
  readonly incarnation: number;
  /** `ERR_RESTART_INTENSITY`, its `cause` the last failure. */
  readonly reason: PluginHostError;
}

export interface ActorSystemEvents {
  started: [event: NodeStarted];
  restarted: [event: NodeRestarted];
  terminated: [event: NodeTermination];
  failed: [event: NodeFailed];
}

const CAUSES: Partial<Record<ErrorCode, TerminationCause>> = {
  ERR_PLUGIN_EXITED: 'exited',
  ERR_TRAPPED: 'trapped',
  ERR_PROTOCOL: 'protocol-error',
  ERR_NODE_INTERRUPTED: 'interrupted',
  ERR_UNRESPONSIVE: 'unresponsive',
};

export function terminationCause(reason: PluginHostError | undefined): TerminationCause {
  if (!reason) return 'stopped';
  return CAUSES[reason.code] ?? 'failed';
}

/**
 * The core's contract with transports: what the actor system needs from a running node
 * (a wasm instance inline or in a worker, a child process, …), and nothing more. The core
 * owns this file; transports import it, never the reverse. The core never sees WebAssembly
 * or pipes; a transport never sees actor ids.
 *
 * Contract:
 * - `world` says what the node offers: its exports (functions and resources). The core
 *   derives its proxies from it; calls name functions by the `WitFunction` objects of
 *   this world.
 * - `call` settles exactly once, with the lifted result (`result` types as `{ tag, val }`)
 *   or a `PluginHostError`.
 * - When the node ends, every pending call rejects, later calls reject at once, and
 *   `terminated` resolves with the reason, exactly once (`undefined` after `close`).
 * - Resource values cross through the `ResourceBridge` of the `LaunchContext`: a transport
 *   calls `adopt` for each owned resource of the node it hands out and `resolve` for each
 *   it receives.
 * - What only some transports can do is a typed capability (`capabilities`), never an
 *   optional method on the connection.
 */
import type { PluginHostError } from '../../common/errors.js';
import type { ResourceType, WitFunction, World } from '../../common/wit/model.js';
import type { ActorId } from './actor-id.js';

// Transports parse routed ids (tree@1) through the contract too.
export { ActorId } from './actor-id.js';

/** A node-local resource as the transport knows it (a wasm resource wrapper, a wire handle). */
export type LocalResource = unknown;

export interface ResourceBridge {
  /** True for the resource types the node exports: their values are resource actors. */
  isActorType(resource: ResourceType): boolean;
  /** The node handed out a new owned resource; returns the value callers see (a proxy). */
  adopt(resource: ResourceType, local: LocalResource, route?: ActorId): unknown;
  /**
   * A resource the host holds ended on the node's side (a tree of hosts: the node's own
   * child that owned it went down). Its actor ends with `reason`; `downAt` is the route
   * below the node to the node that went down, if one did.
   */
  ended?(value: unknown, reason: PluginHostError, downAt?: ActorId['route']): void;
  /**
   * The node-local resource behind a value passed as an argument. `own` moves it into the
   * node (its actor ends with cause `moved`).
   * @throws ERR_BAD_ARGUMENT, ERR_FOREIGN_RESOURCE, ERR_ACTOR_STOPPED
   */
  resolve(resource: ResourceType, value: unknown, own: boolean): LocalResource;
}

/** What may end a call early: its deadline and its signal. */
export interface CallBudget {
  /** When the call's time is up, on `performance.now()`'s clock (from `timeoutMs` or the default deadline). */
  readonly deadline?: number | undefined;
  /** Cancels the call (a deadline is `AbortSignal.timeout`). */
  readonly signal?: AbortSignal | undefined;
}

export interface CallRequest extends CallBudget {
  readonly fn: WitFunction;
  /** For methods: the resource the method is called on. */
  readonly self?: LocalResource;
  /** The WIT arguments (without `self`). */
  readonly args: readonly unknown[];
}

/**
 * A synchronous call in the host's thread: returns the lifted result or throws. A node
 * whose guest can be interrupted stops it when `budget` runs out (ERR_TIMEOUT, ERR_ABORTED).
 */
export type SyncCall = (self: LocalResource, args: readonly unknown[], budget?: CallBudget) => unknown;

export interface NodeCapabilities {
  /**
   * The node runs guest code in the host's thread (inline wasm): synchronous calls, so the
   * core can skip a Promise per call and offer sync twins. A bound call refuses itself once
   * the node is down.
   */
  readonly sync?: {
    bind(fn: WitFunction): SyncCall | undefined;
    /**
     * Inline wasm: `fn` called with core values, for a signature that passes them through
     * (links between two inline instances; host/component/canon/core-entry.ts).
     */
    bindCore?(fn: WitFunction): CoreBinding | undefined;
  };
  /** Wasm nodes whose memory the host can read: bytes of linear memory held now. */
  readonly memory?: { bytes(): number };
  /** Process nodes: the child's id. */
  readonly process?: { readonly pid: number | undefined };
}

export type CoreCall = (...core: unknown[]) => unknown;

/** A function of an inline node called with core values (see `sync.bindCore`). */
export interface CoreBinding {
  /** Entered and checked as a lifted call is. */
  readonly call: CoreCall;
  /** For a node that imports nothing it could call: its core export itself, for wasm-to-wasm calls. */
  readonly direct?: DirectCore;
}

export interface DirectCore {
  readonly core: CoreCall;
  /**
   * A direct call did not return (it trapped, or was interrupted): ends the node as such a
   * call through `call` would have, and returns the error that call would have thrown.
   */
  failed(cause: unknown): unknown;
  /** `listener` runs once, when direct calls must stop: the node ended, trapped or was interrupted. */
  onUnusable(listener: () => void): void;
}

export interface NodeConnection {
  readonly world: World;
  call(request: CallRequest): Promise<unknown>;
  /** Stops a resource of the node (drop of an owned handle). */
  drop(resource: LocalResource): Promise<void>;
  /**
   * Stops the node: calls in flight may finish within `timeoutMs`, then the rest reject
   * with ERR_NODE_TERMINATED. Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Ends the node abruptly, as a crash would: a process gets `signal` (default SIGKILL), a
   * wasm instance or worker is terminated; `terminated` then resolves with ERR_PLUGIN_EXITED.
   */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves once when the node is gone: `undefined` after `close`, else the reason. */
  readonly terminated: Promise<PluginHostError | undefined>;
  readonly capabilities: NodeCapabilities;
}

/** What a transport gets to start one incarnation of a node. */
export interface LaunchContext {
  /** The plugin's name (unique among running plugins). */
  readonly name: string;
  readonly incarnation: number;
  readonly bridge: ResourceBridge;
  readonly logger: Logger;
}

/** Starts one incarnation of a node. Kept on the node's record, so starting it again is one call. */
export type Launch = (context: LaunchContext) => Promise<NodeConnection>;

/** Where plugin logs and system diagnostics go (console and pino-like loggers fit). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export { currentChain, printChain, runInChain, type CallChain } from './call-chain.js';

/**
 * What the actor system needs from a transport (wasm inline, subprocess, …), and nothing
 * more. The system core never sees WebAssembly or pipes; a transport never sees actor ids.
 *
 * Contract:
 * - `call` settles exactly once, with the lifted result or a `PluginHostError`.
 * - When the node dies, every pending call rejects, later calls reject at once, and
 *   `terminated` resolves with the reason, exactly once.
 * - Resource values cross through the `ResourceBridge` the system passes in: a transport
 *   calls `adopt` for each owned resource it hands out and `resolve` for each it receives.
 */
import type { PluginHostError } from '../../common/errors.js';
import type { Type } from '../../common/wit/model.js';

export interface FunctionDescription {
  /** Canonical component-model name: `greet`, `[method]counter.increment`, … */
  readonly name: string;
  readonly kind: 'freestanding' | 'method' | 'static' | 'constructor';
  /** For methods, statics and constructors: the resource's name. */
  readonly resource?: string;
  /** The name without decoration: `greet`, `increment`, `constructor`. */
  readonly shortName: string;
  /** Methods include `self` first. */
  readonly params: readonly { readonly name: string; readonly type: Type }[];
  readonly result?: Type;
}

export interface ResourceDescription {
  readonly name: string;
  /** The interface (export name) that defines it. */
  readonly interfaceName: string;
  readonly ctor?: FunctionDescription;
  readonly methods: ReadonlyMap<string, FunctionDescription>;
  readonly statics: ReadonlyMap<string, FunctionDescription>;
  /** The transport's own identity for this resource type (as it appears in types). */
  readonly key: unknown;
}

export interface InterfaceDescription {
  /** Export name: `ns:pkg/iface@ver`, a plain name, or `''` for the world's own functions. */
  readonly name: string;
  readonly functions: ReadonlyMap<string, FunctionDescription>;
  readonly resources: ReadonlyMap<string, ResourceDescription>;
}

export interface NodeDescription {
  /** Exported interfaces by export name. */
  readonly interfaces: ReadonlyMap<string, InterfaceDescription>;
  /** The WIT world the plugin declares, when the transport knows it. */
  readonly world?: string;
}

/** A node-local resource as the transport knows it (a wasm wrapper, a wire handle). */
export type LocalResource = unknown;

export interface ResourceBridge {
  /** The node handed out a new owned resource; returns the value callers see (a proxy). */
  adopt(resource: ResourceDescription, local: LocalResource): unknown;
  /**
   * The node-local resource behind a value passed as an argument. `own` moves it into the
   * plugin. Throws ERR_BAD_ARGUMENT, ERR_FOREIGN_RESOURCE or ERR_ACTOR_STOPPED.
   */
  resolve(resource: ResourceDescription, value: unknown, own: boolean): LocalResource;
}

export interface CallRequest {
  readonly interfaceName: string;
  readonly fn: FunctionDescription;
  /** For methods: the resource the method is called on. */
  readonly self?: LocalResource;
  readonly args: readonly unknown[];
  readonly signal?: AbortSignal | undefined;
}

export interface NodeConnection {
  readonly description: NodeDescription;
  /** Resolves with the lifted result (`result` types as `{ tag, val }`). */
  call(request: CallRequest): Promise<unknown>;
  /**
   * For transports that run calls in the host's thread (inline wasm): a function that makes
   * the call synchronously, returning the lifted result or throwing. Lets the system skip a
   * Promise per call and offer synchronous proxies. It must itself refuse calls once the
   * node is down.
   */
  bindSync?(fn: FunctionDescription): ((self: unknown, args: readonly unknown[]) => unknown) | undefined;
  /** Stops a resource (drop of an owned handle). */
  drop(resource: LocalResource): Promise<void>;
  /** Wasm nodes: bytes of linear memory the instance holds now. */
  memoryBytes?(): number;
  /** Process nodes: the plugin's process id. */
  readonly pid?: number;
  /** Process nodes: sends a signal to the plugin process (what happens next is the plugin's exit). */
  kill?(signal?: NodeJS.Signals): void;
  /** Stops the node; pending calls reject with ERR_NODE_TERMINATED. Idempotent. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once when the node is gone: `undefined` after `close`, else the reason. */
  readonly terminated: Promise<PluginHostError | undefined>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

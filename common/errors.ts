/**
 * Every failure the library reports is a `PluginHostError` with a stable `code`.
 * Callers branch on `code` (or on the few subclasses below), never on messages.
 */

/** Each code with the one-line meaning users can rely on. */
export const ERROR_CODES = {
  ERR_INVALID_OPTION: 'an option passed to the library has the wrong type or value',
  ERR_WIT_SYNTAX: 'WIT text could not be parsed',
  ERR_WIT_RESOLVE: 'WIT parsed, but a name, package or type could not be resolved',
  ERR_WIT_NOT_FOUND: 'a WIT file, directory, package or world could not be found',
  ERR_COMPONENT_INVALID: 'the bytes are not a valid WebAssembly component',
  ERR_COMPONENT_UNSUPPORTED: 'the component uses a feature this host does not implement',
  ERR_IMPORT_MISSING: 'the plugin imports something the host neither provides nor grants',
  ERR_WORLD_MISMATCH: 'the plugin implements another world, or its types differ from what the host expects',
  ERR_LOAD_FAILED: 'a plugin could not be loaded (file missing, spawn failed, instantiation failed)',
  ERR_BAD_ARGUMENT: 'a value does not match its WIT type; nothing was sent',
  ERR_UNKNOWN_FUNCTION: 'the target actor has no function of that name',
  ERR_ACTOR_NOT_FOUND: 'no live actor has that id',
  ERR_ACTOR_ID_INVALID: 'the text is not a valid actor id',
  ERR_ACTOR_STOPPED: 'the actor was stopped (its resource dropped) before or during the call',
  ERR_FOREIGN_RESOURCE: 'a resource actor was passed to a node that does not own it',
  ERR_TRAPPED: 'the wasm guest trapped or threw; its node is terminated',
  ERR_PLUGIN_EXITED: 'the plugin process exited or was killed; its node is terminated',
  ERR_NODE_TERMINATED: 'the node was stopped by the host; its actors are gone',
  ERR_PROTOCOL: 'the plugin broke the wire protocol; its node is terminated',
  ERR_HANDSHAKE: 'the plugin handshake failed (version, codec, world, or timeout)',
  ERR_REMOTE: 'the plugin implementation threw an error while handling the call',
  ERR_RESULT: 'the function returned the `err` case of its WIT result type',
  ERR_ABORTED: 'the call was cancelled through its AbortSignal',
  ERR_TIMEOUT: 'the call did not finish before its deadline; `waitingOn` names the plugin a chain of linked calls was waiting on',
  ERR_SYSTEM_CLOSED: 'the actor system is closed',
  ERR_UNSUPPORTED: 'the operation or type is not supported by this transport or version',
  ERR_BUSY: 'the receiver refused the call without running it: too many calls in flight, or it is shutting down, or it is in the middle of a call',
  ERR_NODE_INTERRUPTED: 'the node was ended because a call overran its deadline and the guest had to be interrupted',
  ERR_RESTARTING: 'the plugin is restarting after a failure; the call was not made (set restart.waitForRestart to wait instead)',
  ERR_STALE_INCARNATION: 'the actor belonged to an earlier incarnation of its plugin, which has ended',
  ERR_UNRESPONSIVE: 'the plugin stopped answering health pings; it was ended',
  ERR_RESTART_INTENSITY: 'the plugin failed more often than its restart intensity allows; the supervisor gave up',
  ERR_BUILD_FAILED: 'a step of `plugin-actors build` failed',
  // Plugin authoring and the CLI (issue 14)
  ERR_EXPORT_MISSING: 'a plugin does not implement a function of the world it claims',
  ERR_USAGE: 'a command line was not understood',
  ERR_TOOLCHAIN_MISSING: 'a compiler or tool needed to build a plugin is not installed',
  // Links: imports bound to other plugins' exports (issue 13, docs/linking.md).
  ERR_LINK_MISMATCH: 'an import linked to another plugin\'s export does not match it (a function or type differs or is missing)',
  ERR_LINK_NEEDS_WORKER: 'an inline wasm plugin\'s import was linked to an asynchronous target; load the plugin with isolation: \'worker\'',
  ERR_LINK_FAILED: 'a call through a link failed further down the chain; `plugin` names where, `cause` holds the error there',
  ERR_SUBTREE_DOWN: 'a node deeper in a tree of hosts went down, ending the actors below it; `plugin` names it, `downAt` is its route from here',
  // Remote nodes over NATS (issue 16, docs/distributed.md).
  ERR_NODE_UNREACHABLE: 'no runner could be reached for a remote node (NATS unreachable, no runner serving the node, or the runner refused the session)',
  ERR_NODE_DOWN: 'a remote node was declared down: its runner stopped answering health pings, ended the session, or frames of the session were lost',
  // Plugin distribution (issue 14): runtime manifests, loadAll, npm-package plugins.
  ERR_MANIFEST_INVALID: 'a plugin manifest (plugin.json, or the pluginActors key of a package.json) is missing, unreadable or malformed',
  ERR_GRANT_DENIED: 'a plugin manifest asks for a grant the application does not allow',
  // Integrity and limits (docs/security.md)
  ERR_INTEGRITY: 'the plugin\'s bytes do not match their pinned sha256, or the pinned file cannot be read',
  ERR_SIGNATURE: 'the plugin is unsigned, or its signature is not valid for any trusted key',
  ERR_MEMORY_LIMIT: 'the plugin needed more memory than its limit allows; it was ended',
  ERR_LIMIT: 'the plugin went over one of its limits (actors, pending calls, value size); the operation was refused or the plugin ended',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const brand = Symbol.for('plugin-actors.PluginHostError');

/** Context fields an error may carry; all optional. */
export interface ErrorContext {
  cause?: unknown;
  /** Printable actor id of the call's target. */
  actorId?: string;
  /** Plugin (node) name. */
  plugin?: string;
  /** WIT function name of the call. */
  method?: string;
  /** For ERR_PLUGIN_EXITED: the process exit code, or null when killed by a signal. */
  exitCode?: number | null;
  /** For ERR_PLUGIN_EXITED: the signal that killed the process, if any. */
  signal?: NodeJS.Signals | null;
  /** For ERR_RESULT: the `err` payload as a JS value. */
  payload?: unknown;
  /** For WIT errors: where in the source. */
  location?: { file: string; line: number; column: number };
  /** For ERR_REMOTE: the plugin's error name and stack, as data. */
  remote?: { name: string; message: string; stack?: string };
  /** For ERR_COMPONENT_INVALID: the validation rule the component breaks (a stable name). */
  rule?: string;
  /** For ERR_COMPONENT_INVALID and ERR_COMPONENT_UNSUPPORTED: the byte offset in the component. */
  offset?: number;
  /** For ERR_COMPONENT_UNSUPPORTED: the feature this host does not implement. */
  feature?: string;
  /**
   * For ERR_TIMEOUT and ERR_ABORTED of a call that went on through links: the plugin the
   * chain of linked calls was waiting on when the call was given up.
   */
  waitingOn?: string;
  /** For ERR_SUBTREE_DOWN: the route (`top@1/mid@2`) from this system to the node that went down. */
  downAt?: string;
}

/** The one error class of the library. */
export class PluginHostError extends Error {
  readonly code: ErrorCode;
  readonly actorId?: string;
  readonly plugin?: string;
  readonly method?: string;
  readonly exitCode?: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly payload?: unknown;
  readonly location?: { file: string; line: number; column: number };
  readonly remote?: { name: string; message: string; stack?: string };
  readonly rule?: string;
  readonly offset?: number;
  readonly feature?: string;
  readonly downAt?: string;
  readonly waitingOn?: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    for (const key of ['actorId', 'plugin', 'method', 'exitCode', 'signal', 'payload', 'location', 'remote', 'rule', 'offset', 'feature', 'downAt', 'waitingOn'] as const) {
      if (context[key] !== undefined) (this as Record<string, unknown>)[key] = context[key];
    }
  }

  /** True for codes after which the node is gone (used by callers deciding to restart). */
  get terminatesNode(): boolean {
    return this.code === 'ERR_TRAPPED' || this.code === 'ERR_PLUGIN_EXITED' || this.code === 'ERR_PROTOCOL';
  }
}

Object.defineProperty(PluginHostError.prototype, 'name', { value: 'PluginHostError', enumerable: false });
Object.defineProperty(PluginHostError.prototype, brand, { value: true, enumerable: false });

/** Brand check that survives duplicate copies of the package. */
export function isPluginHostError(value: unknown, code?: ErrorCode): value is PluginHostError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[brand] !== true) return false;
  return code === undefined || (value as PluginHostError).code === code;
}

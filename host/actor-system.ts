/**
 * `ActorSystem`: the public face of the library. It validates plugin specs, picks the
 * transport, and composes the core (`system/actor-system.ts`), which owns nodes, routing,
 * proxies and watches. Events are typed (`system/events.ts`).
 *
 * Example:
 *   await using system = new ActorSystem();
 *   const greeter = await system.load({ name: 'greeter', wasm: './greeter.wasm' });
 *   console.log(await greeter.exports('example:greeter/api').greet('world'));
 */
import { EventEmitter } from 'node:events';
import { PluginHostError } from '../common/errors.js';
import { validatePluginSpec, type PluginSpec } from './plugin-spec.js';
import { ActorSystemCore } from './system/actor-system.js';
import type { ActorId } from './system/actor-id.js';
import type { ActorSystemEvents } from './system/events.js';
import type { Logger } from './system/node-connection.js';
import type { PluginNode, UntypedInterface } from './system/plugin-node.js';
import type { CallOptions, Remote, SyncRemote } from './system/proxy.js';
import type { Termination, TerminationListener } from './system/registry.js';
import { eventStream, type SystemEvent } from './system/event-stream.js';
import { stderrLogger } from './system/stderr-logger.js';
import { publicKeyFrom } from './integrity/index.js';
import { ComponentCache } from './transports/component/persistent-cache.js';
import { launcherFor, type TransportEnvironment } from './transports/registry.js';

export interface ActorSystemOptions {
  /** Where plugin logs and system diagnostics go. @default stderr, one line per record */
  readonly logger?: Logger;
  /**
   * A directory for the parsed form and generated glue of wasm plugins, so a fresh process
   * skips generating them again. Off by default. Entries are JavaScript the host runs: use a
   * directory only the host's user can write.
   */
  readonly cacheDir?: string;
  /**
   * ed25519 public keys (PEM, or base64 SPKI DER). When set, every plugin must carry an
   * `integrity.signature` valid for one of them, or it is refused with ERR_SIGNATURE
   * (docs/security.md). Make keys with `generateSigningKeys`, sign with `signPluginBytes`.
   */
  readonly trustedKeys?: readonly string[];
  /**
   * The deadline of every call made without a signal or `timeoutMs`, for plugins whose spec
   * sets no `timeoutMs` (docs/security.md). A worker plugin still running a call at its
   * deadline is terminated. @default none: such calls wait as long as the plugin takes
   */
  readonly defaultTimeoutMs?: number;
}

const OPTION_KEYS = new Set(['logger', 'cacheDir', 'trustedKeys', 'defaultTimeoutMs']);

type Listener<E extends keyof ActorSystemEvents> = (...payload: ActorSystemEvents[E]) => void;

export class ActorSystem implements AsyncDisposable {
  readonly #core: ActorSystemCore;
  readonly #events = new EventEmitter<ActorSystemEvents>();
  readonly #env: TransportEnvironment;
  readonly logger: Logger;

  constructor(options: ActorSystemOptions = {}) {
    if (options === null || typeof options !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', 'ActorSystem takes an options object');
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) throw new PluginHostError('ERR_INVALID_OPTION', `${JSON.stringify(key)} is not an ActorSystem option (options: ${[...OPTION_KEYS].join(', ')})`);
    }
    if (options.cacheDir !== undefined && typeof options.cacheDir !== 'string') {
      throw new PluginHostError('ERR_INVALID_OPTION', 'cacheDir must be a directory path');
    }
    this.logger = options.logger ?? stderrLogger;
    this.#env = {
      ...(options.cacheDir ? { componentCache: new ComponentCache(options.cacheDir, this.logger) } : {}),
      ...(options.trustedKeys !== undefined ? { integrity: { trustedKeys: trustedKeys(options.trustedKeys) } } : {}),
      ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: positiveMs(options.defaultTimeoutMs) } : {}),
    };
    this.#core = new ActorSystemCore({ logger: this.logger, emit: (event, ...payload) => { (this.#events.emit as (e: string, ...p: unknown[]) => boolean)(event, ...payload); } });
  }

  /**
   * Loads and starts a plugin.
   * @throws ERR_INVALID_OPTION, ERR_LOAD_FAILED, ERR_COMPONENT_INVALID, ERR_COMPONENT_UNSUPPORTED,
   *   ERR_IMPORT_MISSING, ERR_WORLD_MISMATCH, ERR_HANDSHAKE, ERR_SYSTEM_CLOSED
   */
  async load(spec: PluginSpec): Promise<PluginNode> {
    const validated = validatePluginSpec(spec);
    return this.#core.start(validated.name, launcherFor(validated, this.#env), validated.restart, validated.instances);
  }

  /**
   * Upgrades a loaded plugin in place to `spec` (same name; a pool keeps its size): the new
   * version starts, the plugin's handle and root proxies move to it once it is up, and the
   * old incarnation drains and stops. If the new version fails to start, the old one keeps
   * serving and the error is thrown. Resource actors of the old version end with it.
   * @throws ERR_INVALID_OPTION, ERR_ACTOR_NOT_FOUND, and what `load` throws for the new version
   */
  async reload(name: string, spec: PluginSpec, options?: { timeoutMs?: number }): Promise<PluginNode> {
    const validated = validatePluginSpec(spec);
    if (validated.name !== name) throw new PluginHostError('ERR_INVALID_OPTION', `reload(${JSON.stringify(name)}, spec) needs spec.name ${JSON.stringify(name)}, got ${JSON.stringify(validated.name)}`);
    return this.#core.reload(name, launcherFor(validated, this.#env), validated.restart, validated.instances, options);
  }

  /** Running plugins by name. */
  get plugins(): ReadonlyMap<string, PluginNode> {
    return this.#core.plugins;
  }

  /** The running plugin of that name, if any. */
  plugin(name: string): PluginNode | undefined {
    return this.#core.plugin(name);
  }

  /**
   * The proxy for an actor id (`node@incarnation/local`). For a root id, `interfaceName`
   * picks the interface (needed when the plugin exports several).
   * @throws ERR_ACTOR_ID_INVALID, ERR_ACTOR_NOT_FOUND
   */
  resolve<T = UntypedInterface>(id: ActorId | string, interfaceName?: string): Remote<T> {
    return this.#core.resolve<T>(id, interfaceName);
  }

  /** Root proxies of every running plugin that exports `interfaceName` (with or without version). */
  find<T = UntypedInterface>(interfaceName: string): Remote<T>[] {
    return this.#core.find<T>(interfaceName);
  }

  /**
   * Calls `target` on the actor `id`: a WIT function name (`greet`), its JS name
   * (`getStats`), or `iface#name` for a root actor exporting several interfaces.
   */
  remoteCall(id: ActorId | string, target: string, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
    return this.#core.remoteCall(id, target, args, options);
  }

  /** Stops a resource actor (drops its resource), or a plugin given its root actor. */
  stop(actor: unknown): Promise<void> {
    return this.#core.stop(actor);
  }

  /**
   * Calls `listener` once when the actor ends (stopped, moved into the plugin, or its node
   * went down). Returns a function that cancels the watch. Watching does not keep the
   * actor alive; an actor that already ended is reported at once (asynchronously).
   */
  watch(actor: unknown, listener: TerminationListener): () => void {
    return this.#core.watch(actor, listener);
  }

  /** Resolves once, when the actor ends (as `watch` reports it). */
  terminated(actor: unknown): Promise<Termination> {
    return this.#core.terminated(actor);
  }

  /**
   * The system's events as an async iterator (`for await (const e of system.events())`),
   * each `{ type, ...payload }`; ends when `signal` aborts. Events are queued between reads.
   */
  events(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<SystemEvent> {
    return eventStream(this.#events, options.signal);
  }

  /**
   * The synchronous twin of an inline wasm plugin's proxy: the same functions, returning
   * values (and throwing) instead of Promises. For hot loops.
   * @throws ERR_UNSUPPORTED for plugins that do not run in this thread
   */
  sync<P extends object>(proxy: P): SyncRemote<P> {
    return this.#core.sync(proxy);
  }

  /** Listens to a system event (`started`, `restarted`, `terminated`, `failed`); see `ActorSystemEvents`. */
  on<E extends keyof ActorSystemEvents>(event: E, listener: Listener<E>): this {
    this.#events.on(event, listener as never);
    return this;
  }

  once<E extends keyof ActorSystemEvents>(event: E, listener: Listener<E>): this {
    this.#events.once(event, listener as never);
    return this;
  }

  off<E extends keyof ActorSystemEvents>(event: E, listener: Listener<E>): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /**
   * Stops every plugin at once, within one overall deadline (`timeoutMs`, else each plugin's
   * shutdown deadline), and refuses new loads. Idempotent; concurrent calls share one shutdown.
   */
  close(options?: { timeoutMs?: number }): Promise<void> {
    return this.#core.close(options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function positiveMs(value: unknown): number {
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return value;
  throw new PluginHostError('ERR_INVALID_OPTION', `defaultTimeoutMs must be a positive number of milliseconds, got ${String(value)}`);
}

function trustedKeys(keys: unknown) {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'trustedKeys must be a non-empty array of ed25519 public keys (leave it out to run unsigned plugins)');
  }
  return keys.map((key, i) => {
    try {
      return publicKeyFrom(key as string);
    } catch (e) {
      throw new PluginHostError('ERR_INVALID_OPTION', `trustedKeys[${i}] is ${(e as Error).message}`, { cause: e });
    }
  });
}

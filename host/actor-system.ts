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
import { loadAll, loadFromManifest, loadPackages, readManifest, type LoadAllResult, type LoadedPlugin, type LoadManifestOptions, type LoadPackagesOptions } from './distribution/index.js';
import { validatePluginSpec, type PluginSpec } from './plugin-spec.js';
import { ActorSystemCore } from './system/actor-system.js';
import type { ActorId } from './system/actor-id.js';
import type { ActorSystemEvents } from './system/events.js';
import type { Logger } from './system/node-connection.js';
import type { PluginNode, UntypedWorld, WorldTypes } from './system/plugin-node.js';
import type { TypedPluginSpec } from './typed-spec.js';
import type { CallOptions, Remote, SyncRemote, UntypedInterface } from './system/proxy.js';
import type { Termination, TerminationListener } from './system/registry.js';
import { eventStream, type SystemEvent } from './system/event-stream.js';
import { stderrLogger } from './system/stderr-logger.js';
import { adaptLogger, type FieldsFirstLogger } from './system/logger-shape.js';
import { launcherFor, transportEnvironment, type TransportEnvironment } from './transports/registry.js';
import { linkImports } from './linking/link-imports.js';
import { instrumentCallPath, MetricsRegistry, type CallTracer, type Instrumentation, type PluginMetrics } from './observability/index.js';
import { publicKeyFrom } from './integrity/index.js';
import { exposeInterface } from './expose/expose-interface.js';

export interface ActorSystemOptions {
  /**
   * Where plugin logs and system diagnostics go: a console-style logger (`console` itself
   * fits) or a pino-style one, called `(fields, message)`. @default stderr, one line per record
   */
  readonly logger?: Logger | FieldsFirstLogger;
  /**
   * A directory for the parsed form and generated glue of wasm plugins, so a fresh process
   * skips generating them again. Off by default. Entries are JavaScript the host runs: use a
   * directory only the host's user can write.
   */
  readonly cacheDir?: string;
  /** Keep per-plugin metrics (`system.metrics(name)`: calls, errors by code, latency, pending, restarts, memory). @default false */
  readonly metrics?: boolean;
  /** Trace every call as a span: an OpenTelemetry `Tracer` (`trace.getTracer('my-app')`) or anything of its shape. */
  readonly tracer?: CallTracer;
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

const OPTION_KEYS = new Set(['logger', 'cacheDir', 'trustedKeys', 'defaultTimeoutMs', 'metrics', 'tracer']);

/** The metrics registry and tracer calls are wrapped with, if the application asked for either. */
function observe(options: ActorSystemOptions): Instrumentation | undefined {
  if (options.metrics !== undefined && typeof options.metrics !== 'boolean') throw new PluginHostError('ERR_INVALID_OPTION', 'metrics must be a boolean');
  if (options.tracer !== undefined && typeof (options.tracer as Partial<CallTracer> | null)?.startSpan !== 'function') {
    throw new PluginHostError('ERR_INVALID_OPTION', 'tracer must have startSpan(name, options) (an OpenTelemetry Tracer)');
  }
  if (!options.metrics && !options.tracer) return undefined;
  return { ...(options.metrics ? { metrics: new MetricsRegistry() } : {}), ...(options.tracer ? { tracer: options.tracer } : {}) };
}

type Listener<E extends keyof ActorSystemEvents> = (...payload: ActorSystemEvents[E]) => void;

export class ActorSystem implements AsyncDisposable {
  readonly #core: ActorSystemCore;
  readonly #events = new EventEmitter<ActorSystemEvents>();
  readonly #env: TransportEnvironment;
  readonly #metrics: MetricsRegistry | undefined;
  readonly logger: Logger;

  constructor(options: ActorSystemOptions = {}) {
    if (options === null || typeof options !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', 'ActorSystem takes an options object');
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) throw new PluginHostError('ERR_INVALID_OPTION', `${JSON.stringify(key)} is not an ActorSystem option (options: ${[...OPTION_KEYS].join(', ')})`);
    }
    if (options.cacheDir !== undefined && typeof options.cacheDir !== 'string') {
      throw new PluginHostError('ERR_INVALID_OPTION', 'cacheDir must be a directory path');
    }
    this.logger = options.logger ? adaptLogger(options.logger) : stderrLogger;
    this.#env = transportEnvironment({
      logger: this.logger,
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      ...(options.trustedKeys !== undefined ? { integrity: { trustedKeys: trustedKeys(options.trustedKeys) } } : {}),
      ...(options.defaultTimeoutMs !== undefined ? { defaultTimeoutMs: positiveMs(options.defaultTimeoutMs) } : {}),
    });
    const instrumentation = observe(options);
    this.#metrics = instrumentation?.metrics;
    this.#core = new ActorSystemCore({
      logger: this.logger,
      emit: (event, ...payload) => { (this.#events.emit as (e: string, ...p: unknown[]) => boolean)(event, ...payload); },
      ...(instrumentation ? { wrapCallPath: (path, plugin, fn) => instrumentCallPath(path, plugin, fn, instrumentation) } : {}),
    });
    if (this.#metrics) { const m = this.#metrics; this.#events.on('restarted', (e) => { m.meter(e.node).restarts++; }); }
  }

  /**
   * A snapshot of one plugin's metrics (needs `metrics: true`); undefined for a plugin that
   * was never called or restarted. `plugin-actors` docs: docs/observability.md.
   * @throws ERR_UNSUPPORTED when the system keeps no metrics
   */
  metrics(plugin: string): PluginMetrics | undefined {
    if (!this.#metrics) throw new PluginHostError('ERR_UNSUPPORTED', 'this ActorSystem keeps no metrics: create it with { metrics: true }');
    return this.#metrics.get(plugin)?.snapshot(this.#core.plugin(plugin)?.memoryBytes);
  }

  /** Snapshots of every plugin's metrics (needs `metrics: true`). */
  allMetrics(): PluginMetrics[] {
    return this.#metrics ? this.#metrics.names().map((name) => this.metrics(name)!) : [];
  }

  /**
   * Loads and starts a plugin.
   * @throws ERR_INVALID_OPTION, ERR_LOAD_FAILED, ERR_COMPONENT_INVALID, ERR_COMPONENT_UNSUPPORTED,
   *   ERR_IMPORT_MISSING, ERR_WORLD_MISMATCH, ERR_HANDSHAKE, ERR_SYSTEM_CLOSED; for links
   *   (an import given as another plugin's `exports(…)` proxy, docs/linking.md) ERR_LINK_MISMATCH, ERR_LINK_NEEDS_WORKER
   *
   * `W`, a world type from `plugin-actors types`, types the handle's `exports(name)` and
   * checks the spec's `imports` against what the world needs from the application.
   */
  async load<W extends WorldTypes = UntypedWorld>(spec: TypedPluginSpec<W>): Promise<PluginNode<W>> {
    const validated = linkImports(this.#core, validatePluginSpec(spec as PluginSpec), this.logger);
    return this.#core.start(validated.name, launcherFor(validated, this.#env), validated.restart, validated.instances) as Promise<PluginNode<W>>;
  }

  /**
   * Upgrades a loaded plugin in place to `spec` (same name; a pool keeps its size): the new
   * version starts, the plugin's handle and root proxies move to it once it is up, and the
   * old incarnation drains and stops. If the new version fails to start, the old one keeps
   * serving and the error is thrown. Resource actors of the old version end with it.
   * @throws ERR_INVALID_OPTION, ERR_ACTOR_NOT_FOUND, and what `load` throws for the new version
   */
  async reload<W extends WorldTypes = UntypedWorld>(name: string, spec: TypedPluginSpec<W>, options?: { timeoutMs?: number }): Promise<PluginNode<W>> {
    const validated = linkImports(this.#core, validatePluginSpec(spec as PluginSpec), this.logger);
    if (validated.name !== name) throw new PluginHostError('ERR_INVALID_OPTION', `reload(${JSON.stringify(name)}, spec) needs spec.name ${JSON.stringify(name)}, got ${JSON.stringify(validated.name)}`);
    return this.#core.reload(name, launcherFor(validated, this.#env), validated.restart, validated.instances, options) as Promise<PluginNode<W>>;
  }

  /**
   * Loads the plugin described by a runtime manifest: a `plugin.json`, a package.json with a
   * `pluginActors` key, or a folder holding one (docs/distribution.md). A component with a
   * command falls back to the command only when this host cannot load the component.
   * @throws ERR_MANIFEST_INVALID, ERR_GRANT_DENIED, ERR_WORLD_MISMATCH, and what `load` throws
   */
  async loadManifest(path: string, options?: LoadManifestOptions): Promise<LoadedPlugin> {
    return loadFromManifest(this, await readManifest(path), options);
  }

  /** Loads every plugin folder in `dir`; a broken plugin is reported in `failed` (and logged), never stops the others. */
  loadAll(dir: string, options?: LoadManifestOptions): Promise<LoadAllResult> {
    return loadAll(this, dir, options);
  }

  /**
   * Loads npm packages that carry a `pluginActors` manifest: the names given, or the
   * `plugins` list of the application's package.json (`options.from`). Never crawls node_modules.
   */
  loadPackages(names?: readonly string[], options?: LoadPackagesOptions): Promise<LoadAllResult> {
    return loadPackages(this, names, options);
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

  /**
   * A jco-style implementation object of a loaded plugin's interface that calls it, to serve
   * the plugin onward: e.g. from a Node plugin running its own system, as one of its exports
   * (`serve({ exports: { iface: system.expose(child.exports(iface)) } })`), which makes a tree
   * of hosts (docs/linking.md). Call contexts, deadlines and resources behave as in a link.
   * @throws ERR_INVALID_OPTION for anything but a root-actor proxy of a loaded plugin
   */
  expose(proxy: object): object {
    return exposeInterface(this.#core, proxy, this.logger);
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

/**
 * The actor system core: owns plugins and their incarnations, routes calls by actor id,
 * hands out typed proxies, tells watchers when actors end, and supervises (restarts
 * plugins per their policy). It knows transports only through its own contract
 * (`node-connection.ts`): a plugin is started by a `Launch`, kept on its entry, so starting
 * it again is one call. No I/O happens here.
 *
 * Grouped as in swift-distributed-actors: lifecycle (start, stop, close), resolve
 * (resolve, find), invoke (remoteCall and proxies), watch.
 *
 * Example:
 *   const core = new ActorSystemCore({ logger, emit });
 *   const node = await core.start('greeter', (context) => launchSomehow(context));
 *   await node.exports('example:greeter/api').greet('world');
 */
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import type { Interface, WitFunction } from '../../common/wit/model.js';
import { proxyMemberName } from '../../common/wit/names.js';
import { ActorId, isValidNodeName } from './actor-id.js';
import { makeCallPath } from './call-path.js';
import { deferred } from './deferred.js';
import { terminationCause, type ActorSystemEvents, type NodeTermination } from './events.js';
import type { CoreCall, Launch, Logger, NodeConnection } from './node-connection.js';
import { describeWorld, matchInterface, type InterfaceDescription, type NodeDescription, type ResourceDescription } from './node-description.js';
import type { CallPath, NodeRecord } from './node-record.js';
import type { PluginEntry } from './plugin-entry.js';
import { PluginNode } from './plugin-node.js';
import { actorState, interfaceProxy, proxyMeta, resourcePrototype, resourceProxy, SYNC, type Remote, type SyncRemote } from './proxy.js';
import { callOptions, type CallOptions } from './call-options.js';
import { ActorRegistry, type ActorEntry, type Termination, type TerminationListener } from './registry.js';
import { resourceBridge } from './resource-bridge.js';
import { NO_RESTARTS, RestartIntensity, type RestartPolicy } from './restart-policy.js';
import { coreMethod, type CoreMethod } from './core-method.js';
import { rootMethod } from './root-method.js';
import { Supervisor } from './supervisor.js';
import { memberName, poolMethod, type Pool } from './pool.js';

/** A root-actor proxy seen as the target of a link. */
export interface LinkTarget {
  /** The plugin's name (a pool's own name for a pool's proxy). */
  readonly plugin: string;
  readonly description: InterfaceDescription;
  readonly witInterface: Interface;
  /** The plugin runs in the host's thread (inline wasm): its calls can be synchronous. */
  readonly sync: boolean;
  /**
   * For an inline plugin in a system that neither meters nor traces calls: `fn` called with
   * core values, following restarts (`core-method.ts`); `fallback` takes the calls it cannot.
   */
  readonly coreMethod?: (fn: WitFunction, fallback: CoreCall) => CoreMethod;
}

export interface CoreOptions {
  readonly logger: Logger;
  /** Receives the system's events (the public `ActorSystem` re-emits them). */
  readonly emit: <E extends keyof ActorSystemEvents>(event: E, ...payload: ActorSystemEvents[E]) => void;
  /** For tests: the supervisor's clock and backoff randomness. */
  readonly clock?: { now(): number; random(): number };
  /** Wraps each call path once it is made (metrics and tracing, host/observability/); none by default. */
  readonly wrapCallPath?: (path: CallPath, plugin: string, fn: WitFunction) => CallPath;
}

export class ActorSystemCore {
  readonly logger: Logger;
  readonly #emit: CoreOptions['emit'];
  readonly #plugins = new Map<string, PluginEntry>();
  readonly #handles = new Map<PluginEntry, PluginNode>();
  readonly #pools = new Map<string, { pool: Pool; handle: PluginNode }>();
  readonly #incarnations = new Map<string, number>();
  readonly #supervisor: Supervisor;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #wrapCallPath: CoreOptions['wrapCallPath'];

  constructor(options: CoreOptions) {
    this.logger = options.logger;
    this.#wrapCallPath = options.wrapCallPath;
    this.#emit = options.emit;
    const core = this;
    this.#supervisor = new Supervisor({
      startIncarnation: (entry) => this.#startIncarnation(entry),
      end: (entry, termination, failed) => this.#end(entry, termination, failed),
      restarted: (entry, previous) => {
        this.#emit('restarted', { node: entry.name, incarnation: entry.last!.incarnation, plugin: this.#handles.get(entry)!, previous });
      },
      get closed() { return core.#closed; },
      log: (message, fields) => this.logger.info(message, fields),
      ...(options.clock ? { now: () => options.clock!.now(), random: () => options.clock!.random() } : {}),
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts a plugin: its first incarnation through `launch`; later ones, when `restart`
   * says so, through the same `launch`. Names are unique among loaded plugins.
   * @throws ERR_INVALID_OPTION for a bad or taken name, ERR_SYSTEM_CLOSED, or what `launch` rejects with.
   */
  async start(name: string, launch: Launch, restart: RestartPolicy = NO_RESTARTS, instances = 1): Promise<PluginNode> {
    this.#assertOpen();
    if (!isValidNodeName(name)) throw new PluginHostError('ERR_INVALID_OPTION', `plugin name ${JSON.stringify(name)} must match [A-Za-z0-9][A-Za-z0-9._-]*`);
    if (this.#plugins.has(name) || this.#pools.has(name)) throw new PluginHostError('ERR_INVALID_OPTION', `a plugin named ${name} is already running`);
    if (instances > 1) return this.#startPool(name, launch, restart, instances);
    return this.#startOne(name, launch, restart);
  }

  /** A pool of `instances` members, started together; any member failing to start fails the load. */
  async #startPool(name: string, launch: Launch, restart: RestartPolicy, instances: number): Promise<PluginNode> {
    const names = Array.from({ length: instances }, (_, i) => memberName(name, i));
    const taken = names.find((n) => this.#plugins.has(n));
    if (taken) throw new PluginHostError('ERR_INVALID_OPTION', `a plugin named ${taken} is already running`);
    const pool: Pool = { name, members: [], outstanding: names.map(() => 0), interfaceProxies: new Map() };
    const handle = new PluginNode(this, pool);
    this.#pools.set(name, { pool, handle });
    const started = await Promise.allSettled(names.map((n) => this.#startOne(n, launch, restart, name)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    (pool.members as PluginEntry[]).push(...started.flatMap((r) => (r.status === 'fulfilled' ? [r.value.entryOf()] : [])));
    if (failed) {
      await Promise.all(pool.members.map((m) => this.stopPlugin(m)));
      this.#pools.delete(name);
      throw failed.reason;
    }
    return handle;
  }

  async #startOne(name: string, launch: Launch, restart: RestartPolicy, pool?: string): Promise<PluginNode> {
    const entry: PluginEntry = {
      name, launch, restart, intensity: new RestartIntensity(restart), state: 'starting',
      current: undefined, last: undefined, ended: deferred(), interfaceProxies: new Map(), waiters: new Set(),
      ...(pool ? { pool } : {}),
    };
    // The name is taken while the first incarnation starts, so two loads of one name cannot race.
    this.#plugins.set(name, entry);
    const handle = new PluginNode(this, entry);
    this.#handles.set(entry, handle);
    try {
      await this.#startIncarnation(entry);
    } catch (e) {
      this.#plugins.delete(name);
      this.#handles.delete(entry);
      entry.state = 'failed';
      const reason = isPluginHostError(e) ? e : new PluginHostError('ERR_LOAD_FAILED', String(e), { plugin: name, cause: e });
      entry.ended.resolve({ node: name, incarnation: this.#incarnations.get(name)!, cause: 'failed', reason });
      throw e;
    }
    if (this.#closed) {
      await this.stopPlugin(entry);
      throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system was closed while the plugin was loading');
    }
    this.#emit('started', { node: name, incarnation: entry.last!.incarnation, plugin: handle });
    return handle;
  }

  /** Starts one incarnation of `entry` and makes it current. */
  async #startIncarnation(entry: PluginEntry): Promise<void> {
    const { name } = entry;
    const incarnation = (this.#incarnations.get(name) ?? 0) + 1;
    this.#incarnations.set(name, incarnation);
    const registry = new ActorRegistry(name, incarnation);
    let record: NodeRecord | undefined;
    let description: NodeDescription | undefined;
    const bridge = resourceBridge({
      registry,
      description: () => description,
      proxyOf: (actor) => (record ? this.#resourceProxyOf(record, actor) : undefined),
    });
    const connection = await entry.launch({ name, incarnation, bridge, logger: this.logger });
    description = describedWorld(connection.world);
    const terminated = deferred<NodeTermination>();
    const r: NodeRecord = record = {
      name, incarnation, launch: entry.launch, connection, description, registry, state: 'running', superseded: false,
      terminated: terminated.promise, paths: new Map(), syncPaths: new Map(), prototypes: new Map(),
    };
    if (entry.last) entry.last.superseded = true;
    entry.last = r;
    entry.current = r;
    if (entry.state === 'starting' || entry.state === 'restarting') entry.state = 'running';
    for (const wake of [...entry.waiters]) wake();
    // Stopped while this incarnation was starting (or the plugin was ended for good while a
    // restart's launch was under way, e.g. by close()): it ends at once, so no process or
    // worker outlives the plugin.
    if (entry.state === 'stopping' || entry.state === 'stopped' || entry.state === 'failed') {
      r.state = 'stopping';
      void connection.close();
    }
    void connection.terminated.then((reason) => {
      r.state = 'down';
      r.reason = reason;
      if (entry.current === r) entry.current = undefined;
      registry.endAll({ cause: 'node-down', ...(reason ? { reason } : {}) });
      const termination: NodeTermination = { node: name, incarnation, cause: terminationCause(reason), ...(reason ? { reason } : {}) };
      if (reason) this.logger.warn(`plugin ${name} terminated: ${reason.message}`, { plugin: name, code: reason.code });
      terminated.resolve(termination);
      this.#emit('terminated', termination);
      if (!r.retired && entry.state !== 'stopped' && entry.state !== 'failed') this.#supervisor.incarnationEnded(entry, termination);
    });
  }

  /** The plugin is down for good: no restart, its name is free again. */
  #end(entry: PluginEntry, termination: NodeTermination, failed?: PluginHostError): void {
    if (entry.state === 'stopped' || entry.state === 'failed') return;
    entry.state = failed ? 'failed' : 'stopped';
    this.#supervisor.cancel(entry);
    if (this.#plugins.get(entry.name) === entry) this.#plugins.delete(entry.name);
    for (const wake of [...entry.waiters]) wake();
    if (entry.pool) void this.#poolEnded(entry.pool);
    if (failed) {
      this.logger.error(failed.message, { plugin: entry.name, code: failed.code });
      this.#emit('failed', { node: entry.name, incarnation: termination.incarnation, reason: failed });
      entry.ended.resolve({ ...termination, cause: 'failed', reason: failed });
    } else {
      entry.ended.resolve(termination);
    }
  }

  /**
   * Upgrades a plugin in place: starts the new version, moves the plugin's handle and root
   * proxies to it once it is up, then drains and stops the old incarnation. A pool is
   * upgraded one member at a time. If the new version fails to start, the old one keeps
   * serving and the error is thrown. Resource actors of the old version end with it.
   * @throws ERR_ACTOR_NOT_FOUND (no such plugin), ERR_INVALID_OPTION (another pool size), what `launch` rejects with
   */
  async reload(name: string, launch: Launch, restart: RestartPolicy, instances = 1, options?: { timeoutMs?: number }): Promise<PluginNode> {
    this.#assertOpen();
    const pool = this.#pools.get(name);
    const entries = pool ? pool.pool.members : [this.#plugins.get(name)].filter((e): e is PluginEntry => e !== undefined && !e.pool);
    if (entries.length === 0) throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no plugin named ${name} is loaded`, { plugin: name });
    if (entries.length !== instances) throw new PluginHostError('ERR_INVALID_OPTION', `plugin ${name} runs ${entries.length} instance(s); a reload keeps that number, got ${instances}`, { plugin: name });
    for (const entry of entries) await this.#reloadOne(entry, launch, restart, options);
    return pool ? pool.handle : this.#handles.get(entries[0]!)!;
  }

  async #reloadOne(entry: PluginEntry, launch: Launch, restart: RestartPolicy, options?: { timeoutMs?: number }): Promise<void> {
    if (entry.state !== 'running') throw new PluginHostError('ERR_NODE_TERMINATED', `plugin ${entry.name} is ${entry.state}; only a running plugin is reloaded`, { plugin: entry.name });
    const old = entry.current!;
    const previous = { launch: entry.launch, restart: entry.restart, intensity: entry.intensity };
    entry.launch = launch;
    entry.restart = restart;
    entry.intensity = new RestartIntensity(restart);
    old.retired = true;
    try {
      await this.#startIncarnation(entry);
    } catch (e) {
      Object.assign(entry, previous);
      old.retired = false;
      old.superseded = false;
      if (entry.current === undefined && old.state === 'running') entry.current = old;
      throw e;
    }
    if (entry.current !== old) {
      old.state = old.state === 'running' ? 'stopping' : old.state;
      await old.connection.close(options);
      const termination = await old.terminated;
      this.#emit('restarted', { node: entry.name, incarnation: entry.last!.incarnation, plugin: this.#handles.get(entry)!, previous: termination });
    }
  }

  /** A pool is gone once every member is. */
  async #poolEnded(name: string): Promise<void> {
    const found = this.#pools.get(name);
    if (!found) return;
    await Promise.all(found.pool.members.map((m) => m.ended.promise));
    if (this.#pools.get(name) === found) this.#pools.delete(name);
  }

  /**
   * Stops a plugin for good (used by its handle): no restart follows. Calls in flight may
   * finish within the shutdown deadline. Idempotent.
   */
  async stopPlugin(entry: PluginEntry, options?: { timeoutMs?: number }): Promise<void> {
    if (entry.state === 'stopped' || entry.state === 'failed') return;
    if (entry.state === 'starting' || entry.state === 'stopping') {
      // Its first incarnation ends as soon as it started (or the stop under way finishes).
      entry.state = 'stopping';
      await entry.ended.promise;
      return;
    }
    const wasRestarting = entry.state === 'restarting';
    entry.state = 'stopping';
    this.#supervisor.cancel(entry);
    const record = entry.current;
    if (record && record.state !== 'down') {
      record.state = 'stopping';
      await record.connection.close(options);
    } else if (wasRestarting || !record) {
      const last = entry.last!;
      this.#end(entry, { node: entry.name, incarnation: last.incarnation, cause: terminationCause(last.reason), ...(last.reason ? { reason: last.reason } : {}) });
    }
    await entry.ended.promise;
  }

  /** Ends a plugin's incarnation abruptly, as a crash would (its restart policy applies). */
  kill(entry: PluginEntry, signal?: NodeJS.Signals): void {
    const record = entry.current;
    if (!record || record.state !== 'running') return;
    // Not current from now on: calls through the plugin's handle (or its pool) no longer pick it.
    entry.current = undefined;
    record.connection.kill(signal);
  }

  /**
   * Stops every plugin, all at once, within one overall deadline; refuses new loads.
   * Idempotent: concurrent calls share one shutdown.
   */
  close(options?: { timeoutMs?: number }): Promise<void> {
    this.#closed = true;
    this.#closing ??= Promise.all([...this.#plugins.values()].map((entry) => this.stopPlugin(entry, options))).then(() => {});
    return this.#closing;
  }

  /** Loaded plugins (and pools) by name; a pool's members are reached through its handle. */
  get plugins(): ReadonlyMap<string, PluginNode> {
    const out = new Map<string, PluginNode>();
    for (const [n, e] of this.#plugins) if (e.state !== 'starting' && !e.pool) out.set(n, this.#handles.get(e)!);
    for (const [n, p] of this.#pools) if (p.pool.members.length > 0) out.set(n, p.handle);
    return out;
  }

  /** The loaded plugin (or pool) of that name. */
  plugin(name: string): PluginNode | undefined {
    const pool = this.#pools.get(name);
    if (pool) return pool.pool.members.length > 0 ? pool.handle : undefined;
    const entry = this.#plugins.get(name);
    return entry && entry.state !== 'starting' ? this.#handles.get(entry) : undefined;
  }

  /** The pool's root-actor proxy of one interface: each call goes to the least busy running member. */
  poolInterfaceOf(pool: Pool, interfaceName?: string): object {
    const first = pool.members[0]!;
    const record = first.current ?? first.last!;
    const template = this.interfaceOf(first, interfaceName);
    const iface = matchInterface(record.description, proxyMeta(template)!.interfaceName)!;
    let proxy = pool.interfaceProxies.get(iface.name);
    if (!proxy) {
      proxy = interfaceProxy(record.registry.root.id, iface, (fn) => poolMethod(pool, iface.name, fn, (r, f, s) => this.#callPath(r, f, s)));
      pool.interfaceProxies.set(iface.name, proxy);
    }
    return proxy;
  }

  /** The handle of one entry (pool members have their own). */
  handleOf(entry: PluginEntry): PluginNode {
    return this.#handles.get(entry)!;
  }

  // ------------------------------------------------------------------ resolve

  /**
   * The proxy for an actor id. For a root id, `interfaceName` picks the interface (needed
   * when the plugin exports several).
   * @throws ERR_ACTOR_ID_INVALID, ERR_ACTOR_NOT_FOUND, ERR_STALE_INCARNATION
   */
  resolve<T>(id: ActorId | string, interfaceName?: string): Remote<T> {
    const { entry, record, actor } = this.#lookup(toId(id, 'resolve'));
    if (!actor.resource) return this.interfaceOf(entry, interfaceName) as Remote<T>;
    return this.#resourceProxyOf(record, actor) as Remote<T>;
  }

  /** Root proxies of every running plugin that exports `interfaceName` (with or without version). */
  find<T>(interfaceName: string): Remote<T>[] {
    const out: Remote<T>[] = [];
    for (const entry of this.#plugins.values()) {
      const record = entry.current;
      if (!record || record.state !== 'running') continue;
      const iface = matchInterface(record.description, interfaceName);
      if (iface) out.push(this.interfaceOf(entry, iface.name) as Remote<T>);
    }
    return out;
  }

  // ------------------------------------------------------------------ invoke

  /**
   * Calls `target` on the actor `id`: a WIT function name as written (`greet`,
   * `increment`), its JS name (`getStats`), or `iface#name` for a root actor exporting
   * several interfaces. Constructors are `[constructor]res`, statics `[static]res.f`.
   */
  async remoteCall(id: ActorId | string, target: string, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
    const { record, actor } = this.#lookup(toId(id, 'remoteCall'));
    const fn = findFunction(record, actor, target);
    // Branded, so that options after fewer arguments than parameters are never taken for one.
    return this.#method(record, actor, fn, false)(...args, ...(options === undefined ? [] : [callOptions(options)])) as Promise<unknown>;
  }

  /** Stops a resource actor (drops its resource), or the plugin of a root actor. Stopping an ended actor does nothing. */
  async stop(target: unknown): Promise<void> {
    const id = toId(proxyMeta(target)?.id ?? target, 'stop');
    const entry = this.#plugins.get(id.node);
    const record = entry?.last;
    if (!entry || !record || record.incarnation !== id.incarnation) return;
    const actor = record.registry.lookup(id);
    if (!actor || actor.state !== 'live') return;
    if (!actor.resource) return this.stopPlugin(entry);
    actor.state = 'stopping';
    try {
      if (record.state === 'running') await record.connection.drop(actor.local);
    } catch (e) {
      // Refused (the plugin is in the middle of a call): the actor lives on.
      if (isPluginHostError(e, 'ERR_BUSY') && actor.state === 'stopping') {
        actor.state = 'live';
        throw e;
      }
      record.registry.end(actor, { cause: 'stopped' });
      throw e;
    }
    record.registry.end(actor, { cause: 'stopped' });
  }

  // ------------------------------------------------------------------ watch

  /**
   * Calls `listener` once when the actor ends (stopped, moved into the plugin, or its
   * incarnation went down). Returns a function that cancels the watch. Watching does not
   * keep the actor alive. An actor that already ended is reported at once (asynchronously).
   */
  watch(target: unknown, listener: TerminationListener): () => void {
    const id = toId(proxyMeta(target)?.id ?? target, 'watch');
    const record = this.#plugins.get(id.node)?.last;
    const actor = record && record.incarnation === id.incarnation ? record.registry.lookup(id) : undefined;
    if (!actor || actor.state === 'ended') {
      queueMicrotask(() => listener({ id, cause: 'node-down', ...(record?.incarnation === id.incarnation && record.reason ? { reason: record.reason } : {}) }));
      return () => {};
    }
    (actor.watchers ??= new Set()).add(listener);
    return () => { actor.watchers?.delete(listener); };
  }

  /** Resolves once, when the actor ends (as `watch` reports it). */
  terminated(target: unknown): Promise<Termination> {
    return new Promise((resolve) => { this.watch(target, resolve); });
  }

  // ------------------------------------------------------------------ sync twins

  /**
   * The synchronous twin of an actor proxy of a node that runs in the host's thread
   * (inline wasm): the same functions, returning values (and throwing) instead of returning
   * Promises. Resource actors in results are ordinary (async) proxies.
   * @throws ERR_UNSUPPORTED for plugins that do not run in this thread
   */
  sync<P extends object>(proxy: P): SyncRemote<P> {
    const meta = proxyMeta(proxy);
    if (!meta) throw new PluginHostError('ERR_BAD_ARGUMENT', 'sync() takes an actor proxy');
    const { entry, record, actor } = this.#lookup(meta.id);
    if (!record.connection.capabilities.sync) {
      throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${record.name} does not run in this thread; only inline wasm plugins have synchronous calls`, { plugin: record.name });
    }
    if (!actor.resource) {
      const iface = matchInterface(record.description, meta.interfaceName)!;
      return interfaceProxy(actor.id, iface, (fn) => rootMethod(entry, iface.name, fn, SYNC, (r, f, s) => this.#callPath(r, f, s)), SYNC) as SyncRemote<P>;
    }
    actor.syncProxy ??= resourceProxy(this.#prototypeOf(record, actor.resource, SYNC), { id: actor.id, interfaceName: actor.resource.interfaceName, sync: SYNC }, actor);
    return actor.syncProxy as SyncRemote<P>;
  }

  // ------------------------------------------------------------------ links

  /**
   * What a link needs to know about the root-actor proxy it is bound to (docs/linking.md):
   * the plugin (or pool), the exported interface as it runs now, and whether it runs in the
   * host's thread. Undefined for anything but a root-actor proxy of a loaded plugin.
   */
  linkTarget(proxy: unknown): LinkTarget | undefined {
    const meta = proxyMeta(proxy);
    if (!meta || meta.sync || meta.id.local !== 0) return undefined;
    const entry = this.#plugins.get(meta.id.node);
    const record = entry?.current ?? entry?.last;
    if (!entry || !record) return undefined;
    const iface = matchInterface(record.description, meta.interfaceName);
    const item = record.description.world.exports.get(meta.interfaceName);
    if (!iface || item?.kind !== 'interface') return undefined;
    const sync = record.connection.capabilities.sync;
    // Metered or traced calls keep the instrumented path; a pool spreads calls over members.
    const direct = sync?.bindCore !== undefined && !this.#wrapCallPath && entry.pool === undefined;
    return {
      plugin: entry.pool ?? entry.name, description: iface, witInterface: item.iface, sync: sync !== undefined,
      ...(direct ? { coreMethod: (fn: WitFunction, fallback: CoreCall) => coreMethod(entry, iface.name, fn, fallback) } : {}),
    };
  }

  // ------------------------------------------------------------------ internals

  /** The root actor's proxy of one interface, following the plugin's incarnations (used by `PluginNode.exports`). */
  interfaceOf(entry: PluginEntry, interfaceName?: string): object {
    const record = entry.current ?? entry.last!;
    const ifaces = [...record.description.interfaces.values()];
    const list = () => ifaces.map((i) => i.name || '<world>').join(', ');
    let iface: InterfaceDescription | undefined;
    if (interfaceName === undefined) {
      if (ifaces.length !== 1) throw new PluginHostError('ERR_INVALID_OPTION', `plugin ${record.name} exports ${ifaces.length} interfaces (${list()}); name one`, { plugin: record.name });
      iface = ifaces[0];
    } else {
      iface = matchInterface(record.description, interfaceName);
    }
    if (!iface) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${record.name} does not export ${interfaceName} (it exports ${list() || 'nothing'})`, { plugin: record.name });
    let proxy = entry.interfaceProxies.get(iface.name);
    if (!proxy) {
      const found = iface;
      proxy = interfaceProxy(record.registry.root.id, found, (fn) => rootMethod(entry, found.name, fn, false, (r, f, s) => this.#callPath(r, f, s)));
      entry.interfaceProxies.set(iface.name, proxy);
    }
    return proxy;
  }

  #resourceProxyOf(record: NodeRecord, actor: ActorEntry): object {
    if (!actor.proxy) {
      const resource = actor.resource!;
      actor.proxy = resourceProxy(this.#prototypeOf(record, resource, false), { id: actor.id, interfaceName: resource.interfaceName, sync: false }, actor);
    }
    return actor.proxy;
  }

  #lookup(id: ActorId): { entry: PluginEntry; record: NodeRecord; actor: ActorEntry } {
    const entry = this.#plugins.get(id.node);
    const record = entry?.last;
    if (!entry || !record) throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}: plugin ${id.node} is not loaded`, { actorId: String(id) });
    if (record.incarnation !== id.incarnation) {
      if (id.incarnation < record.incarnation) {
        throw new PluginHostError('ERR_STALE_INCARNATION', `actor ${id} belonged to incarnation ${id.incarnation} of plugin ${id.node}; it runs incarnation ${record.incarnation} now`, { actorId: String(id), plugin: id.node });
      }
      throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}: plugin ${id.node} has no incarnation ${id.incarnation}`, { actorId: String(id) });
    }
    const actor = record.registry.lookup(id);
    if (!actor) {
      // A routed id (an actor deeper in a tree of hosts) made before a hop below restarted or went down.
      const stale = record.registry.staleHop(id);
      if (stale) throw new PluginHostError('ERR_STALE_INCARNATION', `actor ${id} was made under ${stale}, an incarnation that has ended on its path`, { actorId: String(id), plugin: stale.slice(0, stale.lastIndexOf('@')) });
      throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}`, { actorId: String(id), plugin: id.node });
    }
    return { entry, record, actor };
  }

  #callPath(record: NodeRecord, fn: WitFunction, sync: boolean): CallPath {
    const cache = sync ? record.syncPaths : record.paths;
    let path = cache.get(fn);
    if (!path) {
      path = makeCallPath(record, fn, sync, () => this.#closed);
      if (this.#wrapCallPath) path = this.#wrapCallPath(path, record.name, fn);
      cache.set(fn, path);
    }
    return path;
  }

  /** The function a proxy exposes for `fn` on `actor` (of one incarnation). */
  #method(record: NodeRecord, actor: ActorEntry, fn: WitFunction, sync: boolean): (...args: unknown[]) => unknown {
    const path = this.#callPath(record, fn, sync);
    return (...args: unknown[]) => path(actor, args);
  }

  /** The shared prototype of a resource type's actors on one incarnation. */
  #prototypeOf(record: NodeRecord, resource: ResourceDescription, sync: boolean): object {
    const key = sync ? 'sync' : 'async';
    const cached = record.prototypes.get(resource)?.[key];
    if (cached) return cached;
    const proto = resourcePrototype(resource, {
      method: (fn) => {
        const path = this.#callPath(record, fn, sync);
        return (actor, args) => {
          const entry = actorState<ActorEntry>(actor);
          if (entry?.resource === resource) return path(entry, args);
          const error = new PluginHostError('ERR_BAD_ARGUMENT', `${proxyMemberName(fn.shortName)}() must be called on a ${resource.name} actor (actor.${proxyMemberName(fn.shortName)}(…)), not detached from it`);
          if (sync) throw error;
          return Promise.reject(error);
        };
      },
      stop: (actor) => {
        const entry = actorState<ActorEntry>(actor);
        return entry ? this.stop(entry.id) : Promise.reject(new PluginHostError('ERR_BAD_ARGUMENT', 'stop a resource actor through the actor itself'));
      },
    });
    record.prototypes.set(resource, { ...record.prototypes.get(resource), [key]: proto });
    return proto;
  }

  #assertOpen(): void {
    if (this.#closed) throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system is closed');
  }
}

/** Nodes that implement the very same world object (instances of one component) share its description. */
const descriptions = new WeakMap<object, NodeDescription>();
function describedWorld(world: NodeConnection['world']): NodeDescription {
  let d = descriptions.get(world);
  if (!d) descriptions.set(world, (d = describeWorld(world)));
  return d;
}

function toId(value: unknown, operation: string): ActorId {
  if (value instanceof ActorId) return value;
  if (typeof value === 'string') return ActorId.parse(value);
  throw new PluginHostError('ERR_BAD_ARGUMENT', `${operation}() takes an actor proxy or an actor id`);
}

function findFunction(record: NodeRecord, actor: ActorEntry, target: string): WitFunction {
  if (actor.resource) {
    for (const fn of actor.resource.methods.values()) {
      if (fn.name === target || fn.shortName === target || proxyMemberName(fn.shortName) === target) return fn;
    }
    throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `resource ${actor.resource.name} has no method ${target}`, { actorId: String(actor.id) });
  }
  const hash = target.lastIndexOf('#');
  const wantIface = hash < 0 ? undefined : target.slice(0, hash);
  const name = hash < 0 ? target : target.slice(hash + 1);
  const found: WitFunction[] = [];
  for (const iface of record.description.interfaces.values()) {
    if (wantIface !== undefined && iface !== matchInterface(record.description, wantIface)) continue;
    for (const fn of iface.functions.values()) {
      if (fn.kind === 'method') continue;
      if (fn.name === name || (fn.kind === 'freestanding' && proxyMemberName(fn.name) === name)) found.push(fn);
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `${target} is ambiguous in plugin ${record.name}; write interface#function`, { actorId: String(actor.id) });
  throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${record.name} has no function ${target}`, { actorId: String(actor.id), plugin: record.name });
}

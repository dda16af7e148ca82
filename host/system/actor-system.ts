/**
 * The actor system core: owns node records, routes calls by actor id, hands out typed
 * proxies, tells watchers when actors end. It knows transports only through its own
 * contract (`node-connection.ts`): a node is started by a `Launch`, kept on its record.
 * No I/O happens here.
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
import type { ResourceType, WitFunction } from '../../common/wit/model.js';
import { camelCase } from '../../common/wit/names.js';
import { ActorId, isValidNodeName } from './actor-id.js';
import { makeCallPath } from './call-path.js';
import { terminationCause, type ActorSystemEvents, type NodeTermination } from './events.js';
import type { Launch, Logger, NodeConnection, ResourceBridge } from './node-connection.js';
import { describeWorld, matchInterface, type InterfaceDescription, type NodeDescription, type ResourceDescription } from './node-description.js';
import type { CallPath, NodeRecord } from './node-record.js';
import { PluginNode } from './plugin-node.js';
import { actorState, interfaceProxy, proxyMeta, resourcePrototype, resourceProxy, SYNC, type CallOptions, type Remote, type SyncRemote } from './proxy.js';
import { ActorRegistry, type ActorEntry, type TerminationListener } from './registry.js';

export interface CoreOptions {
  readonly logger: Logger;
  /** Receives the system's events (the public `ActorSystem` re-emits them). */
  readonly emit: <E extends keyof ActorSystemEvents>(event: E, ...payload: ActorSystemEvents[E]) => void;
}

export class ActorSystemCore {
  readonly logger: Logger;
  readonly #emit: CoreOptions['emit'];
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #handles = new Map<NodeRecord, PluginNode>();
  /** Names whose node is being started: taken, but not yet reachable. */
  readonly #starting = new Set<string>();
  readonly #incarnations = new Map<string, number>();
  #closed = false;

  constructor(options: CoreOptions) {
    this.logger = options.logger;
    this.#emit = options.emit;
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts a node incarnation through `launch`. Names are unique among running and
   * starting nodes.
   * @throws ERR_INVALID_OPTION for a bad or taken name, ERR_SYSTEM_CLOSED, or what `launch` rejects with.
   */
  async start(name: string, launch: Launch): Promise<PluginNode> {
    this.#assertOpen();
    if (!isValidNodeName(name)) throw new PluginHostError('ERR_INVALID_OPTION', `plugin name ${JSON.stringify(name)} must match [A-Za-z0-9][A-Za-z0-9._-]*`);
    if (this.#nodes.has(name) || this.#starting.has(name)) throw new PluginHostError('ERR_INVALID_OPTION', `a plugin named ${name} is already running`);
    const incarnation = (this.#incarnations.get(name) ?? 0) + 1;
    this.#incarnations.set(name, incarnation);
    const registry = new ActorRegistry(name, incarnation);
    let description: NodeDescription | undefined;
    let record: NodeRecord | undefined;
    const bridge = this.#bridge(() => record, () => description, registry);
    this.#starting.add(name);
    let connection: NodeConnection;
    try {
      connection = await launch({ name, incarnation, bridge, logger: this.logger });
      description = describedWorld(connection.world);
    } finally {
      this.#starting.delete(name);
    }
    let resolveTerminated!: (t: NodeTermination) => void;
    const terminated = new Promise<NodeTermination>((r) => { resolveTerminated = r; });
    const r: NodeRecord = record = {
      name, incarnation, launch, connection, description, registry, state: 'running', terminated,
      interfaceProxies: new Map(), paths: new Map(), syncPaths: new Map(), prototypes: new Map(),
    };
    const handle = new PluginNode(this, r);
    this.#handles.set(r, handle);
    this.#nodes.set(name, r);
    void connection.terminated.then((reason) => {
      r.state = 'down';
      r.reason = reason;
      registry.endAll({ cause: 'node-down', ...(reason ? { reason } : {}) });
      if (this.#nodes.get(name) === r) this.#nodes.delete(name);
      const termination: NodeTermination = { node: name, incarnation, cause: terminationCause(reason), ...(reason ? { reason } : {}) };
      if (reason) this.logger.warn(`plugin ${name} terminated: ${reason.message}`, { plugin: name, code: reason.code });
      resolveTerminated(termination);
      this.#emit('terminated', termination);
    });
    if (this.#closed) {
      await this.stopNode(r);
      throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system was closed while the plugin was loading');
    }
    this.#emit('started', { node: name, incarnation, plugin: handle });
    return handle;
  }

  /** Stops one node incarnation (used by its handle). Idempotent. */
  async stopNode(record: NodeRecord, options?: { timeoutMs?: number }): Promise<void> {
    if (record.state !== 'down') {
      record.state = 'stopping';
      await record.connection.close(options);
    }
    await record.terminated;
  }

  /** Stops every node, newest first. Idempotent. */
  async close(options?: { timeoutMs?: number }): Promise<void> {
    this.#closed = true;
    for (const record of [...this.#nodes.values()].reverse()) await this.stopNode(record, options);
  }

  /** Running nodes by name. */
  get plugins(): ReadonlyMap<string, PluginNode> {
    return new Map([...this.#nodes].map(([n, r]) => [n, this.#handles.get(r)!]));
  }

  /** The running node of that name. */
  plugin(name: string): PluginNode | undefined {
    const record = this.#nodes.get(name);
    return record && this.#handles.get(record);
  }

  // ------------------------------------------------------------------ resolve

  /**
   * The proxy for an actor id. For a root id, `interfaceName` picks the interface (needed
   * when the plugin exports several).
   * @throws ERR_ACTOR_ID_INVALID, ERR_ACTOR_NOT_FOUND
   */
  resolve<T>(id: ActorId | string, interfaceName?: string): Remote<T> {
    const { record, entry } = this.#lookup(toId(id, 'resolve'));
    if (!entry.resource) return this.interfaceOf(record, interfaceName) as Remote<T>;
    return this.#resourceProxyOf(record, entry) as Remote<T>;
  }

  /** Root proxies of every running node that exports `interfaceName` (with or without version). */
  find<T>(interfaceName: string): Remote<T>[] {
    const out: Remote<T>[] = [];
    for (const record of this.#nodes.values()) {
      if (record.state !== 'running') continue;
      const iface = matchInterface(record.description, interfaceName);
      if (iface) out.push(this.interfaceOf(record, iface.name) as Remote<T>);
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
    const { record, entry } = this.#lookup(toId(id, 'remoteCall'));
    const fn = findFunction(record, entry, target);
    return this.#method(record, entry, fn, false)(...args, ...(options === undefined ? [] : [options])) as Promise<unknown>;
  }

  /** Stops a resource actor (drops its resource), or the node of a root actor. Stopping an ended actor does nothing. */
  async stop(actor: unknown): Promise<void> {
    const id = toId(proxyMeta(actor)?.id ?? actor, 'stop');
    const record = this.#nodes.get(id.node);
    if (!record || record.incarnation !== id.incarnation) return;
    const entry = record.registry.get(id.local);
    if (!entry || entry.state !== 'live') return;
    if (!entry.resource) return this.stopNode(record);
    entry.state = 'stopping';
    try {
      if (record.state === 'running') await record.connection.drop(entry.local);
    } catch (e) {
      // Refused (the plugin is in the middle of a call): the actor lives on.
      if (isPluginHostError(e, 'ERR_BUSY') && entry.state === 'stopping') {
        entry.state = 'live';
        throw e;
      }
      record.registry.end(entry, { cause: 'stopped' });
      throw e;
    }
    record.registry.end(entry, { cause: 'stopped' });
  }

  // ------------------------------------------------------------------ watch

  /**
   * Calls `listener` once when the actor ends (stopped, moved into the plugin, or its node
   * went down). Returns a function that cancels the watch. Watching does not keep the
   * actor alive. An actor that already ended is reported at once (asynchronously).
   */
  watch(actor: unknown, listener: TerminationListener): () => void {
    const id = toId(proxyMeta(actor)?.id ?? actor, 'watch');
    const record = this.#nodes.get(id.node);
    const entry = record && record.incarnation === id.incarnation ? record.registry.get(id.local) : undefined;
    if (!entry || entry.state === 'ended') {
      queueMicrotask(() => listener({ id, cause: 'node-down' }));
      return () => {};
    }
    (entry.watchers ??= new Set()).add(listener);
    return () => { entry.watchers?.delete(listener); };
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
    const { record, entry } = this.#lookup(meta.id);
    if (!record.connection.capabilities.sync) {
      throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${record.name} does not run in this thread; only inline wasm plugins have synchronous calls`, { plugin: record.name });
    }
    if (!entry.resource) {
      const iface = matchInterface(record.description, meta.interfaceName)!;
      return interfaceProxy(entry.id, iface, (fn) => this.#method(record, entry, fn, SYNC), SYNC) as SyncRemote<P>;
    }
    entry.syncProxy ??= resourceProxy(this.#prototypeOf(record, entry.resource, SYNC), { id: entry.id, interfaceName: entry.resource.interfaceName, sync: SYNC }, entry);
    return entry.syncProxy as SyncRemote<P>;
  }

  // ------------------------------------------------------------------ internals

  /** The root actor's proxy of one interface (used by `PluginNode.exports`). */
  interfaceOf(record: NodeRecord, interfaceName?: string): object {
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
    let proxy = record.interfaceProxies.get(iface.name);
    if (!proxy) {
      const root = record.registry.root;
      proxy = interfaceProxy(root.id, iface, (fn) => this.#method(record, root, fn, false));
      record.interfaceProxies.set(iface.name, proxy);
    }
    return proxy;
  }

  #resourceProxyOf(record: NodeRecord, entry: ActorEntry): object {
    if (!entry.proxy) {
      const resource = entry.resource!;
      entry.proxy = resourceProxy(this.#prototypeOf(record, resource, false), { id: entry.id, interfaceName: resource.interfaceName, sync: false }, entry);
    }
    return entry.proxy;
  }

  #lookup(id: ActorId): { record: NodeRecord; entry: ActorEntry } {
    const record = this.#nodes.get(id.node);
    if (!record || record.incarnation !== id.incarnation) {
      throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}: node ${id.node}@${id.incarnation} is not running`, { actorId: String(id) });
    }
    const entry = record.registry.get(id.local);
    if (!entry) throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}`, { actorId: String(id), plugin: id.node });
    return { record, entry };
  }

  #callPath(record: NodeRecord, fn: WitFunction, sync: boolean): CallPath {
    const cache = sync ? record.syncPaths : record.paths;
    let path = cache.get(fn);
    if (!path) cache.set(fn, (path = makeCallPath(record, fn, sync, () => this.#closed)));
    return path;
  }

  /** The function a proxy exposes for `fn` on `entry`. */
  #method(record: NodeRecord, entry: ActorEntry, fn: WitFunction, sync: boolean): (...args: unknown[]) => unknown {
    const path = this.#callPath(record, fn, sync);
    return (...args: unknown[]) => path(entry, args);
  }

  /** The shared prototype of a resource type's actors on one node. */
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
          const error = new PluginHostError('ERR_BAD_ARGUMENT', `${camelCase(fn.shortName)}() must be called on a ${resource.name} actor (actor.${camelCase(fn.shortName)}(…)), not detached from it`);
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

  #bridge(record: () => NodeRecord | undefined, description: () => NodeDescription | undefined, registry: ActorRegistry): ResourceBridge {
    const describe = (type: ResourceType): ResourceDescription => {
      const d = description()?.resources.get(type);
      if (!d) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${type.name} is not one the plugin exports`);
      return d;
    };
    return {
      isActorType: (type) => description()?.resources.has(type) ?? false,
      adopt: (type, local) => {
        const r = record();
        if (!r) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${type.name} was handed out before the plugin finished loading`);
        return this.#resourceProxyOf(r, registry.add(describe(type), local));
      },
      resolve: (type, value, own) => {
        const resource = describe(type);
        const meta = proxyMeta(value);
        if (!meta) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got ${value === null ? 'null' : typeof value}`);
        if (meta.id.node !== registry.node || meta.id.incarnation !== registry.incarnation) {
          throw new PluginHostError('ERR_FOREIGN_RESOURCE', `actor ${meta.id} belongs to another node; resources cannot cross plugins`, { actorId: String(meta.id) });
        }
        const entry = registry.get(meta.id.local);
        if (!entry || entry.state !== 'live') throw new PluginHostError('ERR_ACTOR_STOPPED', `actor ${meta.id} was stopped`, { actorId: String(meta.id) });
        if (entry.resource !== resource) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got a ${entry.resource?.name ?? 'root'} actor`);
        if (own) registry.end(entry, { cause: 'moved' });
        return entry.local;
      },
    };
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

function findFunction(record: NodeRecord, entry: ActorEntry, target: string): WitFunction {
  if (entry.resource) {
    for (const fn of entry.resource.methods.values()) {
      if (fn.name === target || fn.shortName === target || camelCase(fn.shortName) === target) return fn;
    }
    throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `resource ${entry.resource.name} has no method ${target}`, { actorId: String(entry.id) });
  }
  const hash = target.lastIndexOf('#');
  const wantIface = hash < 0 ? undefined : target.slice(0, hash);
  const name = hash < 0 ? target : target.slice(hash + 1);
  const found: WitFunction[] = [];
  for (const iface of record.description.interfaces.values()) {
    if (wantIface !== undefined && iface !== matchInterface(record.description, wantIface)) continue;
    for (const fn of iface.functions.values()) {
      if (fn.kind === 'method') continue;
      if (fn.name === name || (fn.kind === 'freestanding' && camelCase(fn.name) === name)) found.push(fn);
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `${target} is ambiguous in plugin ${record.name}; write interface#function`, { actorId: String(entry.id) });
  throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${record.name} has no function ${target}`, { actorId: String(entry.id), plugin: record.name });
}

/**
 * The actor system core: owns nodes, routes calls by actor id, hands out typed proxies,
 * tells watchers when actors end. It knows transports only through `NodeConnection`.
 *
 * Grouped as in swift-distributed-actors: lifecycle (attach, stop, close), resolve
 * (resolve, find), invoke (remoteCall and proxies), watch.
 *
 * Example:
 *   const node = await system.attach('greeter', (bridge) => connectSomehow(bridge));
 *   const api = node.exports('example:greeter/api');
 *   await api.greet('world');
 */
import { EventEmitter } from 'node:events';
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import { unalias } from '../../common/wit/model.js';
import type {
  CallRequest, FunctionDescription, InterfaceDescription, Logger, NodeConnection, ResourceBridge, ResourceDescription,
} from './node-connection.js';
import { camelCase, stripVersion } from '../../common/wit/names.js';
import { ActorId, isValidNodeName } from './actor-id.js';
import { prepareCall, unwrapResult, withCallContext } from './call.js';
import { actorState, interfaceProxy, proxyMeta, resourcePrototype, resourceProxy, SYNC, type CallOptions, type Remote, type SyncRemote } from './proxy.js';
import { ActorRegistry, type ActorEntry, type Termination, type TerminationListener } from './registry.js';

export interface NodeTermination {
  readonly node: string;
  readonly incarnation: number;
  /** `undefined` when the host stopped the node; otherwise why it died. */
  readonly reason?: PluginHostError;
}

export interface ActorSystemEvents {
  'node-up': [node: PluginNode];
  'node-down': [termination: NodeTermination];
}

interface NodeRecord {
  readonly name: string;
  readonly incarnation: number;
  readonly connection: NodeConnection;
  readonly registry: ActorRegistry;
  state: 'running' | 'stopping' | 'down';
  reason?: PluginHostError;
  readonly handle: PluginNode;
  readonly interfaceProxies: Map<string, object>;
  readonly paths: Map<FunctionDescription, CallPath>;
  readonly syncPaths: Map<FunctionDescription, CallPath>;
  readonly prototypes: Map<ResourceDescription, { async?: object; sync?: object }>;
}

/** One function's calls on one node; `args` excludes `self`, and may end with CallOptions. */
type CallPath = (entry: ActorEntry, args: unknown[]) => unknown;

/** A running node as the host sees it. */
export class PluginNode {
  /** Resolves once, when the node is gone. */
  readonly terminated: Promise<NodeTermination>;

  constructor(
    private readonly system: ActorSystemCore,
    private readonly record: () => NodeRecord,
    terminated: Promise<NodeTermination>,
  ) {
    this.terminated = terminated;
  }

  get name(): string { return this.record().name; }
  get incarnation(): number { return this.record().incarnation; }
  /** The root actor's id (`name@incarnation/0`). */
  get id(): ActorId { return this.record().registry.root.id; }
  get running(): boolean { return this.record().state === 'running'; }
  /** Bytes of linear memory a wasm plugin holds now (undefined for subprocess plugins). */
  get memoryBytes(): number | undefined { return this.record().connection.memoryBytes?.(); }
  /** The plugin's process id (subprocess plugins only). */
  get pid(): number | undefined { return this.record().connection.pid; }
  /** Export names of the interfaces the plugin exports (`''` stands for world-level functions). */
  get interfaces(): string[] { return [...this.record().connection.description.interfaces.keys()]; }

  /** The root actor's proxy for one exported interface (by full name, name without version, or short name). */
  exports<T = Record<string, (...args: never[]) => unknown>>(interfaceName?: string): Remote<T> {
    return this.system.interfaceOf(this.record(), interfaceName) as Remote<T>;
  }

  /**
   * Sends a signal to a subprocess plugin (default SIGKILL), as a crash would: pending calls
   * reject with ERR_PLUGIN_EXITED. Not available for wasm plugins (ERR_UNSUPPORTED).
   */
  kill(signal?: NodeJS.Signals): void {
    const connection = this.record().connection;
    if (!connection.kill) throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${this.name} is not a process; use stop()`, { plugin: this.name });
    connection.kill(signal);
  }

  /** Stops the node: pending calls reject with ERR_NODE_TERMINATED, its actors end. */
  stop(options?: { timeoutMs?: number }): Promise<void> {
    return this.system.stopNode(this.record(), options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

export interface ActorSystemOptions {
  /** Where plugin logs and system diagnostics go. Default: stderr, one line per record. */
  readonly logger?: Logger;
}

export class ActorSystemCore extends EventEmitter<ActorSystemEvents> {
  readonly logger: Logger;
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly incarnations = new Map<string, number>();
  private closed = false;

  constructor(options: ActorSystemOptions = {}) {
    super();
    this.logger = options.logger ?? stderrLogger;
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Starts a node through `connect`, which receives the bridge the transport must use for
   * resource values. Names are unique among running nodes.
   * @throws ERR_INVALID_OPTION for a bad or taken name; whatever `connect` rejects with.
   */
  async attach(name: string, connect: (bridge: ResourceBridge, incarnation: number) => Promise<NodeConnection>): Promise<PluginNode> {
    this.assertOpen();
    if (!isValidNodeName(name)) throw new PluginHostError('ERR_INVALID_OPTION', `plugin name ${JSON.stringify(name)} must match [A-Za-z0-9][A-Za-z0-9._-]*`);
    if (this.nodes.has(name)) throw new PluginHostError('ERR_INVALID_OPTION', `a plugin named ${name} is already running`);
    const incarnation = (this.incarnations.get(name) ?? 0) + 1;
    this.incarnations.set(name, incarnation);
    const registry = new ActorRegistry(name, incarnation);
    let record: NodeRecord | undefined;
    const bridge = this.bridge(() => record!, registry);
    // Reserve the name while connecting, so two loads of one name cannot race.
    const placeholder = { state: 'stopping' } as NodeRecord;
    this.nodes.set(name, placeholder);
    let connection: NodeConnection;
    try {
      connection = await connect(bridge, incarnation);
    } catch (e) {
      this.nodes.delete(name);
      throw e;
    }
    let resolveTerminated!: (t: NodeTermination) => void;
    const terminated = new Promise<NodeTermination>((r) => { resolveTerminated = r; });
    const handle = new PluginNode(this, () => record!, terminated);
    record = { name, incarnation, connection, registry, state: 'running', handle, interfaceProxies: new Map(), paths: new Map(), syncPaths: new Map(), prototypes: new Map() };
    this.nodes.set(name, record);
    void connection.terminated.then((reason) => {
      const r = record!;
      r.state = 'down';
      r.reason = reason;
      registry.endAll({ cause: 'node-down', ...(reason ? { reason } : {}) });
      if (this.nodes.get(name) === r) this.nodes.delete(name);
      const termination: NodeTermination = { node: name, incarnation, ...(reason ? { reason } : {}) };
      if (reason) this.logger.warn(`plugin ${name} terminated: ${reason.message}`, { plugin: name, code: reason.code });
      resolveTerminated(termination);
      this.emit('node-down', termination);
    });
    if (this.closed) {
      await connection.close();
      throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system was closed while the plugin was loading');
    }
    this.emit('node-up', handle);
    return handle;
  }

  /** @internal */
  async stopNode(record: NodeRecord, options?: { timeoutMs?: number }): Promise<void> {
    if (record.state === 'down') return;
    record.state = 'stopping';
    await record.connection.close(options);
    await record.handle.terminated;
  }

  /** Stops every node, newest first. Idempotent. */
  async close(options?: { timeoutMs?: number }): Promise<void> {
    this.closed = true;
    const running = [...this.nodes.values()].filter((r) => r.connection).reverse();
    for (const record of running) await this.stopNode(record, options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Running nodes by name. */
  get plugins(): ReadonlyMap<string, PluginNode> {
    return new Map([...this.nodes].filter(([, r]) => r.connection).map(([n, r]) => [n, r.handle]));
  }

  // ------------------------------------------------------------------ resolve

  /**
   * The proxy for an actor id. For a root id, `interfaceName` picks the interface (needed
   * when the plugin exports several).
   * @throws ERR_ACTOR_ID_INVALID, ERR_ACTOR_NOT_FOUND
   */
  resolve<T = Record<string, (...args: never[]) => unknown>>(id: ActorId | string, interfaceName?: string): Remote<T> {
    const actorId = typeof id === 'string' ? ActorId.parse(id) : id;
    const { record, entry } = this.lookup(actorId);
    if (!entry.resource) return this.interfaceOf(record, interfaceName) as Remote<T>;
    return this.resourceProxyOf(record, entry) as Remote<T>;
  }

  /** Root proxies of every running node that exports `interfaceName` (with or without version). */
  find<T = Record<string, (...args: never[]) => unknown>>(interfaceName: string): Remote<T>[] {
    const out: Remote<T>[] = [];
    for (const record of this.nodes.values()) {
      if (record.state !== 'running') continue;
      const iface = matchInterface(record, interfaceName);
      if (iface) out.push(this.interfaceOf(record, iface.name) as Remote<T>);
    }
    return out;
  }

  // ------------------------------------------------------------------ invoke

  /**
   * Calls `target` on the actor `id`. `target` is a WIT function name as written
   * (`greet`, `increment`), its JS name (`getStats`), or `iface#name` for a root actor
   * exporting several interfaces. Constructors are `[constructor]res`, statics `[static]res.f`.
   */
  async remoteCall(id: ActorId | string, target: string, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
    const actorId = typeof id === 'string' ? ActorId.parse(id) : id;
    const { record, entry } = this.lookup(actorId);
    const { iface, fn } = findFunction(record, entry, target);
    return this.method(record, entry, iface, fn, false)(...args, ...(options === undefined ? [] : [options])) as Promise<unknown>;
  }

  /** Stops a resource actor (drops its resource). Stopping an ended actor does nothing. */
  async stop(actor: unknown): Promise<void> {
    const meta = proxyMeta(actor);
    const id = meta?.id ?? (actor instanceof ActorId ? actor : typeof actor === 'string' ? ActorId.parse(actor) : undefined);
    if (!id) throw new PluginHostError('ERR_BAD_ARGUMENT', 'stop() takes an actor proxy or an actor id');
    const record = this.nodes.get(id.node);
    if (!record || record.incarnation !== id.incarnation || !record.connection) return;
    const entry = record.registry.get(id.local);
    if (!entry || entry.state !== 'live') return;
    if (!entry.resource) return this.stopNode(record);
    entry.state = 'stopping';
    try {
      if (record.state === 'running') await record.connection.drop(entry.local);
    } catch (e) {
      // Refused (the plugin is in the middle of a call): the actor lives on.
      if (isPluginHostError(e, 'ERR_UNSUPPORTED') && entry.state === 'stopping') {
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
    const meta = proxyMeta(actor);
    const id = meta?.id ?? (actor instanceof ActorId ? actor : typeof actor === 'string' ? ActorId.parse(actor) : undefined);
    if (!id) throw new PluginHostError('ERR_BAD_ARGUMENT', 'watch() takes an actor proxy or an actor id');
    const record = this.nodes.get(id.node);
    const entry = record && record.incarnation === id.incarnation && record.connection ? record.registry.get(id.local) : undefined;
    if (!entry || entry.state === 'ended') {
      const reason = record?.incarnation === id.incarnation ? record.reason : undefined;
      queueMicrotask(() => listener({ id, cause: 'node-down', ...(reason ? { reason } : {}) }));
      return () => {};
    }
    (entry.watchers ??= new Set()).add(listener);
    return () => { entry.watchers?.delete(listener); };
  }

  // ------------------------------------------------------------------ internals

  /** @internal */
  interfaceOf(record: NodeRecord, interfaceName?: string): object {
    const ifaces = [...record.connection.description.interfaces.values()];
    let iface: InterfaceDescription | undefined;
    if (interfaceName === undefined) {
      if (ifaces.length !== 1) {
        throw new PluginHostError('ERR_INVALID_OPTION', `plugin ${record.name} exports ${ifaces.length} interfaces (${ifaces.map((i) => i.name || '<world>').join(', ')}); name one`, { plugin: record.name });
      }
      iface = ifaces[0];
    } else {
      iface = matchInterface(record, interfaceName);
    }
    if (!iface) {
      throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${record.name} does not export ${interfaceName} (it exports ${ifaces.map((i) => i.name || '<world>').join(', ') || 'nothing'})`, { plugin: record.name });
    }
    let proxy = record.interfaceProxies.get(iface.name);
    if (!proxy) {
      const root = record.registry.root;
      const found = iface;
      proxy = interfaceProxy(root.id, found, (fn) => this.method(record, root, found, fn, false));
      record.interfaceProxies.set(iface.name, proxy);
    }
    return proxy;
  }

  private resourceProxyOf(record: NodeRecord, entry: ActorEntry): object {
    if (!entry.proxy) {
      const resource = entry.resource!;
      entry.proxy = resourceProxy(this.prototypeOf(record, resource, false), { id: entry.id, interfaceName: resource.interfaceName, sync: false }, entry);
    }
    return entry.proxy;
  }

  private lookup(id: ActorId): { record: NodeRecord; entry: ActorEntry } {
    const record = this.nodes.get(id.node);
    if (!record || !record.connection || record.incarnation !== id.incarnation) {
      throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}: node ${id.node}@${id.incarnation} is not running`, { actorId: String(id) });
    }
    const entry = record.registry.get(id.local);
    if (!entry) throw new PluginHostError('ERR_ACTOR_NOT_FOUND', `no actor ${id}`, { actorId: String(id), plugin: id.node });
    return { record, entry };
  }

  /**
   * The call path of `fn` on this node, made once per node, function and style (entries
   * are per call, so a resource type's actors share it). Inline transports get a direct path
   * (no request object, no Promise inside); calls with options, or in any unusual state, go
   * through `prepareCall`, which also produces every typed error. Async paths never throw:
   * they return a rejected Promise.
   */
  private callPath(record: NodeRecord, iface: InterfaceDescription, fn: FunctionDescription, sync: boolean): CallPath {
    const cache = sync ? record.syncPaths : record.paths;
    const cached = cache.get(fn);
    if (cached) return cached;
    const arity = fn.kind === 'method' ? fn.params.length - 1 : fn.params.length;
    const direct = record.connection.bindSync?.(fn);
    const unwrap = fn.result !== undefined && unalias(fn.result).kind === 'result';
    let path: CallPath;
    if (!direct) {
      path = (entry, args) => {
        let request: CallRequest;
        try {
          request = prepareCall(this.closed, record, entry, iface, fn, args);
        } catch (e) {
          return Promise.reject(withCallContext(e, record.name, entry.id, fn));
        }
        return record.connection.call(request).then(
          (raw) => (unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw),
          (e: unknown) => { throw withCallContext(e, record.name, entry.id, fn); },
        );
      };
    } else {
      // The fast path stays small and flat (it is the whole cost of a ~20 ns guest call); the
      // rest, including every typed error, is in `slow`.
      const slow = (entry: ActorEntry, args: unknown[]): unknown => {
        const request = prepareCall(this.closed, record, entry, iface, fn, args);
        const raw = direct(request.self, request.args);
        return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
      };
      path = sync
        ? (entry, args) => {
          try {
            if (args.length !== arity || record.state !== 'running' || entry.state !== 'live') return slow(entry, args);
            const raw = direct(entry.local, args);
            return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
          } catch (e) {
            throw withCallContext(e, record.name, entry.id, fn);
          }
        }
        : (entry, args) => {
          try {
            if (args.length !== arity || record.state !== 'running' || entry.state !== 'live') return Promise.resolve(slow(entry, args));
            const raw = direct(entry.local, args);
            return Promise.resolve(unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw);
          } catch (e) {
            return Promise.reject(withCallContext(e, record.name, entry.id, fn));
          }
        };
    }
    cache.set(fn, path);
    return path;
  }

  /** The function a proxy exposes for `fn` on `entry`. */
  private method(record: NodeRecord, entry: ActorEntry, iface: InterfaceDescription, fn: FunctionDescription, sync: boolean): (...args: unknown[]) => unknown {
    const path = this.callPath(record, iface, fn, sync);
    return (...args: unknown[]) => path(entry, args);
  }

  /** The shared prototype of a resource type's actors on one node. */
  private prototypeOf(record: NodeRecord, resource: ResourceDescription, sync: boolean): object {
    const key = sync ? 'sync' : 'async';
    const cached = record.prototypes.get(resource)?.[key];
    if (cached) return cached;
    const iface = record.connection.description.interfaces.get(resource.interfaceName)!;
    const proto = resourcePrototype(resource, {
      method: (fn) => {
        const path = this.callPath(record, iface, fn, sync);
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

  /**
   * The synchronous twin of an actor proxy of an inline wasm plugin: the same functions,
   * returning values (and throwing) instead of returning Promises. For hot loops; every other
   * property of calls is the same. Resource actors in results are ordinary (async) proxies.
   * @throws ERR_UNSUPPORTED for plugins that do not run in this thread (subprocesses)
   */
  sync<P extends object>(proxy: P): SyncRemote<P> {
    return this.syncTwin(proxy) as SyncRemote<P>;
  }

  private syncTwin(proxy: object): object {
    const meta = proxyMeta(proxy);
    if (!meta) throw new PluginHostError('ERR_BAD_ARGUMENT', 'sync() takes an actor proxy');
    const { record, entry } = this.lookup(meta.id);
    if (!record.connection.bindSync) {
      throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${record.name} does not run in this thread; only inline wasm plugins have synchronous calls`, { plugin: record.name });
    }
    if (!entry.resource) {
      const iface = matchInterface(record, meta.interfaceName)!;
      return interfaceProxy(entry.id, iface, (fn) => this.method(record, entry, iface, fn, SYNC), SYNC);
    }
    entry.syncProxy ??= resourceProxy(this.prototypeOf(record, entry.resource, SYNC), { id: entry.id, interfaceName: entry.resource.interfaceName, sync: SYNC }, entry);
    return entry.syncProxy;
  }

  private bridge(record: () => NodeRecord, registry: ActorRegistry): ResourceBridge {
    return {
      adopt: (resource, local) => this.resourceProxyOf(record(), registry.add(resource, local)),
      resolve: (resource, value, own) => {
        const meta = proxyMeta(value);
        if (!meta) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got ${typeof value}`);
        const entry = meta.id.node === registry.node && meta.id.incarnation === registry.incarnation ? registry.get(meta.id.local) : undefined;
        if (meta.id.node !== registry.node || meta.id.incarnation !== registry.incarnation) {
          throw new PluginHostError('ERR_FOREIGN_RESOURCE', `actor ${meta.id} belongs to another node; resources cannot cross plugins`, { actorId: String(meta.id) });
        }
        if (!entry || entry.state !== 'live') throw new PluginHostError('ERR_ACTOR_STOPPED', `actor ${meta.id} was stopped`, { actorId: String(meta.id) });
        if (entry.resource !== resource) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource.name} resource actor, got a ${entry.resource?.name ?? 'root'} actor`);
        if (own) registry.end(entry, { cause: 'moved' });
        return entry.local;
      },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system is closed');
  }
}

function matchInterface(record: NodeRecord, name: string): InterfaceDescription | undefined {
  const ifaces = record.connection.description.interfaces;
  const exact = ifaces.get(name);
  if (exact) return exact;
  const candidates = [...ifaces.values()].filter((i) => stripVersion(i.name) === name || shortName(i.name) === name);
  return candidates.length === 1 ? candidates[0] : undefined;
}

function shortName(exportName: string): string {
  const slash = exportName.lastIndexOf('/');
  return stripVersion(slash < 0 ? exportName : exportName.slice(slash + 1));
}

function findFunction(record: NodeRecord, entry: ActorEntry, target: string): { iface: InterfaceDescription; fn: FunctionDescription } {
  const description = record.connection.description;
  if (entry.resource) {
    const iface = description.interfaces.get(entry.resource.interfaceName)!;
    for (const fn of entry.resource.methods.values()) {
      if (fn.name === target || fn.shortName === target || camelCase(fn.shortName) === target) return { iface, fn };
    }
    throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `resource ${entry.resource.name} has no method ${target}`, { actorId: String(entry.id) });
  }
  const hash = target.lastIndexOf('#');
  const wantIface = hash < 0 ? undefined : target.slice(0, hash);
  const name = hash < 0 ? target : target.slice(hash + 1);
  const found: { iface: InterfaceDescription; fn: FunctionDescription }[] = [];
  for (const iface of description.interfaces.values()) {
    if (wantIface !== undefined && iface !== matchInterface(record, wantIface)) continue;
    for (const fn of iface.functions.values()) {
      if (fn.kind === 'method') continue;
      if (fn.name === name || (fn.kind === 'freestanding' && camelCase(fn.name) === name)) found.push({ iface, fn });
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `${target} is ambiguous in plugin ${record.name}; write interface#function`, { actorId: String(entry.id) });
  throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${record.name} has no function ${target}`, { actorId: String(entry.id), plugin: record.name });
}

const stderrLogger: Logger = {
  debug: () => {},
  info: (m, f) => process.stderr.write(`${prefix(f)}${m}\n`),
  warn: (m, f) => process.stderr.write(`${prefix(f)}warn: ${m}\n`),
  error: (m, f) => process.stderr.write(`${prefix(f)}error: ${m}\n`),
};

function prefix(fields?: Record<string, unknown>): string {
  return typeof fields?.plugin === 'string' ? `[${fields.plugin}] ` : '';
}

export type { Termination };

/**
 * The worker transport, host side: the component runs in a worker thread; the host thread
 * talks to it through the one peer over a shared-memory ring channel (docs/protocol.md
 * §13). Gains over inline: a call that overruns its deadline is preempted by terminating
 * the worker, and host imports may be async (the guest blocks while the host thread awaits
 * them). Costs: a thread per plugin and a round trip per call.
 *
 * Calls run one at a time, in order: the host sends the next one when the worker answered
 * the last. A queued call that is aborted is dropped from the queue. A caller that aborts
 * (or whose deadline passes) while the worker runs its call ends the node
 * (`ERR_NODE_INTERRUPTED`): a thread in guest code cannot be stopped otherwise.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { abortError } from '../../../common/abort-error.js';
import { isPluginHostError, PluginHostError, type ErrorCode } from '../../../common/errors.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { Peer, type IncomingFunction, type ServeFunction } from '../../../common/protocol/peer/peer.js';
import type { WitFunction, World } from '../../../common/wit/model.js';
import { capLogRecord, LOG_INTERFACE, writePluginLog } from '../../capabilities/host-log.js';
import { RemoteHandles } from '../remote-handles.js';
import type { Template } from '../../component/canon/templates.js';
import { componentWorld } from '../../component/component-world.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent, type FuncValue } from '../../component/instantiate.js';
import { currentChain, printChain, runInChain, type CallChain, type CallRequest, type LaunchContext, type NodeCapabilities, type NodeConnection } from '../../system/node-connection.js';
import { wantsCallContext, type HostCallContext } from '../../../common/host-objects.js';
import { stripVersion } from '../../../common/wit/names.js';
import type { ComponentCache } from '../component/persistent-cache.js';
import type { IntegrityPolicy } from '../../integrity/index.js';
import type { Health } from '../../plugin-spec.js';
import { pingMonitor, type PingMonitor } from '../../../common/protocol/features/ping.js';
import { prepareComponent, type WasmLaunchOptions } from '../component/prepare.js';
import { prepareForWorker } from './prepared-component.js';
import { createRingBuffers, hostRingChannel } from './ring-channel.js';
import { collectImports, importFunction } from './tables.js';
import type { WorkerEvent, WorkerInit } from './worker-entry.js';
import { workerScript } from './worker-script.js';

export interface WorkerLaunchOptions extends WasmLaunchOptions {
  /** Bytes of each direction's ring; larger frames still work, through a message port. */
  readonly channelBytes: number;
  readonly health?: Health;
}

/**
 * Which imports the worker serves itself: the log interface, and WASI from the grants —
 * unless the application gives its own `wasi:*` implementations, which run here on the
 * host thread; then all of WASI does, so the interfaces keep sharing their resource types.
 */
function workerServes(imports: WasmLaunchOptions['imports']): (name: string) => boolean {
  const ownWasi = Object.keys(imports).some((k) => k.startsWith('wasi:'));
  return (name) => stripVersion(name) === LOG_INTERFACE || (!ownWasi && name.startsWith('wasi:'));
}

export async function launchWorker(options: WorkerLaunchOptions, context: LaunchContext, componentCache?: ComponentCache, integrity?: IntegrityPolicy): Promise<NodeConnection> {
  const { name: plugin, logger, bridge } = context;
  const { grants, compiled, imports } = await prepareComponent(plugin, options, logger, componentCache, integrity);

  // The host thread evaluates the component's types (no guest code runs here).
  const hostCalls: { wireName: string; fn: FuncValue }[] = [];
  const resolve = hostImportResolver(imports, plugin);
  const servedInWorker = workerServes(options.imports);
  const types = instantiateComponent(compiled, (name, type, space) => {
    const value = resolve(name, type, space);
    if (!servedInWorker(name)) collectImports(name, value, (wireName, fn) => hostCalls.push({ wireName, fn }));
    return value;
  }, { typesOnly: true });
  const { world } = componentWorld(types, compiled);

  const { port1, port2 } = new MessageChannel();
  const buffer = createRingBuffers(options.channelBytes);
  const memoryGauge = new SharedArrayBuffer(4);
  const init: WorkerInit = {
    plugin, component: prepareForWorker(compiled), grants, memoryGauge,
    ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
    ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}), wasiInWorker: !Object.keys(options.imports).some((k) => k.startsWith('wasi:')),
    hostImports: hostCalls.map((c) => c.wireName), buffer, port: port2,
    templates: Object.fromEntries(compiled.templates ?? []),
  };
  let node: WorkerNode | undefined;
  const incoming: IncomingFunction[] = hostCalls.map(({ wireName, fn }) => {
    const func = importFunction(wireName, fn);
    const serve = serveImport(func, fn);
    // A host import runs as one more hop of the chain of the call the worker is running.
    return { name: wireName, func, serve: (self, args, call) => node!.serveInChain(call.signal, () => serve(self, args, call)) };
  });
  node = new WorkerNode(context, world, buffer, port1, incoming, new RemoteHandles(bridge), options.health, memoryGauge);
  node.attach(new Worker(workerScript(), { workerData: init, transferList: [port2] }));
  const started = node;
  const timer = options.startTimeoutMs === undefined ? undefined : setTimeout(() => started.abandonStart(
    new PluginHostError('ERR_TIMEOUT', `plugin ${context.name} did not finish starting within startTimeoutMs (${options.startTimeoutMs} ms): its worker was terminated`, { plugin: context.name })), options.startTimeoutMs);
  try {
    await node.ready;
  } finally {
    clearTimeout(timer);
  }
  if (node.generatedTemplates && compiled.templates) {
    for (const [key, t] of Object.entries(node.generatedTemplates)) compiled.templates.set(key, t);
    await componentCache?.save(compiled, plugin);
  }
  return node;
}

/** Runs a host import for the worker, the way the inline runtime would call it (links also get the call's context). */
function serveImport(func: WitFunction, fn: FuncValue): ServeFunction {
  const call = fn.call;
  const method = func.kind === 'method';
  const context = (): HostCallContext => { const signal = currentChain()?.signal; return signal ? { signal } : {}; };
  switch (call.kind) {
    case 'function': {
      const f = call.fn;
      if (wantsCallContext(f)) return method ? (self, args) => f(self, ...args, context()) : (_self, args) => f(...args, context());
      return method ? (self, args) => f(self, ...args) : (_self, args) => f(...args);
    }
    case 'construct': return wantsCallContext(call.cls) ? (_self, args) => new call.cls(...args, context()) : (_self, args) => new call.cls(...args);
    case 'method': return (self, args) => {
      const m = (self as Record<string, unknown> | null)?.[call.name];
      if (typeof m !== 'function') throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `the host's ${func.resource?.name ?? 'resource'} has no method ${call.name}`);
      return (m as (...a: unknown[]) => unknown).apply(self, wantsCallContext(m) ? [...args, context()] : args);
    };
    // Core calls link two instances of one thread; the worker's imports are never resolved so.
    case 'core': throw new PluginHostError('ERR_UNSUPPORTED', `internal: ${func.name} was bound to a core call in a worker`);
  }
}

interface Job {
  readonly method: string;
  readonly run: () => Promise<unknown>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly signal: AbortSignal | undefined;
  /** The chain of linked calls this call is a hop of (docs/linking.md). */
  readonly chain: CallChain | undefined;
  settled: boolean;
}

/**
 * Codes after which the worker's instance is unusable: the node ends with the same reason.
 * ERR_LIMIT from the worker is the instance's own (a value over limits.maxValueBytes
 * poisons it); the limits the host counts are enforced outside this connection.
 */
const FATAL: ReadonlySet<ErrorCode> = new Set(['ERR_TRAPPED', 'ERR_PLUGIN_EXITED', 'ERR_LIMIT']);

class WorkerNode implements NodeConnection {
  readonly terminated: Promise<PluginHostError | undefined>;
  readonly ready: Promise<void>;
  readonly capabilities: NodeCapabilities;
  /** Glue the worker generated while starting (see WorkerEvent `ready`). */
  generatedTemplates?: Record<string, Template>;
  #settleTerminated!: (r: PluginHostError | undefined) => void;
  #readiness!: { resolve: () => void; reject: (e: PluginHostError) => void };
  #state: 'starting' | 'running' | 'closing' | 'down' = 'starting';
  #reason: PluginHostError | undefined;
  #worker!: Worker;
  readonly #peer: Peer;
  readonly #queue: Job[] = [];
  #current: Job | undefined;
  readonly #exportIndex = new Map<WitFunction, number>();
  readonly #handles: RemoteHandles;
  readonly #health: PingMonitor | undefined;

  constructor(private readonly context: LaunchContext, readonly world: World, buffer: SharedArrayBuffer, port: MessagePort,
    incoming: IncomingFunction[], hooks: RemoteHandles, health: Health, memoryGauge: SharedArrayBuffer) {
    const plugin = context.name;
    const gauge = new Int32Array(memoryGauge);
    // As of the worker's last call (it cannot be read while the worker runs guest code).
    this.capabilities = { memory: { bytes: () => Atomics.load(gauge, 0) * 65_536 } };
    this.terminated = new Promise((r) => { this.#settleTerminated = r; });
    this.ready = new Promise((resolve, reject) => { this.#readiness = { resolve, reject }; });
    const exports = functionTable(world, 'export');
    exports.forEach((e, i) => this.#exportIndex.set(e.func, i));
    this.#peer = new Peer({
      role: 'host', channel: hostRingChannel(buffer, port), remoteName: `plugin ${plugin}`, errorContext: { plugin },
      handlers: {
        handshake: () => {},
        log: (level, message) => writePluginLog(context.logger, plugin, level, capLogRecord(message)),
        // After SHUTDOWN the worker closing its channel is the stop the host asked for.
        channelClosed: () => this.#terminate(this.#state === 'closing' ? undefined : new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${plugin}'s worker closed its channel`, { plugin })),
        closed: (reason) => { if (reason.code === 'ERR_PROTOCOL') this.#end(reason); },
      },
    });
    this.#handles = hooks;
    // The worker answers pings whenever it reads its ring; while it runs guest code, the call's deadline governs it instead.
    this.#health = health && pingMonitor({
      ...health,
      shouldPing: () => this.#current === undefined && this.#state === 'running',
      unresponsive: (ms) => this.#end(new PluginHostError('ERR_UNRESPONSIVE', `plugin ${plugin}'s worker answered no health ping for ${ms} ms`, { plugin })),
    });
    this.#peer.open({
      outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming, hooks,
      drop: (handle) => hooks.dropHostResource(handle),
      ...(this.#health ? { features: [this.#health.feature] } : {}),
    });
    this.#peer.start();
  }

  attach(worker: Worker): void {
    const plugin = this.context.name;
    this.#worker = worker;
    worker.on('message', (event: WorkerEvent) => {
      if (event.kind === 'log') writePluginLog(this.context.logger, plugin, event.level, capLogRecord(event.message), event.fields);
      else if (event.kind === 'ready') {
        if (event.templates) this.generatedTemplates = event.templates;
        this.#state = 'running';
        this.#health?.start(this.#peer);
        this.#readiness.resolve();
      } else if (event.kind === 'failed') {
        const error = new PluginHostError(event.code as ErrorCode, `plugin ${plugin}: ${event.message}`, { plugin });
        this.#readiness.reject(error);
        this.#end(error);
      }
    });
    worker.on('error', (cause) => {
      const error = new PluginHostError('ERR_TRAPPED', `plugin ${plugin}'s worker failed: ${cause.message}`, { plugin, cause });
      if (this.#state === 'starting') this.#readiness.reject(error);
      this.#end(error);
    });
    worker.on('exit', (code) => {
      if (this.#state === 'closing') {
        this.#terminate(undefined);
        return;
      }
      const error = new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${plugin}'s worker exited (${code})`, { plugin, exitCode: code });
      if (this.#state === 'starting') this.#readiness.reject(error);
      this.#terminate(error);
    });
  }

  call(request: CallRequest): Promise<unknown> {
    const index = this.#exportIndex.get(request.fn);
    if (index === undefined && this.#state === 'running') {
      return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${this.context.name} has no function ${request.fn.name}`, { plugin: this.context.name }));
    }
    // The guest is blocked in a call that led here: entering it again is re-entrance, which
    // traps as the Canonical ABI says, instead of waiting behind that call for ever.
    const chain = currentChain();
    if (chain?.nodes.includes(this.#nodeId)) {
      return Promise.reject(new PluginHostError('ERR_TRAPPED', `cannot enter component instance of plugin ${this.context.name}: it is already on the call stack (${printChain([...chain.nodes, this.#nodeId])}), re-entrance`, { plugin: this.context.name, method: request.fn.name }));
    }
    // No signal to the peer: the worker cannot be interrupted by CANCEL, so the call stays
    // pending until the worker answers, which is what keeps calls one at a time.
    return this.#enqueue(request.fn.name, () => this.#peer.call(index ?? -1, request.self as number | undefined, request.args), request.signal);
  }

  get #nodeId(): string {
    return `${this.context.name}@${this.context.incarnation}`;
  }

  /**
   * Runs the host side of an import the guest called: one more hop of the chain of the call
   * the worker runs (one at a time, so it is exactly the current one), bounded by that
   * call's signal and by the import call's own (the peer closing).
   */
  serveInChain<T>(signal: AbortSignal, serve: () => T): T {
    const job = this.#current;
    return runInChain(job?.chain, this.#nodeId, job?.signal ? AbortSignal.any([signal, job.signal]) : signal, serve);
  }

  /** The worker did not get ready in time (a start function that never returns): it is terminated and the load fails. */
  abandonStart(error: PluginHostError): void {
    if (this.#state !== 'starting') return;
    this.#readiness.reject(error);
    this.#end(error);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.#end(new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${this.context.name} was killed by the host`, { plugin: this.context.name, signal, exitCode: null }));
  }

  drop(local: unknown): Promise<void> {
    if (this.#state !== 'running') return Promise.resolve();
    this.#handles.dropped(local as number);
    return this.#enqueue('drop', () => this.#peer.drop(local as number), undefined) as Promise<void>;
  }

  /**
   * Stops the plugin: queued calls reject, the call in flight may finish, then the worker
   * flushes the guest's output and exits (SHUTDOWN); after `timeoutMs` it is terminated.
   */
  async close(options?: { timeoutMs?: number }): Promise<void> {
    if (this.#state === 'running') {
      this.#state = 'closing';
      const stopped = new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.context.name} was stopped`, { plugin: this.context.name });
      for (const job of this.#queue.splice(0)) {
        if (!job.settled) { job.settled = true; job.reject(this.#refusal(stopped, job.method)); }
      }
      this.#peer.shutdown();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.terminated, new Promise((r) => { timer = setTimeout(r, options?.timeoutMs ?? 2000); })]);
      clearTimeout(timer);
    }
    if (this.#state !== 'down') {
      this.#terminate(undefined);
      await this.#worker.terminate();
    }
    await this.terminated;
  }

  #enqueue(method: string, run: () => Promise<unknown>, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#state !== 'running') {
      const r = this.#reason ?? new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.context.name} is not running`, { plugin: this.context.name });
      return Promise.reject(this.#refusal(r, method));
    }
    if (signal?.aborted) return Promise.reject(abortError(signal, { plugin: this.context.name, method }));
    return new Promise((resolve, reject) => {
      const job: Job = { method, run, resolve, reject, signal, chain: currentChain(), settled: false };
      signal?.addEventListener('abort', () => this.#abort(job), { once: true });
      this.#queue.push(job);
      if (!this.#current) void this.#pump();
    });
  }

  #abort(job: Job): void {
    if (job.settled) return;
    job.settled = true;
    const signal = job.signal!;
    job.reject(abortError(signal, { plugin: this.context.name, method: job.method }));
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      return;
    }
    // Running: the worker is in guest code (or blocked in it on a host import), and only
    // terminating it stops that — for a deadline and a plain abort alike, so an abandoned
    // call never keeps a thread spinning. The plugin's state is lost; the restart policy decides.
    if (job === this.#current) {
      const reason: unknown = signal.reason;
      const why = reason instanceof DOMException && reason.name === 'TimeoutError' ? 'overran its deadline' : 'was aborted';
      this.#end(new PluginHostError('ERR_NODE_INTERRUPTED', `plugin ${this.context.name} was interrupted: ${job.method} ${why}`, { plugin: this.context.name }));
    }
  }

  async #pump(): Promise<void> {
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      if (job.settled) continue;
      this.#current = job;
      try {
        const value = await job.run();
        if (!job.settled) { job.settled = true; job.resolve(value); }
      } catch (e) {
        if (!job.settled) { job.settled = true; job.reject(e); }
        if (isPluginHostError(e) && FATAL.has(e.code) && this.#state === 'running') this.#end(e);
      } finally {
        this.#current = undefined;
      }
    }
  }

  /** Ends the node now: the worker is terminated, everything pending rejects with `reason`. */
  #end(reason: PluginHostError): void {
    if (this.#state === 'down') return;
    this.#terminate(reason);
    void this.#worker.terminate();
  }

  #terminate(reason: PluginHostError | undefined): void {
    if (this.#state === 'down') return;
    this.#state = 'down';
    this.#reason = reason;
    this.#health?.stop();
    const closing = reason ?? new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.context.name} was stopped`, { plugin: this.context.name });
    this.#peer.close(closing);
    for (const job of this.#queue.splice(0)) {
      if (!job.settled) { job.settled = true; job.reject(this.#refusal(closing, job.method)); }
    }
    this.#settleTerminated(reason);
  }

  #refusal(r: PluginHostError, method: string): PluginHostError {
    return new PluginHostError(r.code, r.message, { plugin: this.context.name, method, cause: r, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}) });
  }
}

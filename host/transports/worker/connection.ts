/**
 * The worker transport, host side: the component runs in a worker thread; calls cross a
 * shared-memory channel one at a time. Gains over inline: a call that overruns its deadline
 * (`timeoutMs`) is preempted by terminating the worker, and host imports may be async
 * (the guest blocks while the host thread awaits them). Costs: a thread per plugin and a
 * round trip per call.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { PluginHostError, isPluginHostError } from '../../../common/errors.js';
import { ByteReader, ByteWriter } from '../../../common/codec/bytes.js';
import { compileCodec, type ResourceHooks, type ValueCodec } from '../../../common/codec/value-codec.js';
import type { Definition } from '../../component/binary/ast.js';
import type { Template } from '../../component/canon/templates.js';
import { describeExports } from '../../component/exports.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent, type FuncValue } from '../../component/instantiate.js';
import type { RuntimeResource } from '../../component/runtime/resources.js';
import { Kind } from '../../../common/protocol/messages.js';
import { fromWireCode, toWireCode } from '../../../common/protocol/wire-codes.js';
import { abortError } from '../../system/call.js';
import { unalias } from '../../../common/wit/model.js';
import { describeComponent, prepareComponent, type ComponentPluginOptions } from '../component/connect.js';
import type { ComponentCache } from '../component/persistent-cache.js';
import { errorPayload } from '../../../common/host-objects.js';
import { LOG_INTERFACE, writePluginLog } from '../../capabilities/host-log.js';
import type { CallRequest, FunctionDescription, Logger, NodeConnection, ResourceBridge, ResourceDescription } from '../../system/node-connection.js';
import { Channel, DEFAULT_CAPACITY, State } from './channel.js';
import { collectImports, workerExports } from './tables.js';
import type { WorkerEvent, WorkerInit } from './worker-entry.js';
import { workerScript } from './worker-script.js';

export interface WorkerPluginOptions extends ComponentPluginOptions {
  /** Bytes of the shared call channel; larger messages still work, through a message port. Default 1 MiB. */
  readonly channelBytes?: number;
}

interface Job {
  readonly request: CallRequest;
  readonly payload: Uint8Array;
  readonly result: ValueCodec | undefined;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  settled: boolean;
}

const isLocal = (name: string) => name.startsWith('wasi:') || name.replace(/@.*$/, '') === LOG_INTERFACE;

export async function connectWorker(
  plugin: string, options: WorkerPluginOptions, bridge: ResourceBridge, logger: Logger, componentCache?: ComponentCache,
): Promise<NodeConnection> {
  const { grants, compiled, imports } = await prepareComponent(plugin, options, logger, componentCache);

  // The host thread evaluates the component's types (no guest code runs here).
  const hostCalls: { wireName: string; fn: FuncValue }[] = [];
  const resolve = hostImportResolver(imports, plugin);
  const types = instantiateComponent(compiled, (name, type, space) => {
    const value = resolve(name, type, space);
    if (!isLocal(name)) collectImports(name, value, (wireName, fn) => hostCalls.push({ wireName, fn }));
    return value;
  }, { typesOnly: true });
  for (const c of hostCalls) {
    if (c.fn.call.kind !== 'function') {
      throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${plugin} imports the host resource behind ${c.wireName}; host resources are not available with isolation: 'worker'`, { plugin });
    }
  }
  const exported = describeExports(types);
  const resourcesByType = new Map<RuntimeResource, ResourceDescription>();
  const description = describeComponent(exported, resourcesByType);
  const indexOf = new Map<FunctionDescription, { index: number; fn: FuncValue }>();
  workerExports(exported).forEach((e, index) => {
    indexOf.set(description.interfaces.get(e.interfaceName)!.functions.get(e.name)!, { index, fn: e.fn });
  });

  const hooks: ResourceHooks = {
    encode: (resource, value, own) => {
      const d = resourcesByType.get(resource as RuntimeResource);
      if (!d) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${resource.name} cannot cross to a worker plugin`);
      return bridge.resolve(d, value, own) as number;
    },
    decode: (resource, handle) => {
      const d = resourcesByType.get(resource as RuntimeResource);
      if (!d) throw new PluginHostError('ERR_UNSUPPORTED', `resource ${resource.name} cannot cross from a worker plugin`);
      return bridge.adopt(d, handle);
    },
  };

  const modules: WebAssembly.Module[] = [];
  const visit = (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') modules.push(compiled.modules.get(d)!);
      else if (d.kind === 'component') visit(d.body);
    }
  };
  visit(compiled.definitions);
  const bytes = typeof options.wasm === 'string' ? undefined : options.wasm;
  const { port1, port2 } = new MessageChannel();
  const buffer = Channel.create(options.channelBytes ?? DEFAULT_CAPACITY);
  const init: WorkerInit = {
    plugin, bytes: bytes ?? (await import('node:fs/promises').then((fs) => fs.readFile(options.wasm as string))),
    modules, grants, hostImports: hostCalls.map((c) => c.wireName), buffer, port: port2,
    templates: Object.fromEntries(compiled.templates ?? []),
  };
  const worker = new Worker(workerScript(), { workerData: init, transferList: [port2] });
  const node = new WorkerNode(plugin, worker, new Channel(buffer, port1), description, indexOf, hooks, hostCalls, logger);
  await node.ready;
  if (node.generatedTemplates && compiled.templates) {
    for (const [key, t] of Object.entries(node.generatedTemplates)) compiled.templates.set(key, t);
    await componentCache?.save(compiled, plugin);
  }
  return node;
}

class WorkerNode implements NodeConnection {
  readonly terminated: Promise<PluginHostError | undefined>;
  readonly ready: Promise<void>;
  /** Glue the worker generated while starting (see WorkerEvent `ready`). */
  generatedTemplates?: Record<string, Template>;
  private settleTerminated!: (r: PluginHostError | undefined) => void;
  private state: 'starting' | 'running' | 'down' = 'starting';
  private reason?: PluginHostError;
  private readonly queue: Job[] = [];
  private busy = false;
  private readonly codecs = new Map<number, { args: ValueCodec[]; result?: ValueCodec }>();
  private readonly importCodecs = new Map<number, { args: ValueCodec[]; result?: ValueCodec; isResult: boolean }>();

  constructor(
    private readonly plugin: string, private readonly worker: Worker, private readonly channel: Channel,
    readonly description: NodeConnection['description'], private readonly indexOf: Map<FunctionDescription, { index: number; fn: FuncValue }>,
    private readonly hooks: ResourceHooks, private readonly hostCalls: { wireName: string; fn: FuncValue }[], logger: Logger,
  ) {
    this.terminated = new Promise((r) => { this.settleTerminated = r; });
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (event: WorkerEvent) => {
        if (event.kind === 'log') writePluginLog(logger, plugin, event.level, event.message, event.fields);
        else if (event.kind === 'ready') {
          if (event.templates) this.generatedTemplates = event.templates;
          this.state = 'running';
          resolve();
        } else if (event.kind === 'failed') {
          const error = new PluginHostError(event.code as never, `plugin ${plugin}: ${event.message}`, { plugin });
          reject(error);
          this.terminate(error);
        }
      });
      worker.on('error', (cause) => {
        const error = new PluginHostError('ERR_TRAPPED', `plugin ${plugin}'s worker failed: ${cause.message}`, { plugin, cause });
        if (this.state === 'starting') reject(error);
        this.terminate(error);
      });
      worker.on('exit', (code) => {
        const error = new PluginHostError('ERR_NODE_TERMINATED', `plugin ${plugin}'s worker exited (${code})`, { plugin });
        if (this.state === 'starting') reject(error);
        this.terminate(this.reason ?? error);
      });
    });
  }

  call(request: CallRequest): Promise<unknown> {
    if (this.state !== 'running') return Promise.reject(this.refusal());
    const target = this.indexOf.get(request.fn);
    if (!target) return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${this.plugin} has no function ${request.fn.name}`));
    const codecs = this.codecsFor(target.index, target.fn, request.fn.kind === 'method');
    const w = new ByteWriter(64);
    try {
      w.u8(Kind.CALL);
      w.uleb(target.index);
      if (request.fn.kind === 'method') w.uleb(request.self as number);
      codecs.args.forEach((c, i) => c.encode(w, request.args[i]));
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const job: Job = { request, payload: w.view_(), result: codecs.result, resolve, reject, settled: false };
      const signal = request.signal;
      if (signal) {
        signal.addEventListener('abort', () => this.abort(job, signal), { once: true });
      }
      this.queue.push(job);
      if (!this.busy) void this.pump();
    });
  }

  drop(local: unknown): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    const w = new ByteWriter(8);
    w.u8(Kind.DROP);
    w.uleb(local as number);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { interfaceName: '', fn: { name: 'drop' } as FunctionDescription, args: [] }, payload: w.view_(), result: undefined, resolve: () => resolve(), reject, settled: false });
      if (!this.busy) void this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.state === 'down') return;
    this.terminate(undefined);
    await this.worker.terminate();
  }

  private abort(job: Job, signal: AbortSignal): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    job.settled = true;
    job.reject(abortError(signal, { plugin: this.plugin, method: job.request.fn.name }));
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return;
    }
    // Running: a deadline preempts the plugin (its state is lost); a plain abort lets it finish unseen.
    const reason: unknown = signal.reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      const error = new PluginHostError('ERR_TIMEOUT', `plugin ${this.plugin} was stopped: ${job.request.fn.name} overran its deadline`, { plugin: this.plugin });
      this.terminate(error);
      void this.worker.terminate();
    }
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.settled) continue;
        if (this.state !== 'running') {
          job.settled = true;
          job.reject(this.refusal());
          continue;
        }
        await this.run(job);
      }
    } finally {
      this.busy = false;
    }
  }

  /** The job the worker is running now. */
  private current?: Job;

  private async run(job: Job): Promise<void> {
    this.current = job;
    try {
      await this.exchange(job);
    } finally {
      this.current = undefined;
    }
  }

  private async exchange(job: Job): Promise<void> {
    this.channel.send(State.REQUEST, job.payload);
    for (;;) {
      const state = await this.waitWhile(this.channel.state === State.IMPORT_DONE ? State.IMPORT_DONE : State.REQUEST);
      if (state === undefined) return; // the node went down; terminate() settled the job
      if (state === State.IMPORT) {
        await this.serveImport();
        continue;
      }
      if (state !== State.RESPONSE) continue;
      const reply = new ByteReader(this.channel.receive());
      this.channel.setState(State.IDLE);
      const kind = reply.u8();
      if (kind === Kind.RETURN) {
        let value: unknown;
        try {
          value = job.result?.decode(reply);
        } catch (e) {
          this.settle(job, undefined, e);
          return;
        }
        this.settle(job, value);
        return;
      }
      const code = fromWireCode(reply.uleb());
      const message = reply.string();
      const data = reply.string();
      const exitCode = data ? (JSON.parse(data) as { exitCode?: number }).exitCode : undefined;
      const error = new PluginHostError(code, `${this.plugin}: ${message}`, { plugin: this.plugin, method: job.request.fn.name, ...(exitCode !== undefined ? { exitCode } : {}) });
      this.settle(job, undefined, error);
      if (code === 'ERR_TRAPPED' || code === 'ERR_PLUGIN_EXITED') {
        this.terminate(error);
        void this.worker.terminate();
      }
      return;
    }
  }

  /** Resolves with the new state once it differs from `value`, or undefined if the node goes down. */
  private async waitWhile(value: number): Promise<number | undefined> {
    const r = Atomics.waitAsync(this.channel.control, 0, value);
    if (r.async) {
      const outcome = await Promise.race([r.value, this.terminated.then(() => 'down' as const)]);
      if (outcome === 'down') return undefined;
    }
    return this.state === 'down' ? undefined : this.channel.state;
  }

  private async serveImport(): Promise<void> {
    const r = new ByteReader(this.channel.receive());
    r.u8();
    const index = r.uleb();
    const host = this.hostCalls[index]!;
    const c = this.importCodecsFor(index, host.fn);
    const out = new ByteWriter(64);
    try {
      const args = c.args.map((codec) => codec.decode(r));
      let value: unknown;
      try {
        value = await (host.fn.call as { fn: (...a: unknown[]) => unknown }).fn(...args);
        if (c.isResult) value = { tag: 'ok', val: value };
      } catch (e) {
        const p = c.isResult ? errorPayload(e) : { isPayload: false as const };
        if (!p.isPayload) throw e;
        value = { tag: 'err', val: p.payload };
      }
      out.u8(Kind.RETURN);
      c.result?.encode(out, value);
    } catch (e) {
      out.pos = 0;
      out.u8(Kind.ERROR);
      out.uleb(toWireCode(isPluginHostError(e) ? e.code : 'ERR_REMOTE'));
      out.string(`host function ${host.wireName} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (this.state === 'down') return;
    this.channel.send(State.IMPORT_DONE, out.view_());
  }

  private codecsFor(index: number, fn: FuncValue, method: boolean): { args: ValueCodec[]; result?: ValueCodec } {
    let c = this.codecs.get(index);
    if (!c) {
      const params = method ? fn.sig.params.slice(1) : fn.sig.params;
      c = { args: params.map((p) => compileCodec(p.type, this.hooks, p.name)), ...(fn.sig.result ? { result: compileCodec(fn.sig.result, this.hooks, 'result') } : {}) };
      this.codecs.set(index, c);
    }
    return c;
  }

  private importCodecsFor(index: number, fn: FuncValue) {
    let c = this.importCodecs.get(index);
    if (!c) {
      c = {
        args: fn.sig.params.map((p) => compileCodec(p.type, this.hooks, p.name)),
        ...(fn.sig.result ? { result: compileCodec(fn.sig.result, this.hooks, `result of ${fn.name}`) } : {}),
        isResult: fn.sig.result !== undefined && unalias(fn.sig.result).kind === 'result',
      };
      this.importCodecs.set(index, c);
    }
    return c;
  }

  private settle(job: Job, value: unknown, error?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (error !== undefined) job.reject(error);
    else job.resolve(value);
  }

  private refusal(): PluginHostError {
    const r = this.reason;
    return new PluginHostError(r?.code ?? 'ERR_NODE_TERMINATED', `plugin ${this.plugin} is not running${r ? `: ${r.message}` : ''}`, {
      plugin: this.plugin, ...(r ? { cause: r } : {}), ...(r?.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
    });
  }

  private terminate(reason: PluginHostError | undefined): void {
    if (this.state === 'down') return;
    this.state = 'down';
    this.reason = reason;
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    for (const job of jobs) if (!job.settled) { job.settled = true; job.reject(this.refusal()); }
    this.settleTerminated(reason);
  }
}

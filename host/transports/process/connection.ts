/**
 * The subprocess transport: one child process, one framed protocol channel (docs/protocol.md).
 *
 * States: `handshake` → `open` → `closing` → `down`. Every call the host sends ends in
 * exactly one of: its RETURN, its ERROR, the caller's abort, or the node going down (exit,
 * kill, protocol violation, close). Whatever the child does (crash, hang, lie in its
 * handshake, flood the channel, exit mid-call), the host process stays up.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { isPluginHostError, PluginHostError, type ErrorCode } from '../../../common/errors.js';
import { ByteReader, ByteWriter, WireError } from '../../../common/codec/bytes.js';
import { compileCodec, type ResourceHooks, type ValueCodec } from '../../../common/codec/value-codec.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameTooLargeError } from '../../../common/protocol/frames.js';
import { FrameWriter } from '../../../common/protocol/frame-writer.js';
import { functionTable, type TableEntry } from '../../../common/protocol/function-table.js';
import {
  beginMessage, CODEC, decodeMessage, encodeError, encodeJson, encodeSimple, Kind, PROTOCOL_VERSION, type Message,
} from '../../../common/protocol/messages.js';
import { fromWireCode, toWireCode } from '../../../common/protocol/wire-codes.js';
import { abortError } from '../../system/call.js';
import type { ResourceType, WitFunction, World } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import type { HostImports } from '../../../common/host-objects.js';
import { errorPayload, resolveHostCall, type HostCall } from '../../../common/host-objects.js';
import { LOG_INTERFACE, logImport, writePluginLog } from '../../capabilities/host-log.js';
import type {
  CallRequest, FunctionDescription, Logger, NodeConnection, NodeDescription, ResourceBridge, ResourceDescription,
} from '../../system/node-connection.js';
import { describeWorld } from './describe.js';
import { checkHello, type Expectation } from './handshake.js';
import { HostResourceTable } from './host-resources.js';

export interface ConnectionOptions {
  readonly plugin: string;
  readonly child: ChildProcess;
  readonly channel: Socket;
  readonly bridge: ResourceBridge;
  readonly logger: Logger;
  readonly expectation: Expectation;
  readonly imports: HostImports;
  readonly handshakeTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxFrameBytes?: number;
}

interface Pending {
  readonly decode: ValueCodec | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Set once the caller gave up (abort): a late reply is consumed silently. */
  abandoned: boolean;
  cleanup: (() => void) | undefined;
  readonly method: string;
}

interface FunctionCodecs {
  readonly args: ValueCodec;
  readonly result?: ValueCodec;
}

const STALL_MS = 30_000;

export class ProcessConnection implements NodeConnection {
  description!: NodeDescription;
  readonly terminated: Promise<PluginHostError | undefined>;
  private settleTerminated!: (reason: PluginHostError | undefined) => void;
  private state: 'handshake' | 'open' | 'closing' | 'down' = 'handshake';
  private reason?: PluginHostError;
  private readonly decoder: FrameDecoder;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly writer: FrameWriter;
  private exportTable: TableEntry[] = [];
  private importTable: TableEntry[] = [];
  private readonly exportIndex = new Map<WitFunction, number>();
  private readonly codecs = new Map<WitFunction, FunctionCodecs>();
  private readonly hostCalls = new Map<number, HostCall>();
  private readonly descriptions = new Map<WitFunction, FunctionDescription>();
  private readonly byResource = new Map<ResourceType, ResourceDescription>();
  private readonly adopted = new Map<number, unknown>();
  private readonly hostResources = new HostResourceTable();
  private readonly hooks: ResourceHooks;
  private handshake!: { resolve: () => void; reject: (e: PluginHostError) => void; timer: NodeJS.Timeout };
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly killOnExit = () => { this.options.child.kill('SIGKILL'); };

  constructor(private readonly options: ConnectionOptions) {
    this.decoder = new FrameDecoder(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.writer = new FrameWriter(options.channel);
    this.terminated = new Promise((r) => { this.settleTerminated = r; });
    this.hooks = this.resourceHooks();
  }

  /** Resolves after a successful handshake; rejects (and kills the child) otherwise. */
  start(): Promise<this> {
    const { child, channel, plugin } = this.options;
    process.once('exit', this.killOnExit);
    const handshake = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new PluginHostError('ERR_HANDSHAKE', `plugin ${plugin} did not complete its handshake within ${this.options.handshakeTimeoutMs} ms`, { plugin }));
      }, this.options.handshakeTimeoutMs);
      this.handshake = { resolve, reject, timer };
    });
    channel.on('data', (chunk: Buffer) => this.onData(chunk));
    channel.on('error', () => { /* the exit or close that follows decides */ });
    channel.on('close', () => this.onChannelClosed());
    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.on('error', (cause) => {
      this.fail(new PluginHostError('ERR_LOAD_FAILED', `plugin ${plugin} could not be started: ${cause.message}`, { plugin, cause }));
    });
    return handshake.then(() => this);
  }

  // ---------------------------------------------------------------- NodeConnection

  call(request: CallRequest): Promise<unknown> {
    if (this.state !== 'open') return Promise.reject(this.refusal(request.fn.name));
    const entry = this.functionFor(request.fn);
    if (entry === undefined) {
      return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${this.options.plugin} has no function ${request.fn.name}`));
    }
    const { func, index } = entry;
    const codecs = this.codecsFor(func, 'export');
    const id = this.nextId++;
    const w = ByteWriter.framed(64);
    try {
      beginMessage(w, Kind.CALL, id);
      w.uleb(index);
      if (func.kind === 'method') w.uleb(request.self as number);
      codecs.args.encode(w, request.args);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { decode: codecs.result, resolve, reject, abandoned: false, method: func.name, cleanup: undefined };
      const signal = request.signal;
      if (signal) {
        const onAbort = () => {
          if (pending.abandoned || !this.pending.has(id)) return;
          pending.abandoned = true;
          pending.cleanup?.();
          reject(abortError(signal, { plugin: this.options.plugin, method: func.name }));
          if (this.state === 'open') this.send(encodeSimple(Kind.CANCEL, id));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(id, pending);
      this.writer.writeFrame(w.frame());
    });
  }

  drop(local: unknown): Promise<void> {
    if (this.state !== 'open') return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { decode: undefined, resolve: () => resolve(), reject, abandoned: false, method: 'drop', cleanup: undefined });
      this.send(encodeSimple(Kind.DROP, id, local as number));
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.state !== 'down') this.options.child.kill(signal);
  }

  /** The plugin process id. */
  get pid(): number | undefined {
    return this.options.child.pid;
  }

  async close(options?: { timeoutMs?: number }): Promise<void> {
    if (this.state === 'down' || this.state === 'closing') {
      await this.terminated;
      return;
    }
    const { child, channel, plugin } = this.options;
    this.state = 'closing';
    this.rejectAll(new PluginHostError('ERR_NODE_TERMINATED', `plugin ${plugin} was stopped`, { plugin }));
    this.send(encodeSimple(Kind.SHUTDOWN));
    channel.end();
    const timeout = options?.timeoutMs ?? this.options.shutdownTimeoutMs;
    const exited = this.waitForExit(timeout);
    if (!(await exited)) {
      child.kill('SIGTERM');
      if (!(await this.waitForExit(1000))) child.kill('SIGKILL');
    }
    await this.terminated;
  }

  // ---------------------------------------------------------------- incoming

  private onData(chunk: Buffer): void {
    if (this.state === 'down') return;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      const detail = e instanceof FrameTooLargeError ? e.message : String(e);
      this.protocolError(detail);
      return;
    }
    for (const frame of frames) {
      if ((this.state as string) === 'down') return;
      try {
        this.onMessage(decodeMessage(frame));
      } catch (e) {
        if (e instanceof WireError) this.protocolError(e.message);
        else if (isPluginHostError(e) && (e.code === 'ERR_HANDSHAKE' || e.code === 'ERR_WORLD_MISMATCH' || e.code === 'ERR_IMPORT_MISSING')) this.rejectHandshake(e);
        else this.protocolError(`cannot process a message: ${(e as Error).message}`);
      }
    }
    this.watchStall();
  }

  /** A partial frame that never completes means a stuck or broken peer. */
  private watchStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    if (this.decoder.pending && this.state !== 'down') {
      this.stallTimer = setTimeout(() => this.protocolError(`a frame stayed incomplete for ${STALL_MS} ms`), STALL_MS);
      this.stallTimer.unref();
    }
  }

  private onMessage(m: Message): void {
    if (this.state === 'handshake') {
      if (m.kind !== Kind.HELLO) throw new WireError(`expected HELLO first, got message kind 0x${m.kind.toString(16)}`);
      this.onHello(m.hello);
      return;
    }
    switch (m.kind) {
      case Kind.RETURN: this.onReturn(m.id, m.body); return;
      case Kind.ERROR: this.onError(m.id, m.code, m.message, m.data); return;
      case Kind.CALL: void this.onCall(m.id, m.fn, m.body); return;
      case Kind.CANCEL: return; // host functions run to completion; the reply is ignored by the plugin
      case Kind.DROP: this.onDrop(m.id, m.handle); return;
      case Kind.LOG: writePluginLog(this.options.logger, this.options.plugin, m.level, m.message); return;
      default: throw new WireError(`message kind 0x${m.kind.toString(16)} is not valid after the handshake`);
    }
  }

  private onHello(hello: unknown): void {
    const { plugin } = this.options;
    const world = checkHello(plugin, hello, this.options.expectation);
    this.exportTable = functionTable(world, 'export');
    this.importTable = functionTable(world, 'import');
    this.exportTable.forEach((e, i) => this.exportIndex.set(e.func, i));
    const imports = { [LOG_INTERFACE]: logImport(this.options.logger, plugin), ...this.options.imports };
    const missing: string[] = [];
    this.importTable.forEach((e, i) => {
      const call = resolveHostCall(imports, e.interfaceKey, e.func);
      if (call) this.hostCalls.set(i, call);
      else missing.push(e.wireName);
    });
    if (missing.length > 0) {
      throw new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${missing.join(', ')}, which the host does not provide`, { plugin });
    }
    this.description = describeWorld(world, this.byResource, this.descriptions);
    for (const [func, d] of this.descriptions) {
      const index = this.exportIndex.get(func);
      if (index !== undefined) this.callable.set(d, { func, index });
    }
    this.worldOf = world;
    this.send(encodeJson(Kind.WELCOME, {
      protocol: PROTOCOL_VERSION, codec: CODEC,
      exports: this.exportTable.map((e) => e.wireName), imports: this.importTable.map((e) => e.wireName),
    }));
    clearTimeout(this.handshake.timer);
    this.state = 'open';
    this.handshake.resolve();
  }

  /** The world the plugin declared (after the handshake). */
  worldOf?: World;

  private onReturn(id: number, body: ByteReader): void {
    const p = this.takePending(id);
    if (!p) return;
    let value: unknown;
    try {
      value = p.decode ? p.decode.decode(body) : undefined;
      if (body.remaining !== 0) throw new WireError(`${body.remaining} trailing bytes after the result of ${p.method}`);
    } catch (e) {
      if (!p.abandoned) p.reject(new PluginHostError('ERR_PROTOCOL', `plugin ${this.options.plugin} sent a malformed result for ${p.method}`, { cause: e }));
      throw e;
    }
    if (!p.abandoned) p.resolve(value);
  }

  private onError(id: number, wireCode: number, message: string, data: string): void {
    const p = this.takePending(id);
    if (!p || p.abandoned) return;
    const code: ErrorCode = fromWireCode(wireCode);
    let remote: { name: string; message: string; stack?: string } | undefined;
    if (data) {
      try {
        const parsed = JSON.parse(data) as { name?: unknown; stack?: unknown };
        remote = { name: String(parsed.name ?? 'Error'), message, ...(typeof parsed.stack === 'string' ? { stack: parsed.stack } : {}) };
      } catch {
        // Details are optional diagnostics; a bad JSON blob does not invalidate the error.
      }
    }
    p.reject(new PluginHostError(code, `${this.options.plugin}: ${message}`, { plugin: this.options.plugin, method: p.method, ...(remote ? { remote } : {}) }));
  }

  private takePending(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) throw new WireError(`reply to call ${id}, which the host never made or already settled`);
    this.pending.delete(id);
    p.cleanup?.();
    return p;
  }

  private async onCall(id: number, fnIndex: number, body: ByteReader): Promise<void> {
    const entry = this.importTable[fnIndex];
    const call = this.hostCalls.get(fnIndex);
    if (!entry || !call) {
      this.send(encodeError(id, toWireCode('ERR_UNKNOWN_FUNCTION'), `the host has no import function #${fnIndex}`));
      return;
    }
    const func = entry.func;
    const codecs = this.codecsFor(func, 'import');
    let self: unknown;
    if (func.kind === 'method') self = this.hooks.decode(unalias(func.resource!) as ResourceType, body.uleb(), false);
    const args = codecs.args.decode(body) as unknown[];
    if (body.remaining !== 0) throw new WireError(`${body.remaining} trailing bytes after the arguments of ${entry.wireName}`);
    const isResult = func.result !== undefined && unalias(func.result).kind === 'result';
    let value: unknown;
    try {
      value = await call(self, args);
      if (isResult) value = { tag: 'ok', val: value };
    } catch (e) {
      const p = isResult ? errorPayload(e) : { isPayload: false as const };
      if (!p.isPayload) {
        if (this.state === 'open') {
          this.send(encodeError(id, toWireCode(isPluginHostError(e) ? e.code : 'ERR_REMOTE'), (e as Error)?.message ?? String(e), JSON.stringify({ name: (e as Error)?.name })));
        }
        return;
      }
      value = { tag: 'err', val: p.payload };
    }
    if (this.state !== 'open') return;
    const w = ByteWriter.framed(64);
    try {
      beginMessage(w, Kind.RETURN, id);
      if (codecs.result) codecs.result.encode(w, value);
    } catch (e) {
      this.send(encodeError(id, toWireCode('ERR_REMOTE'), `host function ${entry.wireName} returned a value that does not match its WIT type: ${(e as Error).message}`));
      return;
    }
    this.writer.writeFrame(w.frame());
  }

  private onDrop(id: number, handle: number): void {
    try {
      this.hostResources.drop(handle);
      this.send(encodeSimple(Kind.RETURN, id));
    } catch (e) {
      this.send(encodeError(id, toWireCode('ERR_ACTOR_STOPPED'), (e as Error).message));
    }
  }

  // ---------------------------------------------------------------- codecs and resources

  private functionFor(fn: FunctionDescription): { func: WitFunction; index: number } | undefined {
    return this.callable.get(fn);
  }

  /** Description → export function and its table index, filled at the handshake. */
  private readonly callable = new Map<FunctionDescription, { func: WitFunction; index: number }>();

  private codecsFor(func: WitFunction, direction: 'import' | 'export'): FunctionCodecs {
    let c = this.codecs.get(func);
    if (!c) {
      const params = func.kind === 'method' ? func.params.slice(1) : func.params;
      const prefix = direction === 'import' ? `${func.name}: ` : '';
      const parts = params.map((p) => compileCodec(p.type, this.hooks, `${prefix}${camelCase(p.name)}`));
      const args: ValueCodec = {
        encode: (w, v) => {
          const list = v as unknown[];
          for (let i = 0; i < parts.length; i++) parts[i]!.encode(w, list[i]);
        },
        decode: (r) => parts.map((part) => part.decode(r)),
      };
      c = { args, ...(func.result ? { result: compileCodec(func.result, this.hooks, 'result') } : {}) };
      this.codecs.set(func, c);
    }
    return c;
  }

  private resourceHooks(): ResourceHooks {
    return {
      encode: (resource, value, own, path) => {
        const d = this.byResource.get(resource);
        if (d) return this.options.bridge.resolve(d, value, own) as number;
        if (value === null || typeof value !== 'object') {
          throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected a ${resource.name} object`);
        }
        return this.hostResources.add(value);
      },
      decode: (resource, handle, own) => {
        const d = this.byResource.get(resource);
        if (d) {
          if (!own) return this.adopted.get(handle) ?? handle;
          const proxy = this.options.bridge.adopt(d, handle);
          this.adopted.set(handle, proxy);
          return proxy;
        }
        const value = this.hostResources.get(handle);
        if (own) this.hostResources.drop(handle);
        return value;
      },
    };
  }

  // ---------------------------------------------------------------- output and failure

  private send(payload: Uint8Array): void {
    this.writer.write(payload);
  }

  private refusal(method: string): PluginHostError {
    const { plugin } = this.options;
    if (this.reason) {
      return new PluginHostError(this.reason.code, `plugin ${plugin} is not running: ${this.reason.message}`, {
        plugin, method, cause: this.reason,
        ...(this.reason.exitCode !== undefined ? { exitCode: this.reason.exitCode } : {}),
        ...(this.reason.signal !== undefined ? { signal: this.reason.signal } : {}),
      });
    }
    return new PluginHostError('ERR_NODE_TERMINATED', `plugin ${plugin} is not running`, { plugin, method });
  }

  private rejectAll(reason: PluginHostError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      p.cleanup?.();
      if (p.abandoned) continue;
      p.reject(new PluginHostError(reason.code, reason.message, {
        plugin: this.options.plugin, method: p.method, cause: reason,
        ...(reason.exitCode !== undefined ? { exitCode: reason.exitCode } : {}),
        ...(reason.signal !== undefined ? { signal: reason.signal } : {}),
      }));
    }
  }

  private protocolError(detail: string): void {
    this.fail(new PluginHostError('ERR_PROTOCOL', `plugin ${this.options.plugin} broke the protocol: ${detail}`, { plugin: this.options.plugin }));
  }

  private rejectHandshake(error: PluginHostError): void {
    this.send(encodeJson(Kind.REJECT, { code: error.code, message: error.message }));
    this.fail(error);
  }

  /** Ends the node with `reason`: the child is killed, everything pending rejects. */
  private fail(reason: PluginHostError): void {
    if (this.state === 'down') return;
    this.options.child.kill('SIGKILL');
    this.terminate(reason);
  }

  private terminate(reason: PluginHostError | undefined): void {
    if (this.state === 'down') return;
    const wasHandshake = this.state === 'handshake';
    this.state = 'down';
    this.reason = reason;
    clearTimeout(this.handshake?.timer);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    process.removeListener('exit', this.killOnExit);
    this.options.channel.destroy();
    this.rejectAll(reason ?? new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.options.plugin} was stopped`, { plugin: this.options.plugin }));
    if (wasHandshake) {
      this.handshake.reject(reason ?? new PluginHostError('ERR_HANDSHAKE', `plugin ${this.options.plugin} stopped during its handshake`));
    }
    this.settleTerminated(reason);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const { plugin } = this.options;
    this.exited = true;
    if (this.state === 'closing') {
      this.terminate(undefined);
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const during = this.state === 'handshake' ? ' before completing its handshake' : '';
    this.terminate(new PluginHostError(this.state === 'handshake' ? 'ERR_HANDSHAKE' : 'ERR_PLUGIN_EXITED', `plugin ${plugin} ${how}${during}`, {
      plugin, exitCode: code, signal,
    }));
  }

  private exited = false;

  private onChannelClosed(): void {
    if (this.state === 'down' || this.state === 'closing' || this.exited) return;
    // The child closed its end but may still be running: give it a moment to exit, else kill it.
    const timer = setTimeout(() => this.protocolError('the plugin closed its protocol channel'), 1000);
    timer.unref();
    void this.terminated.then(() => clearTimeout(timer));
  }

  private waitForExit(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.terminated.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * The process-guest SDK: implement a WIT world in JavaScript/TypeScript and serve it to a
 * plugin-actors host over the protocol channel (docs/protocol.md).
 *
 * Example:
 *   import { serve } from 'plugin-actors/guest';
 *   const plugin = await serve({
 *     wit: new URL('../wit', import.meta.url),
 *     world: 'example:greeter/greeter',
 *     exports: {
 *       'example:greeter/api': {
 *         greet: (name) => `Hello, ${name}!`,
 *         Counter: class { constructor(start) { this.n = start; } increment(by) { return (this.n += by); } },
 *       },
 *     },
 *   });
 *   plugin.log('info', 'ready');
 *
 * Values use the same JS mapping as wasm plugins (jco's). A function returning a WIT
 * `result` returns the ok value and throws for err: `throw new ResultError(payload)`.
 * Functions may be async. Each receives, after its WIT parameters, a `CallContext` whose
 * `signal` aborts when the host cancels the call. Stdout and stderr are free for printing:
 * the host logs them.
 */
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PluginHostError, isPluginHostError } from '../../common/errors.js';
import { ByteReader, ByteWriter, WireError } from '../../common/codec/bytes.js';
import { compileCodec, type ResourceHooks, type ValueCodec } from '../../common/codec/value-codec.js';
import { FrameDecoder } from '../../common/protocol/frames.js';
import { FrameWriter } from '../../common/protocol/frame-writer.js';
import { functionTable, type TableEntry } from '../../common/protocol/function-table.js';
import {
  beginMessage, CODEC, decodeMessage, encodeError, encodeJson, encodeLog, encodeSimple, Kind, PROTOCOL_VERSION,
  type LogLevel, type Welcome,
} from '../../common/protocol/messages.js';
import { fromWireCode, toWireCode } from '../../common/protocol/wire-codes.js';
import { errorPayload, resolveHostCall, type HostCall } from '../../common/host-objects.js';
import { loadWit, parseWitSource, selectWorld } from '../../common/wit/load.js';
import type { Resolved, ResourceType, WitFunction, World } from '../../common/wit/model.js';
import { unalias, worldId } from '../../common/wit/model.js';
import { camelCase } from '../../common/wit/names.js';
import { printPackages } from '../../common/wit/print.js';
import { hostWitDir } from '../../common/package-files.js';
import { GuestResources } from './guest-resources.js';

export interface ServeOptions {
  /** WIT file or directory (path or file: URL). Either this or `witSource`. */
  readonly wit?: string | URL;
  /** WIT text (may hold several `package … { }` blocks). */
  readonly witSource?: string;
  /** The world this plugin implements; optional when the WIT defines one. */
  readonly world?: string;
  /** Implementations, keyed by interface name (`ns:pkg/iface`) or world-level function name. */
  readonly exports: Readonly<Record<string, unknown>>;
}

/** Thrown by an implementation to return the `err` case of a WIT `result`. */
export class ResultError extends Error {
  constructor(readonly payload: unknown) {
    super(typeof payload === 'string' ? payload : 'result error');
  }
}

export interface CallContext {
  /** Aborted when the host cancels the call (its caller gave up or timed out). */
  readonly signal: AbortSignal;
}

/**
 * A call being served. Its AbortController is made only if the implementation asks for the
 * signal, since most calls never do.
 */
class InflightCall implements CallContext {
  private controller?: AbortController;
  cancelled = false;

  constructor(private readonly id: number, private readonly registry: Map<number, InflightCall>) {
    registry.set(id, this);
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.cancelled && !this.controller.signal.aborted) this.controller.abort(new Error('cancelled by the host'));
    return this.controller.signal;
  }

  cancel(reason = 'cancelled by the host'): void {
    this.cancelled = true;
    this.controller?.abort(new Error(reason));
  }

  end(): void {
    this.registry.delete(this.id);
  }
}

export interface ServedPlugin {
  /** Calls into the host's implementations of the world's imports (each returns a Promise). */
  readonly imports: Readonly<Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>>;
  /** Writes a log record into the host's logger. */
  log(level: LogLevel, message: string): void;
  /** Resolves when the host shut the plugin down (the process exits right after). */
  readonly closed: Promise<void>;
}

const ENV_FD = 'PLUGIN_ACTORS_FD';

/** Connects to the host and serves calls until the host closes the channel. */
export async function serve(options: ServeOptions): Promise<ServedPlugin> {
  const fdText = process.env[ENV_FD];
  if (!fdText) {
    process.stderr.write('This program is a plugin-actors plugin: a host application starts it (PLUGIN_ACTORS_FD is not set).\n');
    process.exit(1);
  }
  const { world, packages } = await loadWorld(options);
  const wit = printPackages(packages, world.package);
  const channel = new Socket({ fd: Number(fdText), readable: true, writable: true });
  const server = new GuestServer(channel, world, options.exports);
  server.send(encodeJson(Kind.HELLO, {
    protocol: [PROTOCOL_VERSION], codecs: [CODEC], world: worldId(world), wit, sdk: 'plugin-actors-node/0.1.0',
  }));
  await server.welcomed;
  return server.api();
}

async function loadWorld(options: ServeOptions): Promise<{ world: World; packages: Resolved['packages'] }> {
  let resolved: Resolved;
  if (options.witSource !== undefined) {
    resolved = parseWitSource(options.witSource);
  } else if (options.wit !== undefined) {
    const path = options.wit instanceof URL ? fileURLToPath(options.wit) : options.wit;
    resolved = await loadWit(path, { deps: [hostWitDir()] });
  } else {
    throw new PluginHostError('ERR_INVALID_OPTION', 'serve() needs `wit` (a path) or `witSource` (WIT text)');
  }
  return { world: selectWorld(resolved, options.world), packages: resolved.packages };
}

interface Pending {
  readonly decode?: ValueCodec;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly name: string;
}

class GuestServer {
  readonly welcomed: Promise<void>;
  private readonly readyForCalls: Promise<void>;
  private ready = false;
  private welcome!: { resolve: () => void };
  private readonly decoder = new FrameDecoder();
  private exportsByIndex: { entry: TableEntry; call: HostCall }[] = [];
  private importIndex = new Map<string, number>();
  private readonly codecs = new Map<WitFunction, { args: ValueCodec; result?: ValueCodec }>();
  private readonly resources = new GuestResources();
  private readonly exported: Set<ResourceType>;
  private readonly inflight = new Map<number, InflightCall>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private shuttingDown = false;
  private resolveClosed!: () => void;
  readonly closed = new Promise<void>((r) => { this.resolveClosed = r; });
  private readonly hooks: ResourceHooks;
  private readonly writer: FrameWriter;

  constructor(private readonly channel: Socket, private readonly world: World, private readonly implementations: Readonly<Record<string, unknown>>) {
    this.exported = new Set(functionTable(world, 'export').flatMap((e) => (e.func.resource ? [e.func.resource] : [])));
    this.hooks = this.resourceHooks();
    this.writer = new FrameWriter(channel);
    this.welcomed = new Promise((resolve) => { this.welcome = { resolve }; });
    this.readyForCalls = this.welcomed.then(() => new Promise<void>((resolve) => setImmediate(() => {
      this.ready = true;
      resolve();
    })));
    channel.on('data', (chunk: Buffer) => this.onData(chunk));
    channel.on('error', () => this.exit(0));
    // The host went away (or closed the channel): nothing left to serve, no orphan left behind.
    channel.on('end', () => this.exit(0));
    channel.on('close', () => this.exit(0));
  }

  send(payload: Uint8Array): void {
    this.writer.write(payload);
  }

  private exit(code: number): void {
    this.resolveClosed();
    for (const c of this.inflight.values()) c.cancel('the host closed the connection');
    // Let pending writes and the closed listeners run, then leave.
    setImmediate(() => process.exit(code));
  }

  private onData(chunk: Buffer): void {
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      process.stderr.write(`plugin-actors: the host sent a bad frame (${(e as Error).message}); exiting\n`);
      this.exit(70);
      return;
    }
    for (const frame of frames) {
      try {
        this.onMessage(frame);
      } catch (e) {
        process.stderr.write(`plugin-actors: protocol error from the host (${(e as Error).message}); exiting\n`);
        this.exit(70);
        return;
      }
    }
  }

  private onMessage(frame: Uint8Array): void {
    const m = decodeMessage(frame);
    switch (m.kind) {
      case Kind.WELCOME: this.onWelcome(m.welcome); return;
      case Kind.REJECT:
        process.stderr.write(`plugin-actors: the host refused this plugin: ${m.reject.code}: ${m.reject.message}\n`);
        this.exit(1);
        return;
      case Kind.CALL: void this.onCall(m.id, m.fn, m.body); return;
      case Kind.RETURN: this.onReturn(m.id, m.body); return;
      case Kind.ERROR: this.onError(m.id, m.code, m.message); return;
      case Kind.CANCEL: this.inflight.get(m.id)?.cancel(); return;
      case Kind.DROP: this.onDrop(m.id, m.handle); return;
      case Kind.SHUTDOWN: void this.shutdown(); return;
      default: throw new WireError(`unexpected message kind 0x${m.kind.toString(16)}`);
    }
  }

  private onWelcome(welcome: Welcome): void {
    if (welcome.protocol !== PROTOCOL_VERSION || welcome.codec !== CODEC) throw new WireError('the host chose an unknown protocol or codec');
    const exportsByName = new Map(functionTable(this.world, 'export').map((e) => [e.wireName, e]));
    this.exportsByIndex = welcome.exports.map((name) => {
      const entry = exportsByName.get(name);
      if (!entry) throw new WireError(`the host listed unknown export ${name}`);
      const call = resolveHostCall(this.implementations, entry.interfaceKey, entry.func)
        ?? resolveHostCall(this.implementations, shortKey(entry.interfaceKey), entry.func);
      return { entry, call: call ?? missingImplementation(name) };
    });
    welcome.imports.forEach((name, i) => this.importIndex.set(name, i));
    this.welcome.resolve();
  }

  private codecsFor(func: WitFunction) {
    let c = this.codecs.get(func);
    if (!c) {
      const params = func.kind === 'method' ? func.params.slice(1) : func.params;
      const parts = params.map((p) => compileCodec(p.type, this.hooks, `${func.name}: ${camelCase(p.name)}`));
      c = {
        args: {
          encode: (w, v) => { parts.forEach((part, i) => part.encode(w, (v as unknown[])[i])); },
          decode: (r) => parts.map((part) => part.decode(r)),
        },
        ...(func.result ? { result: compileCodec(func.result, this.hooks, `result of ${func.name}`) } : {}),
      };
      this.codecs.set(func, c);
    }
    return c;
  }

  private onCall(id: number, fn: number, body: ByteReader): void {
    // Calls can arrive in the same chunk as WELCOME: let `await serve()` return first.
    if (!this.ready) {
      void this.readyForCalls.then(() => this.onCall(id, fn, body));
      return;
    }
    const target = this.exportsByIndex[fn];
    if (!target) {
      this.send(encodeError(id, toWireCode('ERR_UNKNOWN_FUNCTION'), `this plugin has no export #${fn}`));
      return;
    }
    if (this.shuttingDown) {
      this.send(encodeError(id, toWireCode('ERR_UNSUPPORTED'), 'the plugin is shutting down'));
      return;
    }
    const func = target.entry.func;
    const codecs = this.codecsFor(func);
    let self: unknown;
    let args: unknown[];
    try {
      if (func.kind === 'method') self = this.resources.get(body.uleb());
      args = codecs.args.decode(body) as unknown[];
      if (body.remaining !== 0) throw new WireError('trailing bytes after the arguments');
    } catch (e) {
      this.send(encodeError(id, toWireCode(isPluginHostError(e) ? e.code : 'ERR_BAD_ARGUMENT'), `cannot decode the arguments of ${func.name}: ${(e as Error).message}`));
      return;
    }
    const call = new InflightCall(id, this.inflight);
    let outcome: unknown;
    try {
      args.push(call);
      outcome = target.call(self, args);
    } catch (e) {
      this.reply(id, func, codecs.result, call, undefined, e);
      return;
    }
    if (outcome !== null && typeof outcome === 'object' && typeof (outcome as { then?: unknown }).then === 'function') {
      (outcome as Promise<unknown>).then((v) => this.reply(id, func, codecs.result, call, v), (e: unknown) => this.reply(id, func, codecs.result, call, undefined, e, true));
      return;
    }
    this.reply(id, func, codecs.result, call, outcome);
  }

  /** Sends the outcome of a call: RETURN with the value, or ERROR (or `err`, for result types). */
  private reply(id: number, func: WitFunction, result: ValueCodec | undefined, call: InflightCall, value: unknown, error?: unknown, failed = error !== undefined): void {
    call.end();
    const isResult = func.result !== undefined && unalias(func.result).kind === 'result';
    if (failed) {
      const p = isResult ? errorPayload(error) : { isPayload: false as const };
      if (!p.isPayload) {
        const err = error as Error;
        const code = call.cancelled ? 'ERR_ABORTED' : isPluginHostError(error) ? error.code : 'ERR_REMOTE';
        this.send(encodeError(id, toWireCode(code), err?.message ?? String(error), JSON.stringify({ name: err?.name ?? 'Error', stack: err?.stack })));
        return;
      }
      value = { tag: 'err', val: p.payload };
    } else if (isResult) {
      value = { tag: 'ok', val: value };
    }
    const w = ByteWriter.framed(64);
    try {
      beginMessage(w, Kind.RETURN, id);
      result?.encode(w, value);
    } catch (e) {
      this.send(encodeError(id, toWireCode('ERR_REMOTE'), `the implementation of ${func.name} returned a value that does not match its WIT type: ${(e as Error).message}`));
      return;
    }
    this.writer.writeFrame(w.frame());
  }

  private onDrop(id: number, handle: number): void {
    try {
      this.resources.drop(handle);
      this.send(encodeSimple(Kind.RETURN, id));
    } catch (e) {
      this.send(encodeError(id, toWireCode('ERR_ACTOR_STOPPED'), (e as Error).message));
    }
  }

  private onReturn(id: number, body: ByteReader): void {
    const p = this.pending.get(id);
    if (!p) throw new WireError(`reply to unknown call ${id}`);
    this.pending.delete(id);
    try {
      p.resolve(p.decode ? p.decode.decode(body) : undefined);
    } catch (e) {
      p.reject(e);
    }
  }

  private onError(id: number, code: number, message: string): void {
    const p = this.pending.get(id);
    if (!p) throw new WireError(`reply to unknown call ${id}`);
    this.pending.delete(id);
    p.reject(new PluginHostError(fromWireCode(code), `host: ${message}`, { method: p.name }));
  }

  /** Finishes in-flight calls, then closes. */
  private async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const deadline = Date.now() + 1500;
    while (this.inflight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.channel.end();
    this.exit(0);
  }

  private resourceHooks(): ResourceHooks {
    return {
      encode: (resource, value, own, path) => {
        if (this.exported.has(resource)) return own ? this.resources.add(value) : this.resources.lend(value);
        const handle = (value as { [HANDLE]?: number } | null)?.[HANDLE];
        if (typeof handle !== 'number') throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected a ${resource.name} from the host`);
        return handle;
      },
      decode: (resource, handle, own) => {
        if (this.exported.has(resource)) return own ? this.resources.take(handle) : this.resources.get(handle);
        return this.hostResource(resource, handle);
      },
    };
  }

  /** A host-side resource as the plugin sees it: an object whose methods call the host. */
  private hostResource(resource: ResourceType, handle: number): object {
    const obj: Record<string | symbol, unknown> = { [HANDLE]: handle };
    for (const m of resource.methods) obj[camelCase(m.shortName)] = (...args: unknown[]) => this.callImport(m, [obj, ...args]);
    obj[Symbol.asyncDispose] = () => this.dropHost(handle);
    return obj;
  }

  private dropHost(handle: number): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: () => resolve(), reject, name: 'drop' });
      this.send(encodeSimple(Kind.DROP, id, handle));
    });
  }

  callImport(func: WitFunction, argsWithSelf: unknown[], interfaceKey?: string): Promise<unknown> {
    const key = interfaceKey ?? findInterfaceKey(this.world, func);
    const name = key ? `${key}#${func.name}` : func.name;
    const index = this.importIndex.get(name);
    if (index === undefined) return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `the host offers no import ${name}`));
    const codecs = this.codecsFor(func);
    const id = this.nextId++;
    const w = new ByteWriter(64);
    try {
      beginMessage(w, Kind.CALL, id);
      w.uleb(index);
      const args = func.kind === 'method' ? argsWithSelf.slice(1) : argsWithSelf;
      if (func.kind === 'method') w.uleb((argsWithSelf[0] as { [HANDLE]: number })[HANDLE]);
      codecs.args.encode(w, args);
    } catch (e) {
      return Promise.reject(e);
    }
    const isResult = func.result !== undefined && unalias(func.result).kind === 'result';
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        ...(codecs.result ? { decode: codecs.result } : {}),
        name: func.name,
        resolve: (v) => {
          if (!isResult) return resolve(v);
          const r = v as { tag: string; val: unknown };
          if (r.tag === 'ok') resolve(r.val);
          else reject(new ResultError(r.val));
        },
        reject,
      });
      this.send(w.view_().slice());
    });
  }

  api(): ServedPlugin {
    const imports: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
    for (const [key, item] of this.world.imports) {
      if (item.kind === 'function') {
        const fn = (...args: unknown[]) => this.callImport(item.func, args, '');
        (imports[''] ??= {})[camelCase(key)] = fn;
        continue;
      }
      if (item.kind !== 'interface') continue;
      const obj: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
      for (const f of item.iface.functions.values()) {
        if (f.kind === 'freestanding') obj[camelCase(f.name)] = (...args: unknown[]) => this.callImport(f, args, key);
      }
      imports[key] = obj;
      imports[key.replace(/@.*$/, '')] = obj;
    }
    return {
      imports,
      log: (level, message) => this.send(encodeLog(level, message)),
      closed: this.closed,
    };
  }
}

const HANDLE = Symbol('plugin-actors.hostHandle');

function shortKey(key: string): string {
  return key.replace(/@.*$/, '');
}

function findInterfaceKey(world: World, func: WitFunction): string | undefined {
  for (const [key, item] of world.imports) {
    if (item.kind === 'interface' && [...item.iface.functions.values()].includes(func)) return key;
  }
  return undefined;
}

function missingImplementation(name: string): HostCall {
  return () => {
    throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `this plugin does not implement ${name}`);
  };
}

export { WireError };

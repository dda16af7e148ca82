/**
 * The one RPC engine of the protocol (docs/protocol.md), the same at both ends and over
 * every medium: the host's process and worker transports and the Node guest SDK each run
 * one over their `FrameChannel`. It owns call ids, the pending table, cancellation,
 * RETURN/ERROR/DROP, the per-function codecs, serving the other side's calls (with an
 * in-flight cap), and rejecting everything exactly once when it ends.
 *
 * States (which messages each allows is in docs/protocol.md §2):
 *
 *   handshake ──open()──► open ──shutdown sent/received──► closing ──close()──► closed
 *        └──────────────────────────────┴────────────────────────────────┘ close()
 *
 * Guarantees:
 * - Every outgoing call settles exactly once: its RETURN, its ERROR, its signal's abort
 *   (the entry is freed at once; a late answer is ignored), or `close(reason)`.
 * - Every incoming CALL is answered exactly once (or not at all once the peer is closed).
 * - Nothing the other side sends escapes as an exception: a malformed or out-of-place
 *   message closes the peer with `ERR_PROTOCOL` and tells the owner through `closed`.
 *
 * Example:
 *   const peer = new Peer({ role: 'host', channel, remoteName: 'plugin greeter', handlers });
 *   peer.start();                        // HELLO arrives through handlers.handshake
 *   peer.open({ outgoing, incoming, hooks });
 *   await peer.call(0, undefined, ['world']);
 */
import { isPromise } from 'node:util/types';
import { ServedValue } from './served-value.js';
import { ByteWriter, WireError, type ByteReader } from '../../codec/bytes.js';
import type { ResourceHooks } from '../../codec/value-codec.js';
import { isPluginHostError, PluginHostError, type ErrorCode, type ErrorContext } from '../../errors.js';
import { errorPayload } from '../../host-objects.js';
import type { WitFunction } from '../../wit/model.js';
import type { FrameChannel } from '../frame-channel.js';
import {
  beginMessage, decodeMessage, errorFrame, jsonFrame, Kind, logFrame, simpleFrame,
  type FeatureMessage, type Hello, type LogLevel, type Message, type Reject, type Welcome,
} from '../messages.js';
import { fromWireCode, toWireCode } from '../wire-codes.js';
import { abortError } from '../../abort-error.js';
import { functionCodecs, type FunctionCodecs } from './function-codecs.js';

export type PeerRole = 'host' | 'plugin';
export type PeerState = 'handshake' | 'open' | 'closing' | 'closed';

export type HandshakeMessage =
  | { kind: typeof Kind.HELLO; hello: Hello }
  | { kind: typeof Kind.WELCOME; welcome: Welcome }
  | { kind: typeof Kind.REJECT; reject: Reject };

export interface PeerHandlers {
  /** The handshake message of the other side: HELLO (at the host), WELCOME or REJECT (at the plugin). */
  handshake(message: HandshakeMessage): void;
  /** LOG from the plugin (host role only). */
  log?(level: LogLevel, message: string): void;
  /** SHUTDOWN from the host (plugin role only). The peer now refuses new calls with ERR_BUSY. */
  shutdown?(): void;
  /**
   * The channel ended without `close()` (the other side closed it, died, or the medium
   * broke its rules, then `error` says how). Pending calls are still pending: the owner
   * decides the reason they fail with, by calling `close(reason)`.
   */
  channelClosed(error?: PluginHostError): void;
  /** Called once, when the peer is closed (by `close()`, or by a protocol violation). */
  closed?(reason: PluginHostError): void;
  /**
   * The other side did not answer a call this side cancelled within `cancelAnswerMs`
   * (it ignores CANCEL and is presumably still working on it).
   */
  cancelIgnored?(method: string): void;
}

export interface PeerOptions {
  readonly role: PeerRole;
  readonly channel: FrameChannel;
  /** Names the other side in messages: `plugin greeter`, `the host`. */
  readonly remoteName: string;
  /** Fields every error of a call to the other side carries (e.g. `{ plugin }`). */
  readonly errorContext?: ErrorContext;
  /** Incoming calls served at once; more are refused with ERR_BUSY. Default 128. */
  readonly maxIncomingCalls?: number;
  /** Send the stack of an implementation's error with ERROR (a plugin does; the host does not). */
  readonly sendStacks?: boolean;
  /**
   * How long the other side has to answer (RETURN or ERROR) a call after its CANCEL before
   * `handlers.cancelIgnored` runs. None: it may never answer.
   */
  readonly cancelAnswerMs?: number;
  readonly handlers: PeerHandlers;
}

/** A function this side calls on the other (by its index in the table). */
export interface OutgoingFunction {
  readonly name: string;
  readonly func: WitFunction;
}

/** What an implementation receives after its WIT arguments. */
export interface IncomingCall {
  /** Aborted when the caller cancels (CANCEL) or the peer closes. */
  readonly signal: AbortSignal;
}

/** Serves one function the other side may call: returns the result, a Promise of it, or throws. */
export type ServeFunction = (self: unknown, args: unknown[], call: IncomingCall) => unknown;

export interface IncomingFunction {
  readonly name: string;
  readonly func: WitFunction;
  readonly serve: ServeFunction;
  /**
   * `serve` returns the WIT value itself (a `result` as `{ tag, val }`, as the component
   * runtime lifts it), instead of jco's mapping (the ok value, or a throw carrying `payload`).
   */
  readonly returnsWitValue?: boolean;
}

/** A protocol feature agreed in the handshake (§12): the message kinds it owns and their handler. */
export interface PeerFeature {
  readonly name: string;
  readonly kinds: readonly number[];
  receive(kind: number, body: ByteReader): void;
}

export interface PeerTables {
  readonly outgoing: readonly OutgoingFunction[];
  readonly incoming: readonly IncomingFunction[];
  /** How handles in values become objects and back (each side keeps its own tables). */
  readonly hooks: ResourceHooks;
  /** Releases a resource of this side that the other side dropped; throws PluginHostError to refuse. */
  readonly drop?: (handle: number) => void;
  readonly features?: readonly PeerFeature[];
}

interface Pending {
  readonly method: string;
  readonly codecs: FunctionCodecs | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

class Incoming implements IncomingCall {
  private controller: AbortController | undefined;
  cancelled = false;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.cancelled && !this.controller.signal.aborted) this.controller.abort(new PluginHostError('ERR_ABORTED', 'the caller cancelled the call'));
    return this.controller.signal;
  }

  cancel(reason: PluginHostError): void {
    this.cancelled = true;
    this.controller?.abort(reason);
  }
}

export const DEFAULT_MAX_INCOMING_CALLS = 128;

export class Peer {
  #state: PeerState = 'handshake';
  #reason: PluginHostError | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  /** Calls cancelled and not yet answered, with the timer of `cancelAnswerMs`. */
  readonly #awaitingCancel = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #incoming = new Map<number, Incoming>();
  #outgoing: readonly OutgoingFunction[] = [];
  #served: readonly IncomingFunction[] = [];
  #outCodecs: (FunctionCodecs | undefined)[] = [];
  #inCodecs: (FunctionCodecs | undefined)[] = [];
  #hooks: ResourceHooks | undefined;
  #drop: ((handle: number) => void) | undefined;
  readonly #features = new Map<number, PeerFeature>();
  #helloSeen = false;
  #idleWaiters: (() => void)[] = [];
  #servedWaiters: (() => void)[] = [];
  readonly #maxIncoming: number;

  constructor(private readonly options: PeerOptions) {
    this.#maxIncoming = options.maxIncomingCalls ?? DEFAULT_MAX_INCOMING_CALLS;
  }

  get state(): PeerState {
    return this.#state;
  }

  /** Outgoing calls (and drops) still waiting for their answer. */
  get pendingCalls(): number {
    return this.#pending.size;
  }

  /** Incoming calls being served now. */
  get servingCalls(): number {
    return this.#incoming.size;
  }

  /** Starts receiving. */
  start(): void {
    this.options.channel.start({
      frame: (payload) => this.#receive(payload),
      closed: (error) => {
        if (this.#state === 'closed') return;
        this.options.handlers.channelClosed(error);
      },
    });
  }

  /** Handshake messages: HELLO (plugin role), WELCOME or REJECT (host role). */
  sendHello(hello: Hello): void {
    this.options.channel.send(jsonFrame(Kind.HELLO, hello));
  }

  sendWelcome(welcome: Welcome): void {
    this.options.channel.send(jsonFrame(Kind.WELCOME, welcome));
  }

  sendReject(reject: Reject): void {
    this.options.channel.send(jsonFrame(Kind.REJECT, reject));
  }

  /** Ends the handshake: from now on calls flow both ways through these tables. */
  open(tables: PeerTables): void {
    if (this.#state !== 'handshake') throw new PluginHostError('ERR_PROTOCOL', `cannot open a peer in state ${this.#state}`);
    this.#outgoing = tables.outgoing;
    this.#served = tables.incoming;
    this.#outCodecs = new Array(tables.outgoing.length);
    this.#inCodecs = new Array(tables.incoming.length);
    this.#hooks = tables.hooks;
    this.#drop = tables.drop;
    for (const f of tables.features ?? []) for (const k of f.kinds) this.#features.set(k, f);
    this.#state = 'open';
  }

  // ------------------------------------------------------------------ outgoing

  /**
   * Calls function `fn` of the outgoing table. Rejects with ERR_BAD_ARGUMENT before
   * anything is sent when `args` do not match the WIT types; with ERR_ABORTED or
   * ERR_TIMEOUT when `signal` aborts (CANCEL is sent); with the other side's ERROR; or
   * with the reason the peer closed.
   */
  call(fn: number, self: number | undefined, args: readonly unknown[], signal?: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => this.request(fn, self, args, resolve, reject, signal));
  }

  /** `call` with callbacks, for a caller that waits synchronously (a worker blocked on its channel). */
  request(fn: number, self: number | undefined, args: readonly unknown[], resolve: (v: unknown) => void, reject: (e: unknown) => void, signal?: AbortSignal): void {
    const entry = this.#outgoing[fn];
    const usable = this.#state === 'open' || this.#state === 'closing';
    if (!usable || entry === undefined) {
      reject(entry === undefined && usable
        ? new PluginHostError('ERR_UNKNOWN_FUNCTION', `${this.options.remoteName} has no function #${fn}`, this.options.errorContext)
        : this.#refusal(entry?.func.name));
      return;
    }
    const codecs = this.#outCodecs[fn] ??= functionCodecs(entry.func, this.#hooks!);
    const id = this.#nextId;
    const w = ByteWriter.framed(64);
    if (signal?.aborted) {
      reject(abortError(signal, { ...this.options.errorContext, method: entry.func.name }));
      return;
    }
    const hooks = this.#hooks!;
    try {
      hooks.beginCall?.();
      beginMessage(w, Kind.CALL, id);
      w.uleb(fn);
      if (codecs.selfResource) w.uleb(self!);
      codecs.encodeArgs(w, args);
    } catch (e) {
      hooks.endCall?.(false);
      if (isPluginHostError(e) && e.method === undefined) Object.assign(e, { method: entry.func.name });
      reject(e);
      return;
    }
    hooks.endCall?.(true);
    this.#nextId++;
    this.#track(id, { method: entry.func.name, codecs, resolve, reject, signal, onAbort: undefined });
    this.options.channel.send(w.frame());
  }

  /**
   * Drops a resource of the other side (DROP shares the call id space). Resolves when the
   * other side confirms; rejects like a call (bound it with `signal`, the other side may
   * never answer).
   */
  drop(handle: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => this.requestDrop(handle, resolve, reject, signal));
  }

  /** `drop` with callbacks, for a caller that waits synchronously. */
  requestDrop(handle: number, resolve: () => void, reject: (e: unknown) => void, signal?: AbortSignal): void {
    if (this.#state !== 'open' && this.#state !== 'closing') {
      reject(this.#refusal('drop'));
      return;
    }
    if (signal?.aborted) {
      reject(abortError(signal, { ...this.options.errorContext, method: 'drop' }));
      return;
    }
    const id = this.#nextId++;
    this.#track(id, { method: 'drop', codecs: undefined, resolve: () => resolve(), reject, signal, onAbort: undefined });
    this.options.channel.send(simpleFrame(Kind.DROP, id, handle));
  }

  #track(id: number, p: Pending): void {
    const signal = p.signal;
    if (signal) {
      p.onAbort = () => {
        if (this.#pending.get(id) !== p) return;
        this.#pending.delete(id);
        this.#settled();
        p.reject(abortError(signal, { ...this.options.errorContext, method: p.method }));
        if (this.#state === 'open' || this.#state === 'closing') {
          this.options.channel.send(simpleFrame(Kind.CANCEL, id));
          this.#awaitCancelAnswer(id, p.method);
        }
      };
      signal.addEventListener('abort', p.onAbort, { once: true });
    }
    this.#pending.set(id, p);
  }

  #awaitCancelAnswer(id: number, method: string): void {
    const ms = this.options.cancelAnswerMs;
    if (ms === undefined) return;
    const timer = setTimeout(() => {
      this.#awaitingCancel.delete(id);
      if (this.#state !== 'closed') this.options.handlers.cancelIgnored?.(method);
    }, ms);
    // A plugin that ignores CANCEL must not keep the host's event loop alive by itself.
    timer.unref?.();
    this.#awaitingCancel.set(id, timer);
  }

  /** Takes the pending entry a reply answers; undefined for a late reply to an abandoned call. */
  #take(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (!p) {
      const timer = this.#awaitingCancel.get(id);
      if (timer !== undefined) { clearTimeout(timer); this.#awaitingCancel.delete(id); }
      // Ids count up: below the next id it is a call given up on (its answer is ignored by design).
      if (id >= this.#nextId || id === 0) throw new WireError(`an answer to call ${id}, which was never made`);
      return undefined;
    }
    this.#pending.delete(id);
    if (p.onAbort) p.signal!.removeEventListener('abort', p.onAbort);
    this.#settled();
    return p;
  }

  /** Writes a log record to the host (plugin role). */
  log(level: LogLevel, message: string): void {
    if (this.#state === 'closed') return;
    this.options.channel.send(logFrame(level, message));
  }

  /** Sends a feature's message (§12). */
  sendFeature(kind: number, write: (w: ByteWriter) => void): void {
    if (this.#state !== 'open' && this.#state !== 'closing') return;
    const w = ByteWriter.framed(16);
    w.u8(kind);
    write(w);
    this.options.channel.send(w.frame());
  }

  /** Host role: asks the plugin to finish and exit. Calls in flight still complete. */
  shutdown(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.options.channel.send(simpleFrame(Kind.SHUTDOWN));
  }

  /** Resolves when no outgoing call is pending (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Resolves when no incoming call is being served (at once if none is). */
  whenServed(): Promise<void> {
    if (this.#incoming.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#servedWaiters.push(resolve));
  }

  #servedAll(): void {
    if (this.#incoming.size > 0 || this.#servedWaiters.length === 0) return;
    const waiters = this.#servedWaiters;
    this.#servedWaiters = [];
    for (const w of waiters) w();
  }

  #settled(): void {
    if (this.#pending.size > 0 || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Ends the peer: every pending call rejects with `reason` (with its own method name),
   * incoming calls are aborted and their answers dropped, the channel closes. Idempotent.
   */
  close(reason: PluginHostError): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#reason = reason;
    for (const timer of this.#awaitingCancel.values()) clearTimeout(timer);
    this.#awaitingCancel.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const c of this.#incoming.values()) c.cancel(reason);
    this.#incoming.clear();
    this.#servedAll();
    this.options.channel.close();
    for (const p of pending) {
      if (p.onAbort) p.signal!.removeEventListener('abort', p.onAbort);
      p.reject(this.#refusal(p.method));
    }
    this.#settled();
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
    this.options.handlers.closed?.(reason);
  }

  /** The error for a call that cannot be (or stop being) made in the current state. */
  #refusal(method: string | undefined): PluginHostError {
    const r = this.#reason;
    const context: ErrorContext = { ...this.options.errorContext, ...(method ? { method } : {}) };
    if (!r) return new PluginHostError('ERR_PROTOCOL', `${this.options.remoteName} is not ready for calls (state ${this.#state})`, context);
    return new PluginHostError(r.code, r.message, {
      ...context, cause: r,
      ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
      ...(r.signal !== undefined ? { signal: r.signal } : {}),
    });
  }

  // ------------------------------------------------------------------ incoming

  #receive(payload: Uint8Array): void {
    if (this.#state === 'closed') return;
    try {
      this.#dispatch(decodeMessage(payload));
    } catch (e) {
      const detail = e instanceof WireError ? e.message : `cannot process a message: ${(e as Error)?.message ?? String(e)}`;
      this.close(new PluginHostError('ERR_PROTOCOL', `${this.options.remoteName} broke the protocol: ${detail}`, { ...this.options.errorContext, cause: e }));
    }
  }

  #dispatch(m: Message | FeatureMessage): void {
    const role = this.options.role;
    const state = this.#state;
    if ('feature' in m) {
      const feature = this.#features.get(m.kind);
      if (!feature || state === 'handshake') throw new WireError(`message kind 0x${m.kind.toString(16)} belongs to no feature agreed in the handshake`);
      feature.receive(m.kind, m.body);
      return;
    }
    switch (m.kind) {
      case Kind.HELLO:
        if (role !== 'host' || state !== 'handshake' || this.#helloSeen) throw new WireError('HELLO is only the first message of a plugin');
        this.#helloSeen = true;
        this.options.handlers.handshake(m);
        return;
      case Kind.WELCOME:
      case Kind.REJECT:
        if (role !== 'plugin' || state !== 'handshake') throw new WireError(`message kind 0x${m.kind.toString(16)} is only the host's answer to HELLO`);
        this.options.handlers.handshake(m as HandshakeMessage);
        return;
      case Kind.LOG:
        if (role !== 'host' || (state === 'handshake' && !this.#helloSeen)) throw new WireError(role === 'host' ? 'expected HELLO first' : 'LOG goes from plugins to the host');
        this.options.handlers.log?.(m.level, m.message);
        return;
      case Kind.SHUTDOWN:
        if (role !== 'plugin' || state === 'handshake') throw new WireError('SHUTDOWN goes from the host to an open plugin');
        if (state === 'open') {
          this.#state = 'closing';
          this.options.handlers.shutdown?.();
        }
        return;
    }
    if (state === 'handshake') throw new WireError(role === 'host' && !this.#helloSeen ? 'expected HELLO first' : `message kind 0x${m.kind.toString(16)} before the handshake completed`);
    switch (m.kind) {
      case Kind.CALL: this.#onCall(m.id, m.fn, m.body); return;
      case Kind.RETURN: this.#onReturn(m.id, m.body); return;
      case Kind.ERROR: this.#onError(m.id, m.code, m.message, m.data); return;
      case Kind.CANCEL: this.#incoming.get(m.id)?.cancel(new PluginHostError('ERR_ABORTED', `${this.options.remoteName} cancelled the call`)); return;
      case Kind.DROP: this.#onDrop(m.id, m.handle); return;
    }
  }

  #onReturn(id: number, body: ByteReader): void {
    const p = this.#take(id);
    if (!p) return;
    let value: unknown;
    try {
      value = p.codecs?.result ? p.codecs.result.decode(body) : undefined;
      if (body.remaining !== 0) throw new WireError(`${body.remaining} trailing bytes after the result of ${p.method}`);
    } catch (e) {
      p.reject(new PluginHostError('ERR_PROTOCOL', `${this.options.remoteName} sent a malformed result for ${p.method}`, { ...this.options.errorContext, method: p.method, cause: e }));
      throw e;
    }
    p.resolve(value);
  }

  #onError(id: number, wireCode: number, message: string, data: string): void {
    const p = this.#take(id);
    if (!p) return;
    let remote: { name: string; message: string; stack?: string } | undefined;
    let exitCode: number | undefined;
    if (data) {
      try {
        const parsed = JSON.parse(data) as { name?: unknown; stack?: unknown; exitCode?: unknown };
        remote = { name: String(parsed?.name ?? 'Error'), message, ...(typeof parsed?.stack === 'string' ? { stack: parsed.stack } : {}) };
        if (Number.isInteger(parsed?.exitCode)) exitCode = parsed.exitCode as number;
      } catch {
        // Details are optional diagnostics; a bad JSON blob does not invalidate the error.
      }
    }
    const code: ErrorCode = fromWireCode(wireCode);
    p.reject(new PluginHostError(code, `${this.options.remoteName}: ${message}`, {
      ...this.options.errorContext, method: p.method, ...(remote ? { remote } : {}), ...(exitCode !== undefined ? { exitCode } : {}),
    }));
  }

  #onCall(id: number, fn: number, body: ByteReader): void {
    if (id === 0 || this.#incoming.has(id)) throw new WireError(`call id ${id} is already in flight`);
    const target = this.#served[fn];
    if (!target) {
      this.#send(errorFrame(id, toWireCode('ERR_UNKNOWN_FUNCTION'), `there is no function #${fn} to call`));
      return;
    }
    if (this.#state === 'closing' && this.options.role === 'plugin') {
      this.#send(errorFrame(id, toWireCode('ERR_BUSY'), `${target.func.name} was refused: shutting down`));
      return;
    }
    if (this.#incoming.size >= this.#maxIncoming) {
      this.#send(errorFrame(id, toWireCode('ERR_BUSY'), `${target.func.name} was refused: ${this.#maxIncoming} calls are in flight already`));
      return;
    }
    const codecs = this.#inCodecs[fn] ??= functionCodecs(target.func, this.#hooks!);
    let self: unknown;
    let args: unknown[];
    try {
      if (codecs.selfResource) self = this.#hooks!.decode(codecs.selfResource, body.uleb(), false);
      args = codecs.decodeArgs(body);
      if (body.remaining !== 0) throw new WireError(`${body.remaining} trailing bytes after the arguments of ${target.name}`);
    } catch (e) {
      // A handle this side does not know is the caller's mistake, answered; malformed bytes end the peer.
      if (!isPluginHostError(e)) throw e;
      this.#send(errorFrame(id, toWireCode(e.code), `${target.func.name}: ${e.message}`));
      return;
    }
    const call = new Incoming();
    this.#incoming.set(id, call);
    let outcome: unknown;
    try {
      outcome = target.serve(self, args, call);
    } catch (e) {
      this.#answer(id, call, target, codecs, undefined, e);
      return;
    }
    // Only a real Promise is waited for: a returned resource object with a method named
    // `then` is a value to send, and treating it as a thenable would never settle the call.
    if (isPromise(outcome)) {
      (outcome as Promise<unknown>).then((v) => this.#answer(id, call, target, codecs, v instanceof ServedValue ? v.value : v), (e: unknown) => this.#answer(id, call, target, codecs, undefined, e ?? new Error(String(e))));
      return;
    }
    this.#answer(id, call, target, codecs, outcome);
  }

  /** Sends the outcome of an incoming call: RETURN with the value (or `err`), or ERROR. */
  #answer(id: number, call: Incoming, target: IncomingFunction, codecs: FunctionCodecs, value: unknown, error?: unknown): void {
    if (this.#incoming.get(id) !== call) return; // the peer closed meanwhile
    this.#incoming.delete(id);
    this.#servedAll();
    const mapResult = codecs.returnsResult && !target.returnsWitValue;
    if (error !== undefined) {
      const p = mapResult ? errorPayload(error) : { isPayload: false as const };
      if (!p.isPayload) {
        this.#send(this.#errorReply(id, call, error));
        return;
      }
      value = { tag: 'err', val: p.payload };
    } else if (mapResult) {
      value = { tag: 'ok', val: value };
    }
    const w = ByteWriter.framed(64);
    try {
      beginMessage(w, Kind.RETURN, id);
      codecs.result?.encode(w, value);
    } catch (e) {
      this.#send(errorFrame(id, toWireCode('ERR_REMOTE'), `the implementation of ${codecs.func.name} returned a value that does not match its WIT type: ${(e as Error).message}`));
      return;
    }
    this.#send(w.frame());
  }

  #errorReply(id: number, call: Incoming, error: unknown): Uint8Array {
    const err = error as Error | undefined;
    const code: ErrorCode = call.cancelled ? 'ERR_ABORTED' : isPluginHostError(error) ? error.code : 'ERR_REMOTE';
    const message = typeof err?.message === 'string' ? err.message : String(error);
    const name = typeof err?.name === 'string' ? err.name : 'Error';
    const exitCode = isPluginHostError(error) && typeof error.exitCode === 'number' ? { exitCode: error.exitCode } : {};
    const data = JSON.stringify(this.options.sendStacks && typeof err?.stack === 'string' ? { name, stack: err.stack, ...exitCode } : { name, ...exitCode });
    return errorFrame(id, toWireCode(code), message, data);
  }

  #onDrop(id: number, handle: number): void {
    if (this.#incoming.has(id)) throw new WireError(`call id ${id} is already in flight`);
    try {
      if (!this.#drop) throw new PluginHostError('ERR_ACTOR_STOPPED', `resource handle ${handle} is not valid`);
      this.#drop(handle);
    } catch (e) {
      this.#send(errorFrame(id, toWireCode(isPluginHostError(e) ? e.code : 'ERR_REMOTE'), (e as Error)?.message ?? String(e)));
      return;
    }
    this.#send(simpleFrame(Kind.RETURN, id));
  }

  #send(frame: Uint8Array): void {
    if (this.#state !== 'closed') this.options.channel.send(frame);
  }
}

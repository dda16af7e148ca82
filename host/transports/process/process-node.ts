/**
 * One subprocess plugin as a node: the child's lifecycle and the handshake policy, over
 * the one peer (`common/protocol/peer/`), which does everything calls need.
 *
 * States: `handshake` → `open` → `closing` → `down`. Every way a child can fail (exit,
 * signal, bad or stalled frame, lies in the handshake, silence, a closed channel) ends in
 * one termination reason, given to the peer once, which rejects what is pending with it.
 * Whatever the child does, the host process stays up.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { checkImport, lookupImport, resolveHostCall } from '../../../common/host-objects.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { CODEC, PROTOCOL_VERSION } from '../../../common/protocol/messages.js';
import { Peer, type IncomingFunction } from '../../../common/protocol/peer/peer.js';
import { createStreamChannel, type StreamChannel } from '../../../common/protocol/stream-channel.js';
import type { WitFunction, World } from '../../../common/wit/model.js';
import { LOG_INTERFACE, logImport, writePluginLog } from '../../capabilities/host-log.js';
import { currentChain, runInChain, type CallChain, type CallRequest, type LaunchContext, type NodeCapabilities, type NodeConnection } from '../../system/node-connection.js';
import { agreedFeatures, checkHello, type Expectation } from './handshake.js';
import type { ProcessLaunchOptions } from './index.js';
import { RemoteHandles } from '../remote-handles.js';
import { PING_FEATURE, pingMonitor, type PingMonitor } from '../../../common/protocol/features/ping.js';
import { TREE_FEATURE, treeReceiver } from '../../../common/protocol/features/tree.js';
import { signalGroup } from './process-group.js';
import { forgetGroup, watchGroup } from './reaper.js';

export interface ProcessNodeOptions extends Pick<ProcessLaunchOptions,
  'imports' | 'handshakeTimeoutMs' | 'shutdownTimeoutMs' | 'maxFrameBytes' | 'frameTimeoutMs' | 'maxIncomingCalls' | 'dropTimeoutMs' | 'health' | 'killOnCancelTimeoutMs'> {
  readonly child: ChildProcess;
  readonly expectation: Expectation;
}

type State = 'handshake' | 'open' | 'closing' | 'down';

export class ProcessNode implements NodeConnection {
  world!: World;
  readonly terminated: Promise<PluginHostError | undefined>;
  readonly capabilities: NodeCapabilities;
  #settleTerminated!: (reason: PluginHostError | undefined) => void;
  #state: State = 'handshake';
  #exited = false;
  readonly #peer: Peer;
  readonly #channel: StreamChannel;
  readonly #handles: RemoteHandles;
  readonly #exportIndex = new Map<WitFunction, number>();
  #handshake!: { resolve: () => void; reject: (e: PluginHostError) => void; timer: NodeJS.Timeout };
  readonly #killOnExit = () => { signalGroup(this.options.child.pid, 'SIGKILL'); };
  readonly #plugin: string;
  #health: PingMonitor | undefined;
  /** Calls to the plugin in flight, with the chain of linked calls each is a hop of. */
  readonly #inFlight = new Set<{ readonly chain: CallChain | undefined; readonly signal: AbortSignal | undefined }>();

  constructor(private readonly context: LaunchContext, private readonly options: ProcessNodeOptions) {
    const plugin = (this.#plugin = context.name);
    this.terminated = new Promise((r) => { this.#settleTerminated = r; });
    this.#handles = new RemoteHandles(context.bridge);
    const child = options.child;
    this.capabilities = { process: { get pid() { return child.pid; } } };
    this.#channel = createStreamChannel(child.stdio[3] as Socket, {
      maxFrameBytes: options.maxFrameBytes, frameTimeoutMs: options.frameTimeoutMs, peerName: `plugin ${plugin}`,
    });
    this.#peer = new Peer({
      role: 'host', channel: this.#channel, remoteName: `plugin ${plugin}`, errorContext: { plugin },
      maxIncomingCalls: options.maxIncomingCalls,
      ...(options.killOnCancelTimeoutMs !== undefined ? { cancelAnswerMs: options.killOnCancelTimeoutMs } : {}),
      handlers: {
        // Opt-in (killOnCancelTimeoutMs): ends every other call in flight on the process too.
        cancelIgnored: (method) => this.#fail(new PluginHostError('ERR_UNRESPONSIVE',
          `plugin ${plugin} did not answer a cancelled call of ${method} within ${options.killOnCancelTimeoutMs} ms (killOnCancelTimeoutMs): it was killed`, { plugin, method })),
        handshake: (m) => { if (m.kind === 0x01) this.#onHello(m.hello); },
        log: (level, message) => writePluginLog(context.logger, plugin, level, message),
        channelClosed: (error) => this.#onChannelClosed(error),
        closed: (reason) => this.#onPeerClosed(reason),
      },
    });
  }

  /** Resolves after a successful handshake; rejects (and kills the child) otherwise. */
  start(): Promise<this> {
    const { child, handshakeTimeoutMs } = this.options;
    process.once('exit', this.#killOnExit);
    watchGroup(child.pid);
    const handshake = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new PluginHostError('ERR_HANDSHAKE', `plugin ${this.#plugin} did not complete its handshake within ${handshakeTimeoutMs} ms`, { plugin: this.#plugin }));
      }, handshakeTimeoutMs);
      this.#handshake = { resolve, reject, timer };
    });
    const stderr = child.stderr ? handshakeStderr(child.stderr) : undefined;
    child.on('exit', (code, signal) => {
      // Exited during the handshake: what it said on stderr is why (a wrong world, a missing function).
      if (this.#state !== 'handshake' || !stderr) this.#onExit(code, signal);
      else void stderr.settled().then((text) => this.#onExit(code, signal, text));
    });
    child.on('error', (cause) => {
      this.#fail(new PluginHostError('ERR_LOAD_FAILED', `plugin ${this.#plugin} could not be started: ${cause.message}`, { plugin: this.#plugin, cause }));
    });
    this.#peer.start();
    return handshake.then(() => { stderr?.stop(); return this; });
  }

  // ---------------------------------------------------------------- NodeConnection

  call(request: CallRequest): Promise<unknown> {
    const index = this.#exportIndex.get(request.fn);
    if (index === undefined && this.#state === 'open') {
      return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${this.#plugin} has no function ${request.fn.name}`, { plugin: this.#plugin }));
    }
    const hop = { chain: currentChain(), signal: request.signal };
    this.#inFlight.add(hop);
    const done = () => { this.#inFlight.delete(hop); };
    const pending = this.#peer.call(index ?? -1, request.self as number | undefined, request.args, request.signal);
    pending.then(done, done);
    return pending;
  }

  /**
   * Runs the host side of an import the plugin called, as one more hop of a chain of linked
   * calls. The protocol does not say which call of the host's an import call serves; while
   * exactly one is in flight it can only be that one, whose chain and signal then bound the
   * import. Otherwise only the import call's own signal does (the plugin's CANCEL, which the
   * Node SDK sends when the call it serves is cancelled; the peer closing).
   */
  #serveInChain<T>(signal: AbortSignal, serve: () => T): T {
    const only = this.#inFlight.size === 1 ? this.#inFlight.values().next().value : undefined;
    return runInChain(only?.chain, `${this.#plugin}@${this.context.incarnation}`, only?.signal ? AbortSignal.any([signal, only.signal]) : signal, serve);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.#state !== 'down') this.options.child.kill(signal);
  }

  drop(local: unknown): Promise<void> {
    const handle = local as number;
    if (this.#state !== 'open') return Promise.resolve();
    this.#handles.dropped(handle);
    return this.#peer.drop(handle, AbortSignal.timeout(this.options.dropTimeoutMs));
  }

  async close(options?: { timeoutMs?: number }): Promise<void> {
    if (this.#state === 'down' || this.#state === 'closing') {
      await this.terminated;
      return;
    }
    if (this.#state === 'handshake') {
      this.#fail(new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.#plugin} was stopped during its handshake`, { plugin: this.#plugin }));
      await this.terminated;
      return;
    }
    this.#state = 'closing';
    const deadline = Date.now() + (options?.timeoutMs ?? this.options.shutdownTimeoutMs);
    // The one drain: the plugin finishes what is in flight (it may still call the host), then exits.
    this.#peer.shutdown();
    await Promise.race([this.#peer.whenIdle(), sleep(deadline - Date.now()), this.terminated]);
    this.#channel.end();
    if (!(await this.#waitForExit(deadline - Date.now()))) {
      signalGroup(this.options.child.pid, 'SIGTERM');
      if (!(await this.#waitForExit(1000))) signalGroup(this.options.child.pid, 'SIGKILL');
    }
    await this.terminated;
  }

  // ---------------------------------------------------------------- handshake

  #onHello(hello: unknown): void {
    const plugin = this.#plugin;
    try {
      const world = checkHello(plugin, hello, this.options.expectation);
      const exports = functionTable(world, 'export');
      const imports = functionTable(world, 'import');
      const host = { [LOG_INTERFACE]: logImport(this.context.logger, plugin), ...this.options.imports };
      // Links check the plugin's view of each interface against their target's before anything is bound.
      for (const [key, item] of world.imports) if (item.kind === 'interface') checkImport(lookupImport(host, key), item.iface, key);
      const missing: string[] = [];
      const incoming: IncomingFunction[] = imports.map((e) => {
        const call = resolveHostCall(host, e.interfaceKey, e.func);
        if (!call) missing.push(e.wireName);
        return {
          name: e.wireName, func: e.func,
          serve: (self, args, incoming) => this.#serveInChain(incoming.signal, () => call!(self, args, { signal: currentChain()!.signal! })),
        };
      });
      if (missing.length > 0) {
        throw new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${missing.join(', ')}, which the host does not provide`, { plugin });
      }
      exports.forEach((e, i) => this.#exportIndex.set(e.func, i));
      this.world = world;
      const features = agreedFeatures(hello as never);
      const health = this.options.health;
      if (health && features.includes(PING_FEATURE)) {
        this.#health = pingMonitor({
          ...health,
          unresponsive: (ms) => this.#fail(new PluginHostError('ERR_UNRESPONSIVE', `plugin ${plugin} answered no health ping for ${ms} ms`, { plugin })),
        });
      }
      this.#peer.sendWelcome({
        protocol: PROTOCOL_VERSION, codec: CODEC, features,
        exports: exports.map((e) => e.wireName), imports: imports.map((e) => e.wireName),
      });
      this.#peer.open({
        outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })),
        incoming, hooks: this.#handles, drop: (handle) => this.#handles.dropHostResource(handle),
        features: [
          ...(this.#health ? [this.#health.feature] : []),
          // A plugin that hosts its own children routes their actors' ids and endings (tree@1).
          ...(features.includes(TREE_FEATURE)
            ? [treeReceiver({ route: (h, id) => this.#handles.route(h, id), ended: (m) => this.#handles.ended(m, `${plugin}@${this.context.incarnation}`) })]
            : []),
        ],
      });
      this.#health?.start(this.#peer);
    } catch (e) {
      const error = isPluginHostError(e) ? e : new PluginHostError('ERR_HANDSHAKE', `plugin ${plugin}: ${(e as Error).message}`, { plugin, cause: e });
      this.#peer.sendReject({ code: error.code, message: error.message });
      this.#fail(error);
      return;
    }
    clearTimeout(this.#handshake.timer);
    this.#state = 'open';
    this.#handshake.resolve();
  }

  // ---------------------------------------------------------------- endings

  /** Ends the node with `reason`: the child is killed, everything pending rejects. */
  #fail(reason: PluginHostError): void {
    if (this.#state === 'down') return;
    this.options.child.kill('SIGKILL');
    this.#terminate(reason);
  }

  #terminate(reason: PluginHostError | undefined): void {
    if (this.#state === 'down') return;
    const wasHandshake = this.#state === 'handshake';
    this.#state = 'down';
    clearTimeout(this.#handshake?.timer);
    process.removeListener('exit', this.#killOnExit);
    this.#health?.stop();
    this.#reapGroup();
    this.#peer.close(reason ?? new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.#plugin} was stopped`, { plugin: this.#plugin }));
    if (wasHandshake) {
      this.#handshake.reject(reason ?? new PluginHostError('ERR_HANDSHAKE', `plugin ${this.#plugin} stopped during its handshake`, { plugin: this.#plugin }));
    }
    this.#settleTerminated(reason);
  }

  /**
   * Whatever the plugin started is ended with it; its output pipes are let go, so a process
   * that inherited them (and escaped the group) cannot keep the host alive.
   */
  #reapGroup(): void {
    const { child } = this.options;
    signalGroup(child.pid, 'SIGKILL');
    forgetGroup(child.pid);
    // Lines still in the pipes are read first; a holder that escaped the group is cut off after a second.
    const cut = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, 1000);
    cut.unref();
  }

  /** The peer closed itself: the plugin broke the protocol. */
  #onPeerClosed(reason: PluginHostError): void {
    if (this.#state !== 'down') this.#fail(reason);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, stderr = ''): void {
    this.#exited = true;
    if (this.#state === 'closing') {
      this.#terminate(undefined);
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const said = whatItSaid(stderr);
    const during = this.#state === 'handshake' ? ` before completing its handshake${said ? `: ${said}` : ''}` : '';
    this.#terminate(new PluginHostError(this.#state === 'handshake' ? 'ERR_HANDSHAKE' : 'ERR_PLUGIN_EXITED', `plugin ${this.#plugin} ${how}${during}`, {
      plugin: this.#plugin, exitCode: code, signal,
    }));
  }

  #onChannelClosed(error: PluginHostError | undefined): void {
    if (error) {
      this.#fail(new PluginHostError(error.code, error.message, { plugin: this.#plugin, cause: error }));
      return;
    }
    if (this.#state === 'down' || this.#state === 'closing' || this.#exited) return;
    // The child closed its end but may still be running: give it a moment to exit, else kill it.
    const timer = setTimeout(() => {
      this.#fail(new PluginHostError('ERR_PROTOCOL', `plugin ${this.#plugin} closed its protocol channel`, { plugin: this.#plugin }));
    }, 1000);
    timer.unref();
    void this.terminated.then(() => clearTimeout(timer));
  }

  #waitForExit(ms: number): Promise<boolean> {
    if (this.#exited || this.#state === 'down') return Promise.resolve(true);
    return Promise.race([this.terminated.then(() => true), sleep(Math.max(0, ms)).then(() => this.#exited)]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, Math.max(0, ms)); });
}

const STDERR_TAIL = 2048;

/** The last characters a plugin wrote to stderr, read until the stream ends (or half a second passes). */
function handshakeStderr(stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }) {
  let tail = '';
  const onData = (chunk: string | Buffer) => { tail = (tail + String(chunk)).slice(-STDERR_TAIL); };
  stream.on('data', onData);
  return {
    stop(): void { stream.off('data', onData); },
    settled(): Promise<string> {
      const done = () => { stream.off('data', onData); return tail; };
      if (stream.readableEnded || stream.destroyed) return Promise.resolve(done());
      return new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(done()), 500);
        timer.unref();
        stream.once('end', () => { clearTimeout(timer); resolve(done()); });
        stream.once('close', () => { clearTimeout(timer); resolve(done()); });
      });
    },
  };
}

/** The lines of a plugin's stderr that say why it gave up: its SDK's own, else the error a crash printed, else the last ones. */
function whatItSaid(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const own = lines.filter((l) => l.startsWith('plugin-actors: '));
  if (own.length > 0) return own.slice(-3).join(' | ');
  const error = lines.find((l) => /^\w*Error\b/.test(l));
  return (error ?? lines.slice(-3).join(' | ')).slice(0, 500);
}

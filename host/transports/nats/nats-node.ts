/**
 * One remote node as the host sees it: a session with one runner over NATS, the host's
 * peer on a `NatsChannel`, and the same handshake policy as a process plugin (version,
 * codec, world by name and by structure). Calls, cancellation, handles and drain are the
 * peer's; this file keeps what is particular to a runner elsewhere: finding one (the
 * connect request), health both ways, and every way a session ends becoming one reason.
 *
 * States: `connecting` → `open` → `closing` → `down`. A runner that stops answering pings
 * for `health.timeoutMs` (killed, partitioned), ends the session itself, or loses frames
 * ends the node with ERR_NODE_DOWN; everything pending rejects once with that reason.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { isPluginHostError, PluginHostError, type ErrorCode } from '../../../common/errors.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { CODEC, Kind, PROTOCOL_VERSION } from '../../../common/protocol/messages.js';
import { Peer } from '../../../common/protocol/peer/peer.js';
import { PING_FEATURE, pingMonitor, pingResponder, type PingMonitor } from '../../../common/protocol/features/ping.js';
import type { WitFunction, World } from '../../../common/wit/model.js';
import type { CallRequest, LaunchContext, NodeConnection } from '../../system/node-connection.js';
import { agreedFeatures, checkHello, type Expectation } from '../process/handshake.js';
import { RemoteHandles } from '../remote-handles.js';
import type { NatsLaunchOptions } from './index.js';
import { createNatsChannel, type NatsChannel } from './nats-channel.js';
import { connectSubject, sessionSubjects, type ConnectReply, type ConnectRequest } from './subjects.js';

type State = 'connecting' | 'open' | 'closing' | 'down';

export class NatsNode implements NodeConnection {
  world!: World;
  readonly terminated: Promise<PluginHostError | undefined>;
  readonly capabilities = {};
  #settleTerminated!: (reason: PluginHostError | undefined) => void;
  #state: State = 'connecting';
  readonly #plugin: string;
  readonly #session = randomUUID().replaceAll('-', '');
  readonly #channel: NatsChannel;
  readonly #peer: Peer;
  readonly #handles: RemoteHandles;
  readonly #exportIndex = new Map<WitFunction, number>();
  #health: PingMonitor | undefined;
  #handshake!: { resolve: () => void; reject: (e: PluginHostError) => void; timer: NodeJS.Timeout };
  /** The runner that took the session, as it named itself. */
  runner: string | undefined;

  constructor(
    context: LaunchContext,
    private readonly options: NatsLaunchOptions,
    private readonly connection: NatsConnection,
    private readonly expectation: Expectation,
  ) {
    const plugin = (this.#plugin = context.name);
    this.terminated = new Promise((r) => { this.#settleTerminated = r; });
    this.#handles = new RemoteHandles(context.bridge);
    const subjects = sessionSubjects(options.namespace, this.#session);
    const remoteName = `remote plugin ${plugin} (node ${options.node})`;
    this.#channel = createNatsChannel({
      connection, inbound: subjects.host, outbound: subjects.runner, maxFrameBytes: options.maxFrameBytes, peerName: `the runner of ${plugin}`,
    });
    this.#peer = new Peer({
      role: 'host', channel: this.#channel, remoteName, errorContext: { plugin },
      handlers: {
        handshake: (m) => { if (m.kind === Kind.HELLO) this.#onHello(m.hello); },
        channelClosed: (error) => this.#onChannelClosed(error),
        closed: (reason) => { if (this.#state !== 'down') this.#terminate(reason); },
      },
    });
    // A connection closed for good (not one reconnecting) takes the session with it.
    void connection.closed().then((error) => {
      this.#terminate(new PluginHostError('ERR_NODE_DOWN', `remote plugin ${plugin}: the NATS connection closed${error ? `: ${error.message}` : ''}`, { plugin, cause: error }));
    });
  }

  /** Asks the node's runners for a session; resolves after the handshake. */
  async start(): Promise<this> {
    const plugin = this.#plugin;
    const handshake = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#terminate(new PluginHostError('ERR_HANDSHAKE', `remote plugin ${plugin} did not complete its handshake within ${this.options.handshakeTimeoutMs} ms`, { plugin }));
      }, this.options.handshakeTimeoutMs);
      this.#handshake = { resolve, reject, timer };
    });
    // Awaited below, after the connect request; a rejection meanwhile is not unhandled.
    handshake.catch(() => {});
    this.#peer.start();
    const request: ConnectRequest = { session: this.#session, ...(this.expectation.world ? { world: this.expectation.world } : {}) };
    const subject = connectSubject(this.options.namespace, this.options.node);
    try {
      const reply = await this.connection.request(subject, JSON.stringify(request), { timeout: this.options.connectTimeoutMs });
      const answer = parseReply(reply.data);
      if (!answer.ok) {
        const code: ErrorCode = answer.code === 'ERR_WORLD_MISMATCH' ? 'ERR_WORLD_MISMATCH' : 'ERR_NODE_UNREACHABLE';
        throw new PluginHostError(code, `remote plugin ${plugin}: the runner refused the session: ${answer.message}`, { plugin });
      }
      this.runner = answer.runner;
    } catch (e) {
      this.#terminate(isPluginHostError(e) ? e : unreachable(plugin, this.options, e));
    }
    await handshake;
    return this;
  }

  // ---------------------------------------------------------------- NodeConnection

  call(request: CallRequest): Promise<unknown> {
    const index = this.#exportIndex.get(request.fn);
    if (index === undefined && this.#state === 'open') {
      return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${this.#plugin} has no function ${request.fn.name}`, { plugin: this.#plugin }));
    }
    return this.#peer.call(index ?? -1, request.self as number | undefined, request.args, request.signal);
  }

  drop(local: unknown): Promise<void> {
    const handle = local as number;
    if (this.#state !== 'open') return Promise.resolve();
    this.#handles.dropped(handle);
    return this.#peer.drop(handle, AbortSignal.timeout(this.options.dropTimeoutMs));
  }

  /** A runner elsewhere cannot be signalled: the session is cut, as if the runner had crashed. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.#terminate(new PluginHostError('ERR_PLUGIN_EXITED', `remote plugin ${this.#plugin} was killed by the host (its session was cut)`, { plugin: this.#plugin, signal, exitCode: null }));
  }

  async close(options?: { timeoutMs?: number }): Promise<void> {
    if (this.#state === 'connecting') {
      this.#terminate(new PluginHostError('ERR_NODE_TERMINATED', `remote plugin ${this.#plugin} was stopped during its handshake`, { plugin: this.#plugin }));
    } else if (this.#state === 'open') {
      this.#state = 'closing';
      // The one drain: the runner finishes what is in flight, then ends the session.
      this.#peer.shutdown();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((r) => { timer = setTimeout(r, options?.timeoutMs ?? this.options.shutdownTimeoutMs); });
      await Promise.race([this.#peer.whenIdle(), deadline, this.terminated]);
      clearTimeout(timer);
      this.#terminate(undefined);
    }
    await this.terminated;
  }

  // ---------------------------------------------------------------- handshake

  #onHello(hello: unknown): void {
    const plugin = this.#plugin;
    if (this.#state !== 'connecting') return;
    try {
      // The runner serves the plugin's imports itself (its grants and host functions): the host offers none.
      const world = checkHello(plugin, hello, this.expectation);
      const exports = functionTable(world, 'export');
      exports.forEach((e, i) => this.#exportIndex.set(e.func, i));
      this.world = world;
      const features = agreedFeatures(hello as never);
      const health = this.options.health;
      const pinged = features.includes(PING_FEATURE);
      if (health && pinged) {
        this.#health = pingMonitor({
          ...health,
          unresponsive: (ms) => this.#terminate(new PluginHostError('ERR_NODE_DOWN', `remote plugin ${plugin}: its runner answered no health ping for ${ms} ms`, { plugin })),
        });
      }
      this.#peer.sendWelcome({ protocol: PROTOCOL_VERSION, codec: CODEC, features, exports: exports.map((e) => e.wireName), imports: [] });
      this.#peer.open({
        outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })),
        incoming: [], hooks: this.#handles, drop: (handle) => this.#handles.dropHostResource(handle),
        features: [...(this.#health ? [this.#health.feature] : []), ...(pinged ? [pingResponder(() => this.#peer)] : [])],
      });
      this.#health?.start(this.#peer);
    } catch (e) {
      const error = isPluginHostError(e) ? e : new PluginHostError('ERR_HANDSHAKE', `remote plugin ${plugin}: ${(e as Error).message}`, { plugin, cause: e });
      this.#peer.sendReject({ code: error.code, message: error.message });
      this.#terminate(error);
      return;
    }
    clearTimeout(this.#handshake.timer);
    this.#state = 'open';
    this.#handshake.resolve();
  }

  // ---------------------------------------------------------------- endings

  #onChannelClosed(error: PluginHostError | undefined): void {
    if (this.#state === 'closing' && !error) {
      this.#terminate(undefined);
      return;
    }
    const plugin = this.#plugin;
    this.#terminate(error
      ? new PluginHostError(error.code, `remote plugin ${plugin}: ${error.message}`, { plugin, cause: error })
      : new PluginHostError('ERR_NODE_DOWN', `remote plugin ${plugin}: its runner ended the session`, { plugin }));
  }

  #terminate(reason: PluginHostError | undefined): void {
    if (this.#state === 'down') return;
    const wasConnecting = this.#state === 'connecting';
    this.#state = 'down';
    clearTimeout(this.#handshake?.timer);
    this.#health?.stop();
    this.#peer.close(reason ?? new PluginHostError('ERR_NODE_TERMINATED', `remote plugin ${this.#plugin} was stopped`, { plugin: this.#plugin }));
    // The END message of the channel goes out before the connection closes.
    void this.connection.flush().catch(() => {}).finally(() => this.connection.close().catch(() => {}));
    if (wasConnecting) {
      this.#handshake?.reject(reason ?? new PluginHostError('ERR_HANDSHAKE', `remote plugin ${this.#plugin} stopped during its handshake`, { plugin: this.#plugin }));
    }
    this.#settleTerminated(reason);
  }
}

function parseReply(data: Uint8Array): ConnectReply {
  try {
    const reply = JSON.parse(new TextDecoder().decode(data)) as ConnectReply;
    if (reply && typeof reply === 'object' && (reply.ok === true || reply.ok === false)) return reply;
  } catch {
    // Answered below.
  }
  return { ok: false, code: 'ERR_PROTOCOL', message: 'its answer to the connect request is not a connect reply' };
}

function unreachable(plugin: string, options: NatsLaunchOptions, cause: unknown): PluginHostError {
  const e = cause as { message?: string; isNoResponders?: () => boolean; name?: string };
  const where = `node ${options.node} in namespace ${options.namespace}`;
  const why = typeof e?.isNoResponders === 'function' && e.isNoResponders()
    ? `no runner serves ${where}`
    : e?.name === 'TimeoutError' || /timeout/i.test(e?.message ?? '')
      ? `no runner of ${where} answered within ${options.connectTimeoutMs} ms`
      : `the connect request for ${where} failed: ${e?.message ?? String(cause)}`;
  return new PluginHostError('ERR_NODE_UNREACHABLE', `remote plugin ${plugin}: ${why}`, { plugin, cause });
}

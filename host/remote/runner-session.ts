/**
 * One session of a runner with one host (docs/protocol.md §14): the plugin role of the peer
 * over a `NatsChannel`, serving one local plugin through `exposeNode`. The runner sends
 * HELLO (its world and WIT), the host answers WELCOME with the functions it will call.
 *
 * A session ends when the host ends it (SHUTDOWN, then the calls in flight finish; or the
 * channel's END), when the host answers no health ping for `health.timeoutMs`, when frames
 * are lost, when the local incarnation it serves ends (the host then starts a new
 * incarnation of its own), or when the runner closes. However it ends, the resource actors
 * the host held are stopped.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { PluginHostError } from '../../common/errors.js';
import { CODEC, Kind, PROTOCOL_VERSION } from '../../common/protocol/messages.js';
import { Peer } from '../../common/protocol/peer/peer.js';
import { PING_FEATURE, pingMonitor, pingResponder, type PingMonitor } from '../../common/protocol/features/ping.js';
import { worldId, type World } from '../../common/wit/model.js';
import type { ActorSystem } from '../actor-system.js';
import type { Health } from '../plugin-spec.js';
import type { PluginNode } from '../system/plugin-node.js';
import type { Logger } from '../system/node-connection.js';
import { createNatsChannel } from '../transports/nats/nats-channel.js';
import { sessionSubjects } from '../transports/nats/subjects.js';
import { exposeNode, type ExposedNode } from './expose.js';

export const RUNNER_SDK = 'plugin-actors-runner/0.1.0';

export interface RunnerSessionOptions {
  readonly connection: NatsConnection;
  readonly namespace: string;
  readonly session: string;
  readonly system: ActorSystem;
  readonly node: PluginNode;
  readonly world: World;
  /** The WIT text of `world` and what it uses, sent in HELLO. */
  readonly wit: string;
  readonly health: Health;
  readonly maxFrameBytes: number;
  readonly logger: Logger;
  /** Called once, when the session has ended and its actors are stopped. */
  readonly ended: (session: RunnerSession) => void;
}

export class RunnerSession {
  readonly id: string;
  #open = true;
  readonly #peer: Peer;
  #exposed: ExposedNode | undefined;
  #health: PingMonitor | undefined;
  /** The local incarnation this session serves (a pool's members restart on their own: undefined). */
  readonly incarnation: number | undefined;

  constructor(private readonly options: RunnerSessionOptions) {
    this.id = options.session;
    const subjects = sessionSubjects(options.namespace, options.session);
    const channel = createNatsChannel({
      connection: options.connection, inbound: subjects.runner, outbound: subjects.host,
      maxFrameBytes: options.maxFrameBytes, peerName: `the host of session ${options.session}`,
    });
    this.#peer = new Peer({
      role: 'plugin', channel, remoteName: 'host', sendStacks: false,
      handlers: {
        handshake: (m) => {
          if (m.kind !== Kind.WELCOME) {
            this.end(m.kind === Kind.REJECT ? `the host refused the session: ${m.reject.code}: ${m.reject.message}` : 'unexpected handshake');
            return;
          }
          this.#welcomed(m.welcome);
        },
        shutdown: () => { void this.#peer.whenServed().then(() => this.end()); },
        channelClosed: (error) => this.end(error?.message),
        closed: (reason) => { if (reason.code === 'ERR_PROTOCOL') this.end(reason.message); },
      },
    });
    // When this local incarnation ends, the runner ends the session: the host's incarnation ends too.
    this.incarnation = options.node.instances === 1 ? options.node.incarnation : undefined;
    this.#peer.start();
    this.#peer.sendHello({
      protocol: [PROTOCOL_VERSION], codecs: [CODEC], world: worldId(options.world), wit: options.wit, sdk: RUNNER_SDK, features: [PING_FEATURE],
    });
  }

  get open(): boolean {
    return this.#open;
  }

  #welcomed(welcome: Parameters<typeof exposeNode>[3]): void {
    try {
      this.#exposed = exposeNode(this.options.system, this.options.node, this.options.world, welcome);
    } catch (e) {
      this.end(`its WELCOME does not fit this runner: ${(e as Error).message}`);
      return;
    }
    const agreed = (welcome.features ?? []).includes(PING_FEATURE);
    const health = this.options.health;
    if (agreed && health) {
      this.#health = pingMonitor({ ...health, unresponsive: (ms) => this.end(`the host answered no health ping for ${ms} ms`) });
    }
    this.#peer.open({
      ...this.#exposed.tables,
      features: agreed ? [pingResponder(() => this.#peer), ...(this.#health ? [this.#health.feature] : [])] : [],
    });
    this.#health?.start(this.#peer);
  }

  /** Ends the session (idempotent); `why` is logged when it is not the host's own ending. */
  end(why?: string): void {
    if (!this.#open) return;
    this.#open = false;
    if (why) this.options.logger.info(`runner: session ${this.id} of ${this.options.node.name} ended: ${why}`);
    this.#health?.stop();
    this.#peer.close(new PluginHostError('ERR_NODE_TERMINATED', `the session ${this.id} ended${why ? `: ${why}` : ''}`));
    const exposed = this.#exposed;
    void (exposed ? exposed.release() : Promise.resolve()).finally(() => this.options.ended(this));
  }
}

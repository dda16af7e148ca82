/**
 * The NATS transport: a plugin hosted by a runner elsewhere (`plugin-actors serve --nats`),
 * reached through a NATS server (docs/distributed.md). Each incarnation is one session:
 * its own NATS connection, one connect request answered by one of the node's runners,
 * then frames on the session's subjects (docs/protocol.md §14).
 */
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { PluginHostError } from '../../../common/errors.js';
import { hostWitDir } from '../../../common/package-files.js';
import { loadWit, selectWorld } from '../../../common/wit/load.js';
import type { World } from '../../../common/wit/model.js';
import type { Health } from '../../plugin-spec.js';
import type { LaunchContext, NodeConnection } from '../../system/node-connection.js';
import { NatsNode } from './nats-node.js';

/** Options of the NATS client passed through as given (credentials, TLS, reconnect settings, …), except `servers`. */
export type NatsConnectOptions = Omit<NodeConnectionOptions, 'servers'>;

/** A validated remote plugin spec (see `validatePluginSpec`): every default filled in. */
export interface NatsLaunchOptions {
  readonly servers: readonly string[];
  readonly node: string;
  readonly namespace: string;
  readonly connectOptions: NatsConnectOptions;
  readonly connectTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly dropTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly world?: string;
  readonly wit?: string;
  readonly health: Health;
}

export async function launchNats(options: NatsLaunchOptions, context: LaunchContext): Promise<NodeConnection> {
  let expected: World | undefined;
  if (options.wit !== undefined) expected = selectWorld(await loadWit(options.wit, { deps: [hostWitDir()] }), options.world);
  let connection;
  try {
    // Reconnect for ever by default: whether the runner is still there is for health pings to say.
    connection = await connect({ maxReconnectAttempts: -1, ...options.connectOptions, servers: [...options.servers] });
  } catch (cause) {
    throw new PluginHostError('ERR_NODE_UNREACHABLE', `remote plugin ${context.name}: cannot connect to NATS at ${options.servers.join(', ')}: ${(cause as Error).message}`, { plugin: context.name, cause });
  }
  const node = new NatsNode(context, options, connection, {
    ...(options.world ? { world: options.world } : {}), ...(expected ? { expected } : {}),
  });
  return node.start();
}

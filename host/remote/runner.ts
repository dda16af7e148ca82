/**
 * A runner: hosts plugins in a local `ActorSystem` (with their grants, limits and
 * supervision, as any local host would) and serves each on NATS, where hosts reach it as a
 * remote node (docs/distributed.md). `plugin-actors serve --nats` runs one.
 *
 * Each plugin is offered under its name: the runner answers `<namespace>.node.<name>.connect`
 * as a member of the node's queue group, so several runners of one plugin share the new
 * sessions between them. A session is pinned to the runner that took it: the resource
 * actors made through it live here.
 *
 * Example:
 *   await using runner = await startRunner({
 *     nats: 'nats://127.0.0.1:4222',
 *     plugins: [{ spec: { name: 'thumbnailer', wasm: './thumbnailer.wasm' }, wit: './wit' }],
 *   });
 */
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { PluginHostError } from '../../common/errors.js';
import { hostWitDir } from '../../common/package-files.js';
import { functionTable } from '../../common/protocol/function-table.js';
import { loadWit, matchesId, selectWorld } from '../../common/wit/load.js';
import { worldId, type World } from '../../common/wit/model.js';
import { printPackages } from '../../common/wit/print.js';
import { ActorSystem, type ActorSystemOptions } from '../actor-system.js';
import type { HealthOptions, Health, ProcessPluginSpec, WasmPluginSpec } from '../plugin-spec.js';
import { validatePluginSpec } from '../plugin-spec.js';
import type { PluginNode } from '../system/plugin-node.js';
import type { NatsConnectOptions } from '../transports/nats/index.js';
import { connectSubject, DEFAULT_NAMESPACE, isValidNamespace, RUNNER_QUEUE, type ConnectReply, type ConnectRequest } from '../transports/nats/subjects.js';
import { RunnerSession } from './runner-session.js';

export interface RunnerPlugin {
  /** How the runner starts the plugin here; its `name` is the node name hosts ask for. */
  readonly spec: WasmPluginSpec | ProcessPluginSpec;
  /** WIT file or directory defining the plugin's world; hosts receive it in HELLO. */
  readonly wit: string;
  /** The world in `wit` (`ns:pkg/world[@version]`); optional when the WIT defines one. */
  readonly world?: string;
}

export interface RunnerOptions {
  /** The NATS server URL, or several of one cluster. */
  readonly nats: string | readonly string[];
  /** The subject namespace, shared with the hosts. @default 'plugin-actors' */
  readonly namespace?: string;
  /** Passed to the NATS client as given: credentials, `tls`, reconnect settings. */
  readonly connectOptions?: NatsConnectOptions;
  readonly plugins: readonly RunnerPlugin[];
  /** Health pings to each host; a host silent for `timeoutMs` loses its session. `false`: none. */
  readonly health?: HealthOptions | false;
  /** Options of the local actor system (logger, cacheDir). */
  readonly system?: ActorSystemOptions;
  /** Largest frame accepted from a host. @default 64 MiB */
  readonly maxFrameBytes?: number;
}

export interface Runner extends AsyncDisposable {
  /** This runner's name in connect replies (unique per start). */
  readonly id: string;
  /** The local system the plugins run in. */
  readonly system: ActorSystem;
  /** Sessions open now, by plugin name. */
  sessions(plugin?: string): number;
  /** Ends every session, stops the plugins, closes the NATS connection. */
  close(): Promise<void>;
}

interface Served {
  readonly node: PluginNode;
  readonly world: World;
  readonly wit: string;
  readonly subscription: Subscription;
  readonly sessions: Set<RunnerSession>;
}

export async function startRunner(options: RunnerOptions): Promise<Runner> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (!isValidNamespace(namespace)) throw new PluginHostError('ERR_INVALID_OPTION', `namespace must be dot-separated tokens of [A-Za-z0-9_-], got ${JSON.stringify(namespace)}`);
  if (!Array.isArray(options.plugins) || options.plugins.length === 0) throw new PluginHostError('ERR_INVALID_OPTION', 'a runner needs at least one plugin');
  const health = runnerHealth(options.health);
  const maxFrameBytes = options.maxFrameBytes ?? 64 * 1024 * 1024;
  const system = new ActorSystem(options.system);
  const id = `runner-${randomUUID().slice(0, 8)}`;
  const served = new Map<string, Served>();
  let connection: NatsConnection | undefined;
  let closing: Promise<void> | undefined;

  const close = () => closing ??= (async () => {
    for (const s of served.values()) {
      s.subscription.unsubscribe();
      for (const session of s.sessions) session.end('the runner is closing');
    }
    await connection?.flush().catch(() => {});
    await system.close();
    await connection?.close().catch(() => {});
  })();

  system.on('terminated', (e) => {
    for (const session of served.get(e.node)?.sessions ?? []) {
      if (session.incarnation === e.incarnation) session.end(`its local incarnation ${e.incarnation} ended`);
    }
  });
  try {
    const worlds = await Promise.all(options.plugins.map((p) => pluginWorld(p)));
    const servers = typeof options.nats === 'string' ? [options.nats] : [...options.nats];
    try {
      connection = await connect({ maxReconnectAttempts: -1, ...options.connectOptions, servers });
    } catch (cause) {
      throw new PluginHostError('ERR_NODE_UNREACHABLE', `runner: cannot connect to NATS at ${servers.join(', ')}: ${(cause as Error).message}`, { cause });
    }
    for (const [i, plugin] of options.plugins.entries()) {
      const { world, wit } = worlds[i]!;
      const node = await system.load(plugin.spec);
      checkExports(node, world);
      const sessions = new Set<RunnerSession>();
      const nc = connection;
      const subscription = nc.subscribe(connectSubject(namespace, node.name), {
        queue: RUNNER_QUEUE,
        callback: (err, msg) => {
          if (err || closing) return;
          const answer = (reply: ConnectReply) => { msg.respond(JSON.stringify(reply)); };
          const request = parseRequest(msg.data);
          if (!request) return answer({ ok: false, code: 'ERR_PROTOCOL', message: 'the connect request is malformed' });
          if (request.world !== undefined && !matchesId(worldId(world), request.world)) {
            return answer({ ok: false, code: 'ERR_WORLD_MISMATCH', message: `runner ${id} serves ${node.name} with world ${worldId(world)}, not ${request.world}` });
          }
          if (!node.running) return answer({ ok: false, code: 'ERR_NODE_UNREACHABLE', message: `runner ${id}: ${node.name} is ${node.state}` });
          const session = new RunnerSession({
            connection: nc, namespace, session: request.session, system, node, world, wit, health, maxFrameBytes,
            logger: system.logger, ended: (s) => sessions.delete(s),
          });
          sessions.add(session);
          answer({ ok: true, runner: id });
        },
      });
      served.set(node.name, { node, world, wit, subscription, sessions });
    }
    await connection.flush();
  } catch (e) {
    await close();
    throw e;
  }

  return {
    id, system,
    sessions: (plugin) => [...served.values()].filter((s) => plugin === undefined || s.node.name === plugin).reduce((n, s) => n + s.sessions.size, 0),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The world a plugin announces, and its WIT text with everything it uses. */
async function pluginWorld(plugin: RunnerPlugin): Promise<{ world: World; wit: string }> {
  if (typeof plugin.wit !== 'string') throw new PluginHostError('ERR_INVALID_OPTION', `runner plugin ${plugin.spec?.name}: wit (a WIT file or directory) is required`);
  validatePluginSpec(plugin.spec);
  const resolved = await loadWit(plugin.wit, { deps: [hostWitDir()] });
  const world = selectWorld(resolved, plugin.world);
  return { world, wit: printPackages(resolved.packages, world.package) };
}

/** The local plugin must export everything the announced world does. */
function checkExports(node: PluginNode, world: World): void {
  for (const e of functionTable(world, 'export')) {
    try {
      node.exports(e.interfaceKey === '' ? undefined : e.interfaceKey);
    } catch (cause) {
      throw new PluginHostError('ERR_WORLD_MISMATCH', `runner: plugin ${node.name} does not export ${e.interfaceKey || e.wireName} of world ${worldId(world)}`, { plugin: node.name, cause });
    }
  }
}

function parseRequest(data: Uint8Array): ConnectRequest | undefined {
  try {
    const r = JSON.parse(new TextDecoder().decode(data)) as ConnectRequest;
    if (typeof r?.session !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(r.session)) return undefined;
    if (r.world !== undefined && typeof r.world !== 'string') return undefined;
    return r;
  } catch {
    return undefined;
  }
}

function runnerHealth(value: HealthOptions | false | undefined): Health {
  if (value === false) return undefined;
  const intervalMs = value?.intervalMs ?? 5_000;
  const timeoutMs = value?.timeoutMs ?? Math.max(20_000, 2 * intervalMs);
  if (!(intervalMs > 0 && timeoutMs > intervalMs)) throw new PluginHostError('ERR_INVALID_OPTION', 'runner health: timeoutMs must be longer than intervalMs');
  return { intervalMs, timeoutMs };
}

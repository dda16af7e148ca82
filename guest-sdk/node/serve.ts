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
 *
 * Lifetime: the process exits when the host ends the connection (§1 of the protocol): at
 * once when the channel closes, or after in-flight calls finish when the host sends
 * SHUTDOWN (at most `shutdownGraceMs`). `closed` resolves just before.
 */
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PluginHostError } from '../../common/errors.js';
import { hostWitDir } from '../../common/package-files.js';
import { CODEC, Kind, PROTOCOL_VERSION, type LogLevel } from '../../common/protocol/messages.js';
import { Peer, type IncomingCall } from '../../common/protocol/peer/peer.js';
import { PING_FEATURE, pingResponder } from '../../common/protocol/features/ping.js';
import { TREE_FEATURE, treeAnnouncer } from '../../common/protocol/features/tree.js';
import { createStreamChannel } from '../../common/protocol/stream-channel.js';
import { loadWit, parseWitSource, selectWorld } from '../../common/wit/load.js';
import type { Resolved, World } from '../../common/wit/model.js';
import { worldId } from '../../common/wit/model.js';
import { printPackages } from '../../common/wit/print.js';
import { guestTables, type GuestTables } from './guest-tables.js';
import { missingExports } from './missing-exports.js';

export { ResultError } from './result-error.js';

/** What `plugin-actors types` generates for a world, as far as a Node plugin needs it. */
export interface GuestWorldTypes {
  /** What the plugin implements, by interface name (`''`: world-level functions). */
  readonly implementation: object;
  /** What the plugin may call on the host, by interface name. */
  readonly host: object;
}

/** A plugin served without a world type: implementations and imports are untyped. */
export interface UntypedGuestWorld {
  readonly implementation: Readonly<Record<string, unknown>>;
  readonly host: Readonly<Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>>;
}

/**
 * `W`, a world type from `plugin-actors types` (`serve<Greeter>({ … })`), types `exports`
 * (a missing or mistyped function is a compile error) and the returned `imports`.
 */
export interface ServeOptions<W extends GuestWorldTypes = UntypedGuestWorld> {
  /** WIT file or directory (path or file: URL). Either this or `witSource`. */
  readonly wit?: string | URL;
  /** WIT text (may hold several `package … { }` blocks). */
  readonly witSource?: string;
  /** The world this plugin implements; optional when the WIT defines one. */
  readonly world?: string;
  /** Implementations, keyed by interface name (`ns:pkg/iface`) or world-level function name. */
  readonly exports: W['implementation'];
  /** After SHUTDOWN, how long calls in flight may take before the process exits anyway. Default 1 500. */
  readonly shutdownGraceMs?: number;
}

/** What an implementation receives after its WIT parameters. */
export type CallContext = IncomingCall;

export interface ServedPlugin<W extends GuestWorldTypes = UntypedGuestWorld> {
  /** Calls into the host's implementations of the world's imports (each returns a Promise). */
  readonly imports: W['host'];
  /** Writes a log record into the host's logger. */
  log(level: LogLevel, message: string): void;
  /** Resolves when the host ended the connection (the process exits right after). */
  readonly closed: Promise<void>;
}

const ENV_FD = 'PLUGIN_ACTORS_FD';
const SDK = 'plugin-actors-node/0.1.0';

/** Connects to the host and serves calls until the host ends the connection. */
export async function serve<W extends GuestWorldTypes = UntypedGuestWorld>(options: ServeOptions<W>): Promise<ServedPlugin<W>> {
  const fdText = process.env[ENV_FD];
  if (!fdText) {
    process.stderr.write('This program is a plugin-actors plugin: a host application starts it (PLUGIN_ACTORS_FD is not set).\n');
    process.exit(1);
  }
  // What goes wrong before the handshake is said on stderr, which the host quotes in its error.
  const { world, packages } = await loadWorld(options).catch((e: unknown) => refuse(e instanceof PluginHostError ? `${e.code}: ${e.message}` : String(e)));
  const missing = missingExports(world, options.exports as Readonly<Record<string, unknown>>);
  if (missing.length > 0) refuse(`ERR_EXPORT_MISSING: this plugin does not implement ${missing.join(', ')} of world ${worldId(world)}`);
  const channel = createStreamChannel(new Socket({ fd: Number(fdText), readable: true, writable: true }), { peerName: 'the host' });
  let tables: GuestTables | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  let exitCode = 0;
  const end = (code: number, why?: string) => {
    if (why) process.stderr.write(`plugin-actors: ${why}\n`);
    exitCode = Math.max(exitCode, code);
    peer.close(new PluginHostError('ERR_NODE_TERMINATED', 'the host ended the connection'));
  };

  let peer!: Peer;
  const welcomed = new Promise<void>((resolve, reject) => {
    peer = new Peer({
      role: 'plugin', channel, remoteName: 'host', sendStacks: true,
      handlers: {
        handshake(m) {
          if (m.kind !== Kind.WELCOME) {
            reject(new PluginHostError('ERR_HANDSHAKE', `the host refused this plugin: ${m.kind === Kind.REJECT ? `${m.reject.code}: ${m.reject.message}` : 'unexpected answer'}`));
            return;
          }
          // Open at once: the host may send calls right behind WELCOME, in the same read.
          tables = guestTables(world, m.welcome, options.exports as Readonly<Record<string, unknown>>, peer, agreedTree(m.welcome.features, () => peer));
          const agreed = m.welcome.features ?? [];
          peer.open({ ...tables.peerTables, features: agreed.includes(PING_FEATURE) ? [pingResponder(() => peer)] : [] });
          resolve();
        },
        shutdown() {
          const grace = setTimeout(() => end(0), options.shutdownGraceMs ?? 1500);
          grace.unref();
          void tables?.whenServed().then(() => {
            clearTimeout(grace);
            channel.end();
            end(0);
          });
        },
        channelClosed(error) {
          end(error ? 70 : 0, error ? error.message : undefined);
          reject(new PluginHostError('ERR_HANDSHAKE', 'the host closed the connection during the handshake'));
        },
        closed(reason) {
          if (reason.code === 'ERR_PROTOCOL') {
            exitCode = 70;
            process.stderr.write(`plugin-actors: ${reason.message}; exiting\n`);
          }
          resolveClosed();
          // The host ended the connection: nothing is left to serve, and a plugin must not outlive its host.
          setImmediate(() => process.exit(exitCode));
        },
      },
    });
  });
  peer.start();
  peer.sendHello({
    protocol: [PROTOCOL_VERSION], codecs: [CODEC], world: worldId(world), wit: printPackages(packages, world.package), sdk: SDK, features: [PING_FEATURE, TREE_FEATURE],
  });
  try {
    await welcomed;
  } catch (e) {
    process.stderr.write(`plugin-actors: ${(e as Error).message}\n`);
    process.exit(1);
  }
  // A watchdog that needs no pipe: a host that died leaves this process to another parent.
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) end(0, 'the host process is gone; exiting'); }, 1000).unref();
  // Calls that arrived with WELCOME run once `await serve()` has returned to the plugin's code.
  setImmediate(() => tables!.release());
  return { imports: tables!.imports as W['host'], log: (level, message) => peer.log(level, message), closed };
}

function refuse(why: string): never {
  process.stderr.write(`plugin-actors: ${why}\n`);
  process.exit(1);
}

async function loadWorld(options: ServeOptions<GuestWorldTypes>): Promise<{ world: World; packages: Resolved['packages'] }> {
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

/** `tree@1`, when the host agreed to it: the guest tables announce routes and endings. */
function agreedTree(features: readonly string[] | undefined, peer: () => Peer): { tree?: ReturnType<typeof treeAnnouncer> } {
  if (!features?.includes(TREE_FEATURE)) return {};
  return { tree: treeAnnouncer(peer) };
}

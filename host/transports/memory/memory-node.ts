/**
 * The in-memory transport: a node whose plugin is plain JavaScript in this process, reached
 * through two peers joined by in-memory frame channels. Everything a process plugin does on
 * the wire happens (encoding, ids, handles, cancellation, drain), minus the child process.
 * The core's unit tests use it, and `schedule` lets them decide the order in which frames
 * arrive, so interleavings can be searched instead of waited for.
 *
 * Example:
 *   const node = await core.start('calc', (context) => launchMemory({ world, exports: { 'x:y/calc': { add: (a, b) => a + b } } }, context));
 */
import { PluginHostError } from '../../../common/errors.js';
import { resolveHostCall } from '../../../common/host-objects.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { LocalResources } from '../../../common/protocol/local-resources.js';
import { createMemoryChannelPair, type Schedule } from '../../../common/protocol/memory-channel.js';
import { Peer, type IncomingFunction } from '../../../common/protocol/peer/peer.js';
import type { ResourceType, WitFunction, World } from '../../../common/wit/model.js';
import { stripVersion } from '../../../common/wit/names.js';
import type { CallRequest, LaunchContext, NodeConnection } from '../../system/node-connection.js';
import { RemoteHandles } from '../remote-handles.js';

export interface MemoryPluginOptions {
  /** The world the plugin implements. */
  readonly world: World;
  /** Implementations, jco style: interface name → functions and resource classes. */
  readonly exports: Readonly<Record<string, unknown>>;
  /** Delivers frames (a microtask by default); tests pass their own to control the order. */
  readonly schedule?: Schedule;
  /** How long `close()` lets calls in flight finish. @default 2 000 */
  readonly shutdownTimeoutMs?: number;
}

export interface MemoryNode extends NodeConnection {
  /** Ends the node as a crash would: pending and later calls reject with `reason`. */
  crash(reason: PluginHostError): void;
}

export async function launchMemory(options: MemoryPluginOptions, context: LaunchContext): Promise<MemoryNode> {
  const { world } = options;
  const [hostEnd, pluginEnd] = createMemoryChannelPair(options.schedule ? { schedule: options.schedule } : {});
  const exports = functionTable(world, 'export');
  const exportIndex = new Map<WitFunction, number>(exports.map((e, i) => [e.func, i]));
  let settle!: (reason: PluginHostError | undefined) => void;
  const terminated = new Promise<PluginHostError | undefined>((r) => { settle = r; });
  let down = false;
  const end = (reason: PluginHostError | undefined) => {
    if (down) return;
    down = true;
    const closing = reason ?? new PluginHostError('ERR_NODE_TERMINATED', `plugin ${context.name} was stopped`, { plugin: context.name });
    host.close(closing);
    plugin.close(closing);
    settle(reason);
  };
  const host = new Peer({
    role: 'host', channel: hostEnd, remoteName: `plugin ${context.name}`, errorContext: { plugin: context.name },
    handlers: { handshake: () => {}, channelClosed: () => end(undefined), closed: (r) => { if (r.code === 'ERR_PROTOCOL') end(r); } },
  });
  const plugin = new Peer({ role: 'plugin', channel: pluginEnd, remoteName: 'host', handlers: { handshake: () => {}, channelClosed: () => {} } });
  const handles = new RemoteHandles(context.bridge);
  host.open({ outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming: [], hooks: handles });
  plugin.open(pluginTables(world, options.exports));
  host.start();
  plugin.start();

  return {
    world,
    terminated,
    capabilities: {},
    call(request: CallRequest) {
      const index = exportIndex.get(request.fn);
      if (index === undefined) return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${context.name} has no function ${request.fn.name}`));
      return host.call(index, request.self as number | undefined, request.args, request.signal);
    },
    drop(local) {
      if (down) return Promise.resolve();
      handles.dropped(local as number);
      return host.drop(local as number);
    },
    async close(closeOptions) {
      if (!down) {
        host.shutdown();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((r) => { timer = setTimeout(r, closeOptions?.timeoutMs ?? options.shutdownTimeoutMs ?? 2000); });
        await Promise.race([host.whenIdle(), terminated, deadline]);
        clearTimeout(timer);
        end(undefined);
      }
      await terminated;
    },
    crash: (reason) => end(reason),
    kill: (signal = 'SIGKILL') => end(new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${context.name} was killed by the host`, { plugin: context.name, signal, exitCode: null })),
  };
}

/** The plugin's side: implementations by interface, its resources in a handle table. */
function pluginTables(world: World, implementations: Readonly<Record<string, unknown>>) {
  const exports = functionTable(world, 'export');
  const own = new Set<ResourceType>(exports.flatMap((e) => (e.func.resource ? [e.func.resource] : [])));
  const local = new LocalResources();
  const incoming: IncomingFunction[] = exports.map((e) => {
    const call = resolveHostCall(implementations, e.interfaceKey, e.func) ?? resolveHostCall(implementations, stripVersion(e.interfaceKey), e.func);
    return {
      name: e.wireName, func: e.func,
      serve: (self, args, context) => {
        if (!call) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `this plugin does not implement ${e.wireName}`);
        args.push(context);
        return call(self, args);
      },
    };
  });
  return {
    outgoing: [],
    incoming,
    hooks: {
      encode: (resource: ResourceType, value: unknown, isOwn: boolean, path: string) => {
        if (!own.has(resource)) throw new PluginHostError('ERR_UNSUPPORTED', `${path}: memory plugins hold no host resources`);
        return isOwn ? local.give(value, path) : local.lend(value, path);
      },
      decode: (_resource: ResourceType, handle: number, isOwn: boolean) => (isOwn ? local.take(handle) : local.get(handle)),
    },
    drop: (handle: number) => local.drop(handle),
  };
}

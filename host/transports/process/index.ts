/**
 * Connects a subprocess plugin: spawn, handshake, then a `NodeConnection`.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { HostImports } from '../../../common/host-objects.js';
import { loadWit, selectWorld } from '../../../common/wit/load.js';
import { hostWitDir } from '../../../common/package-files.js';
import type { World } from '../../../common/wit/model.js';
import type { Logger, NodeConnection, ResourceBridge } from '../../system/node-connection.js';
import { ProcessConnection } from './connection.js';
import { spawnPlugin, type SpawnOptions } from './spawn.js';

export interface ProcessPluginOptions extends SpawnOptions {
  /** The world the plugin must implement (`ns:pkg/world[@version]`); checked in the handshake. */
  readonly world?: string;
  /** WIT file or directory defining the expected world: the plugin's types must match it exactly. */
  readonly wit?: string;
  /** Host implementations of the plugin's imports (functions may be async). */
  readonly imports?: HostImports;
  /** Default 10 000. */
  readonly handshakeTimeoutMs?: number;
  /** How long a stopping plugin may take to exit before it is killed. Default 2 000. */
  readonly shutdownTimeoutMs?: number;
  /** Largest frame accepted from the plugin. Default 64 MiB. */
  readonly maxFrameBytes?: number;
}

export async function connectProcess(plugin: string, options: ProcessPluginOptions, bridge: ResourceBridge, logger: Logger): Promise<NodeConnection> {
  if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some((c) => typeof c !== 'string')) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'command must be a non-empty array of strings, e.g. [process.execPath, "plugin.js"]', { plugin });
  }
  for (const key of ['handshakeTimeoutMs', 'shutdownTimeoutMs', 'maxFrameBytes'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
      throw new PluginHostError('ERR_INVALID_OPTION', `${key} must be a positive number, got ${String(v)}`, { plugin });
    }
  }
  let expected: World | undefined;
  if (options.wit !== undefined) expected = selectWorld(await loadWit(options.wit, { deps: [hostWitDir()] }), options.world);
  const { child, channel } = spawnPlugin(plugin, options, logger);
  const connection = new ProcessConnection({
    plugin, child, channel, bridge, logger,
    expectation: { ...(options.world ? { world: options.world } : {}), ...(expected ? { expected } : {}) },
    imports: options.imports ?? {},
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 2_000,
    ...(options.maxFrameBytes ? { maxFrameBytes: options.maxFrameBytes } : {}),
  });
  return connection.start();
}

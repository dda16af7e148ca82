/**
 * The subprocess transport: spawn the plugin's command with the protocol on fd 3, run the
 * handshake, and hand the core a `NodeConnection` (docs/protocol.md).
 */
import type { HostImports } from '../../../common/host-objects.js';
import { hostWitDir } from '../../../common/package-files.js';
import { loadWit, selectWorld } from '../../../common/wit/load.js';
import type { World } from '../../../common/wit/model.js';
import type { Health } from '../../plugin-spec.js';
import type { Integrity, IntegrityPolicy } from '../../integrity/index.js';
import { checkProgramFile } from './program-integrity.js';
import type { LaunchContext, NodeConnection } from '../../system/node-connection.js';
import { ProcessNode } from './process-node.js';
import { spawnPlugin } from './spawn.js';

/** A validated process plugin spec (see `validatePluginSpec`): every default filled in. */
export interface ProcessLaunchOptions {
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly inheritEnv: boolean;
  readonly allowEnv?: readonly string[];
  readonly world?: string;
  readonly wit?: string;
  readonly imports: HostImports;
  readonly handshakeTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly frameTimeoutMs: number;
  readonly maxIncomingCalls: number;
  readonly dropTimeoutMs: number;
  readonly health: Health;
  readonly integrity?: Integrity;
  /** OS limits of the process (`prlimit`, Linux): address space and CPU time. */
  readonly memoryBytes?: number;
  readonly cpuSeconds?: number;
  /** After a CANCEL the process does not answer within this long, it is killed (ERR_UNRESPONSIVE). None: never. */
  readonly killOnCancelTimeoutMs?: number;
}

export async function launchProcess(options: ProcessLaunchOptions, context: LaunchContext, integrity: IntegrityPolicy = {}): Promise<NodeConnection> {
  await checkProgramFile(context.name, options, integrity);
  let expected: World | undefined;
  if (options.wit !== undefined) expected = selectWorld(await loadWit(options.wit, { deps: [hostWitDir()] }), options.world);
  const child = spawnPlugin(context.name, options, context.logger);
  const node = new ProcessNode(context, {
    ...options,
    child,
    expectation: { ...(options.world ? { world: options.world } : {}), ...(expected ? { expected } : {}) },
  });
  return node.start();
}

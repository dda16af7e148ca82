/**
 * Starts a plugin process with the protocol on its own channel (fd 3, a socket pair), never
 * on stdout: the child's stdout and stderr become log records under the plugin's name, so
 * stray prints cannot corrupt the protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PluginHostError } from '../../../common/errors.js';
import { writePluginLog } from '../../capabilities/host-log.js';
import type { Logger } from '../../system/node-connection.js';

export const PROTOCOL_FD = 3;
/** Set for the child: the fd of the protocol channel. Its presence says "run by a host". */
export const ENV_FD = 'PLUGIN_ACTORS_FD';
/** Set for the child: the protocol versions the host speaks. */
export const ENV_PROTOCOL = 'PLUGIN_ACTORS_PROTOCOL';

export interface SpawnOptions {
  readonly command: readonly string[];
  readonly cwd?: string;
  /** Extra environment variables (added to the host's environment unless `inheritEnv` is false). */
  readonly env?: Readonly<Record<string, string>>;
  readonly inheritEnv: boolean;
}

const MAX_LINE = 64 * 1024;

/** Splits a byte stream into lines for the logger; overlong lines are cut. */
function pipeLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      emit(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
    if (pending.length > MAX_LINE) {
      emit(`${pending.slice(0, MAX_LINE)} …[line cut at ${MAX_LINE} characters]`);
      pending = '';
    }
  });
  stream.on('end', () => {
    if (pending !== '') emit(pending);
    pending = '';
  });
}

/** Starts the child; the protocol channel is `child.stdio[3]`. */
export function spawnPlugin(plugin: string, options: SpawnOptions, logger: Logger): ChildProcess {
  const [file, ...args] = options.command;
  if (!file) throw new PluginHostError('ERR_INVALID_OPTION', 'command must name a program', { plugin });
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...(options.inheritEnv === false ? {} : process.env), ...options.env, [ENV_FD]: String(PROTOCOL_FD), [ENV_PROTOCOL]: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    // Its own process group: the host can end the plugin and everything it started at once.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  pipeLines(child.stdout!, (line) => writePluginLog(logger, plugin, 'info', line, { stream: 'stdout' }));
  pipeLines(child.stderr!, (line) => writePluginLog(logger, plugin, 'warn', line, { stream: 'stderr' }));
  return child;
}

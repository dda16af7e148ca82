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
  /** Variables set for the plugin (over what it gets from the host's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** The whole host environment (true), or only `BASE_ENV` and `allowEnv` (false). */
  readonly inheritEnv: boolean;
  /** Names of host variables passed on when `inheritEnv` is false. */
  readonly allowEnv?: readonly string[];
  /** OS limits (Linux, through util-linux `prlimit`): address space bytes, CPU seconds. */
  readonly memoryBytes?: number;
  readonly cpuSeconds?: number;
}

/**
 * The command, run under `prlimit` when the spec sets OS limits: the kernel then refuses
 * allocations past `--as` and kills the process (SIGXCPU/SIGKILL) past `--cpu`, and the
 * node ends with ERR_PLUGIN_EXITED like any other exit. Other systems have no such
 * wrapper here: limits are refused there rather than silently not applied.
 */
function withOsLimits(plugin: string, options: SpawnOptions): readonly string[] {
  const limits = [
    ...(options.memoryBytes !== undefined ? [`--as=${options.memoryBytes}`] : []),
    ...(options.cpuSeconds !== undefined ? [`--cpu=${options.cpuSeconds}`] : []),
  ];
  if (limits.length === 0) return options.command;
  if (process.platform !== 'linux') {
    throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${plugin}: limits.memoryBytes and limits.cpuSeconds for process plugins need Linux (prlimit)`, { plugin });
  }
  return ['prlimit', ...limits, '--', ...options.command];
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

/**
 * Variables a plugin process gets from the host's environment unless `inheritEnv: true`:
 * what finding and running programs needs (so `['python3', 'plugin.py']` resolves), never
 * the application's own settings or secrets.
 */
export const BASE_ENV: readonly string[] = process.platform === 'win32'
  ? ['PATH', 'PATHEXT', 'SYSTEMROOT', 'SystemRoot', 'COMSPEC', 'TEMP', 'TMP', 'WINDIR']
  : ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'];

function pluginEnvironment(options: SpawnOptions): Record<string, string | undefined> {
  if (options.inheritEnv) return { ...process.env, ...options.env };
  const base: Record<string, string | undefined> = {};
  for (const key of [...BASE_ENV, ...(options.allowEnv ?? [])]) if (process.env[key] !== undefined) base[key] = process.env[key];
  return { ...base, ...options.env };
}

/** Starts the child; the protocol channel is `child.stdio[3]`. */
export function spawnPlugin(plugin: string, options: SpawnOptions, logger: Logger): ChildProcess {
  if (!options.command[0]) throw new PluginHostError('ERR_INVALID_OPTION', 'command must name a program', { plugin });
  const [file, ...args] = withOsLimits(plugin, options);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...pluginEnvironment(options), [ENV_FD]: String(PROTOCOL_FD), [ENV_PROTOCOL]: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    // Its own process group: the host can end the plugin and everything it started at once.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  pipeLines(child.stdout!, (line) => writePluginLog(logger, plugin, 'info', line, { stream: 'stdout' }));
  pipeLines(child.stderr!, (line) => writePluginLog(logger, plugin, 'warn', line, { stream: 'stderr' }));
  return child;
}

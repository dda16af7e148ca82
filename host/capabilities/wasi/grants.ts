/**
 * Deny by default: every WASI 0.2 interface a component may import is provided, and what
 * the plugin's grants do not name denies. "Deny" means, for a function with an error
 * result, the error a WASI host returns when its policy refuses (`access-denied`,
 * `not-permitted`, `HTTP-request-denied`); for one without, a fixed, harmless answer:
 *
 * | grant    | interfaces                                   | ungranted                                   |
 * |----------|----------------------------------------------|---------------------------------------------|
 * | env, args, cwd | `wasi:cli/environment`                 | no variables, no arguments, no cwd          |
 * | stdio    | `wasi:cli/stdout`, `stderr` → host logger    | output discarded; stdin is always empty     |
 * | clocks   | `wasi:clocks/monotonic-clock`, `wall-clock`  | time stands still at 0 / the Unix epoch; clock pollables are ready at once |
 * | random   | `wasi:random/*`                              | zeros                                        |
 * | fs       | `wasi:filesystem/*`: the preopens named      | no preopens                                  |
 * | (none)   | `wasi:sockets/*`                             | always denied: `access-denied`              |
 * | (none)   | `wasi:http/outgoing-handler`                 | always denied: `HTTP-request-denied`        |
 *
 * Always there: `wasi:io/*`, `wasi:cli/exit` (ends the plugin's node, never the host),
 * `wasi:cli/terminal-*` (never a terminal), `wasi:clocks/timezone` (UTC).
 *
 * Grants are plain data (they are sent to a worker as they are).
 */
import type { Logger } from '../../system/node-connection.js';
import { writePluginLog } from '../host-log.js';
import { environmentInterface } from './cli/environment.js';
import { exitInterface } from './cli/exit.js';
import { stdioInterfaces } from './cli/stdio.js';
import { terminalInterfaces } from './cli/terminal.js';
import { clockInterfaces } from './clocks.js';
import { checkFilesystemGrant } from './filesystem/grant.js';
import type { WasiGrants } from './grant-rules.js';
import { filesystemInterfaces } from './filesystem/index.js';
import { httpInterfaces } from './http/index.js';
import { errorInterface } from './io/error.js';
import { pollInterface } from './io/poll.js';
import { streamsInterface } from './io/streams.js';
import { randomInterfaces } from './random.js';
import { socketInterfaces } from './sockets.js';

export { WasiExit } from './cli/exit.js';
export type { FilesystemGrant, PreopenGrant } from './filesystem/grant.js';
export { isSupportedWasiImport, validateGrants, type WasiGrants } from './grant-rules.js';

/** The WASI implementations of one plugin instance. */
export interface WasiHost {
  /** Import objects by unversioned interface name (they serve every WASI 0.2.x version). */
  readonly imports: Record<string, object>;
  /** Emits buffered output (a last line without a newline). */
  flush(): void;
  /** The plugin's node ended: flushes, and closes every file it still holds. Idempotent. */
  close(): void;
}

/**
 * The WASI imports for `grants` (already validated). With `imported` (the component's
 * import names), only the interfaces it imports are made: most of them hold per-instance
 * state, and a component that imports none of WASI should cost nothing for it.
 */
export function wasiImports(grants: WasiGrants, plugin: string, logger: Logger, imported?: readonly string[]): WasiHost {
  const wanted = imported?.filter((n) => n.startsWith('wasi:')).map((n) => n.replace(/@.*$/, ''));
  const needs = (...prefixes: string[]) => wanted === undefined || wanted.some((n) => prefixes.some((p) => n.startsWith(p)));
  const stdio = needs('wasi:cli/std') ? stdioInterfaces(grants.stdio === true, plugin, logger) : undefined;
  const fs = needs('wasi:filesystem/') ? filesystemInterfaces(grants.fs ? checkFilesystemGrant(grants.fs) : [], {
    warn: (message) => writePluginLog(logger, plugin, 'warn', message, { source: 'wasi:filesystem' }),
  }) : undefined;
  const imports: Record<string, object> = {
    'wasi:io/error': errorInterface,
    'wasi:io/poll': pollInterface,
    'wasi:io/streams': streamsInterface,
    ...(needs('wasi:cli/environment') ? { 'wasi:cli/environment': environmentInterface(grants) } : {}),
    'wasi:cli/exit': exitInterface,
    ...stdio?.interfaces,
    ...terminalInterfaces,
    ...(needs('wasi:clocks/') ? clockInterfaces(grants.clocks === true) : {}),
    ...(needs('wasi:random/') ? randomInterfaces(grants.random === true) : {}),
    ...fs?.interfaces,
    ...(needs('wasi:sockets/') ? socketInterfaces() : {}),
    ...(needs('wasi:http/') ? httpInterfaces() : {}),
  };
  return {
    imports,
    flush: () => stdio?.end(),
    close: () => {
      stdio?.end();
      fs?.close();
    },
  };
}

/**
 * Deny by default: the WASI interfaces a wasm plugin gets are exactly those its grants
 * name. `wasi:cli/exit` is always there and never exits the host: it ends the plugin's
 * node with ERR_PLUGIN_EXITED.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { PluginHostError } from '../../../common/errors.js';
import type { Logger } from '../../system/node-connection.js';
import { writePluginLog } from '../host-log.js';
import { error, InputStream, OutputStream, poll, Pollable, streams } from './io.js';

export interface WasiGrants {
  /** `wasi:cli/environment`: exactly these variables (nothing of the host's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** `wasi:cli/environment`: the arguments the plugin sees. */
  readonly args?: readonly string[];
  /** `wasi:cli/environment`: the working directory the plugin sees. */
  readonly cwd?: string;
  /** `wasi:cli/stdin|stdout|stderr` and `terminal-*`: output goes to the host logger, stdin is empty. */
  readonly stdio?: boolean;
  /** `wasi:clocks/monotonic-clock` and `wasi:clocks/wall-clock`. */
  readonly clocks?: boolean;
  /** `wasi:random/random`, `insecure` and `insecure-seed`. */
  readonly random?: boolean;
}

/** Thrown by `wasi:cli/exit` through the guest's stack. */
export class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`the plugin called exit(${code})`);
  }
}

const GRANT_KEYS = new Set(['env', 'args', 'cwd', 'stdio', 'clocks', 'random']);

export function validateGrants(grants: unknown): WasiGrants {
  if (grants === undefined) return {};
  if (grants === null || typeof grants !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', 'grants must be an object');
  for (const key of Object.keys(grants)) {
    if (!GRANT_KEYS.has(key)) {
      throw new PluginHostError('ERR_INVALID_OPTION', `unknown grant ${JSON.stringify(key)}; grants are ${[...GRANT_KEYS].join(', ')} (filesystem and network access are not offered to wasm plugins)`);
    }
  }
  const g = grants as WasiGrants;
  if (g.env !== undefined && (typeof g.env !== 'object' || Object.values(g.env).some((v) => typeof v !== 'string'))) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'grants.env must be an object of strings');
  }
  if (g.args !== undefined && (!Array.isArray(g.args) || g.args.some((a) => typeof a !== 'string'))) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'grants.args must be an array of strings');
  }
  return g;
}

/** Which grant provides a WASI interface (for error messages). */
export function grantFor(interfaceName: string): string | undefined {
  const bare = interfaceName.replace(/@.*$/, '');
  if (bare === 'wasi:cli/environment') return 'env (or args)';
  if (/^wasi:cli\/(stdin|stdout|stderr|terminal-)/.test(bare)) return 'stdio';
  if (bare.startsWith('wasi:clocks/')) return 'clocks';
  if (bare.startsWith('wasi:random/')) return 'random';
  if (bare.startsWith('wasi:io/')) return 'stdio or clocks';
  return undefined;
}

/** Line-buffers a byte stream into log records. */
function lineSink(emit: (line: string) => void): { write(bytes: Uint8Array): void; flush(): void } {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let pending = '';
  return {
    write(bytes) {
      pending += decoder.decode(bytes, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        emit(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

/** The WASI import objects for `grants`, plus a function that flushes buffered output. */
export function wasiImports(grants: WasiGrants, plugin: string, logger: Logger): { imports: Record<string, object>; flush(): void } {
  const imports: Record<string, object> = {
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }) { throw new WasiExit(status.tag === 'err' ? 1 : 0); },
      exitWithCode(code: number) { throw new WasiExit(code); },
    },
  };
  const flushers: (() => void)[] = [];
  let io = false;
  if (grants.env !== undefined || grants.args !== undefined || grants.cwd !== undefined) {
    const env = Object.entries(grants.env ?? {});
    const args = [...(grants.args ?? [])];
    imports['wasi:cli/environment'] = {
      getEnvironment: () => env.map(([k, v]) => [k, v]),
      getArguments: () => [...args],
      initialCwd: () => grants.cwd,
    };
  }
  if (grants.stdio) {
    io = true;
    const out = lineSink((line) => writePluginLog(logger, plugin, 'info', line, { stream: 'stdout' }));
    const err = lineSink((line) => writePluginLog(logger, plugin, 'warn', line, { stream: 'stderr' }));
    flushers.push(out.flush, err.flush);
    const stdout = new OutputStream(out.write, out.flush);
    const stderr = new OutputStream(err.write, err.flush);
    const stdin = new InputStream();
    class TerminalInput {}
    class TerminalOutput {}
    imports['wasi:cli/stdin'] = { getStdin: () => stdin };
    imports['wasi:cli/stdout'] = { getStdout: () => stdout };
    imports['wasi:cli/stderr'] = { getStderr: () => stderr };
    imports['wasi:cli/terminal-input'] = { TerminalInput };
    imports['wasi:cli/terminal-output'] = { TerminalOutput };
    imports['wasi:cli/terminal-stdin'] = { getTerminalStdin: () => undefined };
    imports['wasi:cli/terminal-stdout'] = { getTerminalStdout: () => undefined };
    imports['wasi:cli/terminal-stderr'] = { getTerminalStderr: () => undefined };
  }
  if (grants.clocks) {
    io = true;
    const start = process.hrtime.bigint();
    imports['wasi:clocks/monotonic-clock'] = {
      now: () => process.hrtime.bigint() - start,
      resolution: () => 1n,
      subscribeInstant: (when: bigint) => new Pollable(start + when),
      subscribeDuration: (d: bigint) => new Pollable(process.hrtime.bigint() + d),
    };
    imports['wasi:clocks/wall-clock'] = {
      now: () => {
        const ms = BigInt(Date.now());
        return { seconds: ms / 1000n, nanoseconds: Number(ms % 1000n) * 1_000_000 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    };
  }
  if (grants.random) {
    const u64 = () => randomBytes(8).readBigUInt64LE();
    const bytes = (len: bigint) => randomFillSync(new Uint8Array(Number(len)));
    imports['wasi:random/random'] = { getRandomBytes: bytes, getRandomU64: u64 };
    imports['wasi:random/insecure'] = { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 };
    imports['wasi:random/insecure-seed'] = { insecureSeed: () => [u64(), u64()] };
  }
  if (io) {
    imports['wasi:io/error'] = error;
    imports['wasi:io/poll'] = poll;
    imports['wasi:io/streams'] = streams;
  }
  return { imports, flush: () => flushers.forEach((f) => f()) };
}

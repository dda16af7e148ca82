/**
 * What grants are and which WASI versions this host serves: plain checks, apart from the
 * interfaces themselves (grants.ts), so validating a spec loads none of WASI.
 */
import { PluginHostError } from '../../../common/errors.js';
import { checkFilesystemGrant, type FilesystemGrant } from './filesystem/grant.js';

export interface WasiGrants {
  /** `wasi:cli/environment`: exactly these variables (nothing of the host's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** `wasi:cli/environment`: the arguments the plugin sees. */
  readonly args?: readonly string[];
  /** `wasi:cli/environment`: the working directory the plugin sees. */
  readonly cwd?: string;
  /** `wasi:cli/stdout` and `stderr` into the host logger, one record per line. */
  readonly stdio?: boolean;
  /** `wasi:clocks/monotonic-clock` and `wasi:clocks/wall-clock`. */
  readonly clocks?: boolean;
  /** `wasi:random/random`, `insecure` and `insecure-seed`. */
  readonly random?: boolean;
  /** `wasi:filesystem`: host directories the plugin sees (read-only unless `readOnly: false`). */
  readonly fs?: FilesystemGrant;
}

const GRANT_KEYS = new Set(['env', 'args', 'cwd', 'stdio', 'clocks', 'random', 'fs']);

/** Checks grants (and that each preopen is a directory now). @throws PluginHostError ERR_INVALID_OPTION, ERR_UNSUPPORTED */
export function validateGrants(grants: unknown): WasiGrants {
  if (grants === undefined) return {};
  if (grants === null || typeof grants !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', 'grants must be an object');
  for (const key of Object.keys(grants)) {
    if (!GRANT_KEYS.has(key)) {
      throw new PluginHostError('ERR_INVALID_OPTION', `unknown grant ${JSON.stringify(key)}; grants are ${[...GRANT_KEYS].join(', ')} (no grant offers the network)`);
    }
  }
  const g = grants as WasiGrants;
  if (g.env !== undefined && (g.env === null || typeof g.env !== 'object' || Object.values(g.env).some((v) => typeof v !== 'string'))) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'grants.env must be an object of strings');
  }
  if (g.args !== undefined && (!Array.isArray(g.args) || g.args.some((a) => typeof a !== 'string'))) {
    throw new PluginHostError('ERR_INVALID_OPTION', 'grants.args must be an array of strings');
  }
  if (g.cwd !== undefined && typeof g.cwd !== 'string') throw new PluginHostError('ERR_INVALID_OPTION', 'grants.cwd must be a string');
  for (const key of ['stdio', 'clocks', 'random'] as const) {
    if (g[key] !== undefined && typeof g[key] !== 'boolean') throw new PluginHostError('ERR_INVALID_OPTION', `grants.${key} must be a boolean`);
  }
  if (g.fs !== undefined) checkFilesystemGrant(g.fs);
  return g;
}

/** WASI versions this host implements: 0.2.0 through any 0.2.x. */
export function isSupportedWasiImport(name: string): boolean {
  if (!name.startsWith('wasi:')) return true;
  const version = /@(\d+)\.(\d+)\.\d+(?:-[\w.-]+)?$/.exec(name);
  return version === null || (version[1] === '0' && version[2] === '2');
}

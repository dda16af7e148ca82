/**
 * The `fs` grant: which host directories a plugin sees, under which names, and whether it
 * may change them.
 *
 *   grants: { fs: { preopens: { '/data': { path: './data' }, '/out': { path: './out', readOnly: false } } } }
 *
 * A preopen is read-only unless `readOnly: false`. Host paths are resolved against the
 * host's working directory when the plugin loads, and must be directories then.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PluginHostError } from '../../../../common/errors.js';

export interface PreopenGrant {
  /** The host directory. */
  readonly path: string;
  /** Default true: the plugin may read but never create, write, rename, remove or touch. */
  readonly readOnly?: boolean;
}

export interface FilesystemGrant {
  /** Guest path (what the plugin opens, e.g. `/data`) → host directory. */
  readonly preopens: Readonly<Record<string, PreopenGrant>>;
}

/** One preopen, checked: the host path absolute, read-only spelled out. */
export interface Preopen {
  readonly guestPath: string;
  readonly hostPath: string;
  readonly readOnly: boolean;
}

/** Whether this host can confine paths (see `resolve.ts`: it needs Linux's `/proc/self/fd`). */
export function canConfinePaths(): boolean {
  return process.platform === 'linux' && existsSync('/proc/self/fd');
}

/** @throws PluginHostError ERR_INVALID_OPTION for a malformed grant, ERR_UNSUPPORTED off Linux */
export function checkFilesystemGrant(grant: unknown): Preopen[] {
  const bad = (what: string): never => {
    throw new PluginHostError('ERR_INVALID_OPTION', `grants.fs${what}`);
  };
  if (grant === null || typeof grant !== 'object' || Array.isArray(grant)) return bad(' must be an object { preopens }');
  const extra = Object.keys(grant).filter((k) => k !== 'preopens');
  if (extra.length > 0) bad(` has unknown field ${JSON.stringify(extra[0])}; the only one is preopens`);
  const preopens = (grant as { preopens?: unknown }).preopens;
  if (preopens === null || typeof preopens !== 'object' || Array.isArray(preopens)) return bad('.preopens must be an object of guest path → { path, readOnly? }');
  const checked: Preopen[] = [];
  for (const [guestPath, value] of Object.entries(preopens)) {
    const where = `.preopens[${JSON.stringify(guestPath)}]`;
    if (guestPath === '' || guestPath.includes('\0') || guestPath.split('/').includes('..')) bad(`${where}: a guest path must be non-empty, without NUL or \`..\``);
    if (value === null || typeof value !== 'object') bad(`${where} must be an object { path, readOnly? }`);
    const { path, readOnly, ...rest } = value as { path?: unknown; readOnly?: unknown };
    if (Object.keys(rest).length > 0) bad(`${where} has unknown field ${JSON.stringify(Object.keys(rest)[0])}`);
    if (typeof path !== 'string' || path === '') bad(`${where}.path must be a host directory path`);
    if (readOnly !== undefined && typeof readOnly !== 'boolean') bad(`${where}.readOnly must be a boolean`);
    const hostPath = resolve(path as string);
    let isDirectory = false;
    try {
      isDirectory = statSync(hostPath).isDirectory();
    } catch (cause) {
      bad(`${where}.path: ${hostPath} cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`);
    }
    if (!isDirectory) bad(`${where}.path: ${hostPath} is not a directory`);
    checked.push({ guestPath, hostPath, readOnly: readOnly !== false });
  }
  if (checked.length > 0 && !canConfinePaths()) {
    throw new PluginHostError('ERR_UNSUPPORTED', `filesystem grants need Linux (/proc/self/fd) to confine a plugin's paths without races; this host runs on ${process.platform}`);
  }
  return checked;
}

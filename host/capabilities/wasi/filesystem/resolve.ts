/**
 * Path resolution confined to a directory descriptor, one component at a time.
 *
 * WASI paths are relative to a directory descriptor and may never leave it: an absolute
 * path, a `..` above it, or a symbolic link whose target is absolute or climbs above it
 * fails with `not-permitted`, as the WASI filesystem specification prescribes. `..` that
 * stays inside is fine, and so are links that stay inside.
 *
 * How the check-then-use race is closed without `openat`: every step is taken relative to a
 * directory *descriptor* the host holds, never to a path string, by opening
 * `/proc/self/fd/<dirfd>/<name>` (Linux resolves the magic link to the directory object
 * itself, so `<name>` is looked up inside that very directory, as `openat` would). Each
 * intermediate directory is opened with `O_DIRECTORY | O_NOFOLLOW`, so a component that is
 * (or has just become) a symbolic link is never followed by the kernel: the walker reads the
 * link and decides. The final operation also runs on `/proc/self/fd/<dirfd>/<name>` and
 * never follows a final link itself (`O_NOFOLLOW`, `lstat`, `lutimes`, and calls like
 * `unlink`, `rename` and `mkdir` that do not follow one). Swapping a component for a link
 * after it was checked therefore changes nothing: the walk already holds the directory it
 * checked, and the kernel never follows the new link. `..` is resolved by walking again from
 * the base through the names already taken, never by the kernel's `..` (a directory moved
 * out of the tree while held would otherwise lead out of it).
 *
 * What remains: a directory the host holds may be moved out of the tree by someone else
 * (another process with write access to both places); the walk then continues inside it,
 * as `openat`-based hosts do.
 */
import { closeSync, constants, lstatSync, openSync, readlinkSync, type BigIntStats } from 'node:fs';
import { codeOf, fail, FsError } from './errors.js';

const PROC_FD = '/proc/self/fd/';
const MAX_SYMLINKS = 40;
const MAX_PATH_LENGTH = 4096;
const DIRECTORY_STEP = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** The path the host uses for `name` inside the directory open as `dirFd`. */
export function at(dirFd: number, name: string): string {
  return `${PROC_FD}${dirFd}/${name}`;
}

/**
 * Test hooks at the points where a concurrent change would matter: after an intermediate
 * directory was opened, and after the final component was checked, just before the
 * operation uses it. Tests change the tree there to show a change cannot lead outside.
 */
export interface RaceHooks {
  afterCheck?(step: { readonly kind: 'directory' | 'final'; readonly name: string }): void;
}

export interface ResolveOptions {
  /** Follow a symbolic link in the final component (`path-flags.symlink-follow`). */
  readonly follow: boolean;
  readonly hooks?: RaceHooks;
}

/** Where a path leads: one name (or `.`) inside a directory the walk holds open. */
export interface Resolved {
  readonly dirFd: number;
  readonly name: string;
  /** With `follow` (or a trailing slash): `lstat` of the final component, undefined if it does not exist. */
  readonly stat?: BigIntStats;
  /** The path ended in `/`: the final component must be a directory. */
  readonly trailingSlash: boolean;
  /** Closes the directory the walk opened (not the base). */
  release(): void;
}

/**
 * Resolves `path` beneath the directory open as `base`.
 * @throws FsError `not-permitted` (leaves the base), `no-entry`, `not-directory`, `loop`, …
 */
export function resolveAt(base: number, path: string, options: ResolveOptions): Resolved {
  if (path === '') fail('no-entry');
  if (path.length > MAX_PATH_LENGTH) fail('name-too-long');
  if (path.includes('\0')) fail('invalid');
  if (path.startsWith('/')) fail('not-permitted');
  return new Walk(base, options).run(path);
}

class Walk {
  /** Directory names below the base leading to `current`. */
  private readonly names: string[] = [];
  private current: number;
  private links = 0;

  constructor(private readonly base: number, private readonly options: ResolveOptions) {
    this.current = base;
  }

  run(path: string): Resolved {
    const trailingSlash = path.endsWith('/');
    const follow = this.options.follow || trailingSlash;
    const queue = path.split('/');
    try {
      while (queue.length > 0) {
        const name = queue.shift()!;
        if (name === '' || name === '.') continue;
        if (name === '..') {
          this.up();
          continue;
        }
        const last = queue.every((c) => c === '' || c === '.');
        if (!last) {
          if (!this.down(name)) this.expand(name, queue);
          continue;
        }
        if (!follow) return this.done(name, undefined, trailingSlash);
        const stat = this.lstat(name);
        if (stat?.isSymbolicLink()) {
          this.expand(name, queue);
          continue;
        }
        if (trailingSlash && stat && !stat.isDirectory()) fail('not-directory');
        return this.done(name, stat, trailingSlash);
      }
      return this.done('.', follow ? this.lstat('.') : undefined, trailingSlash);
    } catch (error) {
      this.closeCurrent();
      const code = codeOf(error);
      throw code === undefined ? error : error instanceof FsError ? error : new FsError(code);
    }
  }

  private done(name: string, stat: BigIntStats | undefined, trailingSlash: boolean): Resolved {
    this.options.hooks?.afterCheck?.({ kind: 'final', name });
    const dirFd = this.current;
    const owned = dirFd !== this.base;
    let released = false;
    return {
      dirFd, name, trailingSlash, ...(stat ? { stat } : {}),
      release: () => {
        if (owned && !released) closeSync(dirFd);
        released = true;
      },
    };
  }

  /** Opens a subdirectory; false when `name` is a symbolic link (which the caller expands). */
  private down(name: string): boolean {
    let fd: number;
    try {
      fd = openSync(at(this.current, name), DIRECTORY_STEP);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // O_NOFOLLOW | O_DIRECTORY on a link fails with ENOTDIR (or ELOOP): look at what it is.
      if (code !== 'ENOTDIR' && code !== 'ELOOP') throw error;
      if (this.lstat(name)?.isSymbolicLink()) return false;
      return fail('not-directory');
    }
    this.closeCurrent();
    this.current = fd;
    this.names.push(name);
    this.options.hooks?.afterCheck?.({ kind: 'directory', name });
    return true;
  }

  /** `..`: never above the base; walks again from the base through the names taken. */
  private up(): void {
    if (this.names.length === 0) fail('not-permitted');
    const path = this.names.slice(0, -1);
    this.closeCurrent();
    this.names.length = 0;
    for (const name of path) if (!this.down(name)) fail('not-directory');
  }

  /** Replaces a link by its target's components, refusing targets that leave. */
  private expand(name: string, queue: string[]): void {
    if (++this.links > MAX_SYMLINKS) fail('loop');
    const target = readlinkSync(at(this.current, name));
    if (target.startsWith('/')) fail('not-permitted');
    if (target === '') fail('no-entry');
    queue.unshift(...target.split('/'));
  }

  private lstat(name: string): BigIntStats | undefined {
    try {
      return lstatSync(at(this.current, name), { bigint: true });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private closeCurrent(): void {
    if (this.current !== this.base) closeSync(this.current);
    this.current = this.base;
  }
}

/**
 * The `*-at` operations of a descriptor: each resolves its path with `resolveAt` (confined
 * to the descriptor, see `resolve.ts`) and then acts on `/proc/self/fd/<dir>/<name>` with a
 * call that never follows a final symbolic link itself.
 */
import {
  constants, fstatSync, linkSync, lstatSync, lutimesSync, mkdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync, unlinkSync,
  type BigIntStats,
} from 'node:fs';
import type { Descriptor, DescriptorFlags, NewTimestamp, OpenFlags, PathFlags } from './descriptor.js';
import { codeOf, fail, fsCall } from './errors.js';
import type { OpenFd } from './open-files.js';
import { at, resolveAt, type Resolved } from './resolve.js';
import { typeOf, type DescriptorType } from './stat.js';

/** A final link swapped in between the check and the open is re-resolved at most this often. */
const MAX_REOPEN = 8;

function withPath<T>(d: Descriptor, path: string, follow: boolean, use: (r: Resolved) => T): T {
  const r = resolveAt(d.handle.fd, path, { follow, ...(d.context.hooks ? { hooks: d.context.hooks } : {}) });
  try {
    return fsCall(() => use(r));
  } finally {
    r.release();
  }
}

function needWritableTree(...ds: Descriptor[]): void {
  if (ds.some((d) => !d.treeWritable)) fail('not-permitted');
}

/** Seconds for `utimes` from a `new-timestamp` (`no-change` keeps `currentNs`). */
export function seconds(t: NewTimestamp, currentNs: bigint): number {
  if (t.tag === 'now') return Date.now() / 1000;
  const ns = t.tag === 'no-change' ? currentNs : t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds);
  return Number(ns) / 1e9;
}

export function createDirectoryAt(d: Descriptor, path: string): void {
  needWritableTree(d);
  withPath(d, path, false, (r) => mkdirSync(at(r.dirFd, r.name), 0o777));
}

export function statAt(d: Descriptor, flags: PathFlags, path: string): BigIntStats {
  const follow = flags.symlinkFollow === true;
  return withPath(d, path, follow, (r) => {
    if (follow) return r.stat ?? fail('no-entry');
    return lstatSync(at(r.dirFd, r.name), { bigint: true });
  });
}

export function setTimesAt(d: Descriptor, flags: PathFlags, path: string, access: NewTimestamp, modification: NewTimestamp): void {
  needWritableTree(d);
  withPath(d, path, flags.symlinkFollow === true, (r) => {
    const target = at(r.dirFd, r.name);
    const current = lstatSync(target, { bigint: true });
    lutimesSync(target, seconds(access, current.atimeNs), seconds(modification, current.mtimeNs));
  });
}

export function linkAt(d: Descriptor, oldFlags: PathFlags, oldPath: string, target: Descriptor, newPath: string): void {
  needWritableTree(target);
  withPath(d, oldPath, oldFlags.symlinkFollow === true, (from) => {
    withPath(target, newPath, false, (to) => linkSync(at(from.dirFd, from.name), at(to.dirFd, to.name)));
  });
}

export function readlinkAt(d: Descriptor, path: string): string {
  return withPath(d, path, false, (r) => readlinkSync(at(r.dirFd, r.name)));
}

export function removeDirectoryAt(d: Descriptor, path: string): void {
  needWritableTree(d);
  withPath(d, path, false, (r) => rmdirSync(at(r.dirFd, r.name)));
}

export function renameAt(d: Descriptor, oldPath: string, target: Descriptor, newPath: string): void {
  needWritableTree(d, target);
  withPath(d, oldPath, false, (from) => {
    withPath(target, newPath, false, (to) => renameSync(at(from.dirFd, from.name), at(to.dirFd, to.name)));
  });
}

export function symlinkAt(d: Descriptor, linkTarget: string, newPath: string): void {
  needWritableTree(d);
  // Such a link could never be followed here; refuse to make one, as WASI hosts do.
  if (linkTarget.startsWith('/')) fail('not-permitted');
  withPath(d, newPath, false, (r) => symlinkSync(linkTarget, at(r.dirFd, r.name)));
}

export function unlinkFileAt(d: Descriptor, path: string): void {
  needWritableTree(d);
  withPath(d, path, false, (r) => {
    if (r.trailingSlash) fail(r.stat?.isDirectory() ? 'is-directory' : 'not-directory');
    unlinkSync(at(r.dirFd, r.name));
  });
}

/** Host `open(2)` flags for a WASI open: never follows a final link, never blocks on a FIFO. */
function openMode(openFlags: OpenFlags, flags: DescriptorFlags, trailingSlash: boolean): number {
  const c = constants;
  let mode = c.O_NOFOLLOW | c.O_NONBLOCK | (flags.write ? (flags.read ? c.O_RDWR : c.O_WRONLY) : c.O_RDONLY);
  if (openFlags.create) mode |= c.O_CREAT;
  if (openFlags.exclusive) mode |= c.O_EXCL;
  if (openFlags.truncate) mode |= c.O_TRUNC;
  if (openFlags.directory || trailingSlash) mode |= c.O_DIRECTORY;
  if (flags.fileIntegritySync) mode |= c.O_SYNC;
  if (flags.dataIntegritySync) mode |= c.O_DSYNC;
  return mode;
}

export function openAt(
  d: Descriptor, pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags,
): { handle: OpenFd; kind: DescriptorType; openedFor: DescriptorFlags } {
  if (!d.treeWritable && (openFlags.create || openFlags.truncate || flags.write)) fail('not-permitted');
  const follow = pathFlags.symlinkFollow === true;
  for (let attempt = 0; ; attempt++) {
    const r = resolveAt(d.handle.fd, path, { follow, ...(d.context.hooks ? { hooks: d.context.hooks } : {}) });
    let handle: OpenFd;
    try {
      handle = d.context.files.open(at(r.dirFd, r.name), openMode(openFlags, flags, r.trailingSlash));
    } catch (error) {
      // The final component became a link after it was checked: resolve again (the kernel
      // refused to follow it, so nothing outside was opened).
      const code = codeOf(error);
      const swapped = follow && (code === 'loop' || code === 'not-directory') && attempt < MAX_REOPEN && isLink(r);
      if (!swapped) throw error;
      continue;
    } finally {
      r.release();
    }
    let kind: DescriptorType;
    try {
      kind = fsCall(() => typeOf(fstatSync(handle.fd, { bigint: true })));
    } catch (error) {
      handle.release();
      throw error;
    }
    // A read-only preopen hands out no power to change a directory, whatever was asked.
    const openedFor = { ...flags, mutateDirectory: kind === 'directory' && flags.mutateDirectory === true && d.treeWritable };
    return { handle, kind, openedFor };
  }
}

function isLink(r: Resolved): boolean {
  try {
    return lstatSync(at(r.dirFd, r.name)).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * `wasi:filesystem/types.descriptor`: an open file or directory of a preopen. Operations on
 * the descriptor itself live here; operations on a path beneath it (`*-at`) are in
 * `path-operations.ts`.
 *
 * Permissions: a descriptor remembers whether its preopen is writable (`treeWritable`),
 * and what it was opened for (`flags`). Reading needs `read`, writing and resizing need
 * `write` (else `bad-descriptor`, as POSIX says for a descriptor not open for it); changing
 * a directory or timestamps needs a writable preopen (else `not-permitted`, what WASI hosts
 * return when their policy refuses). A read-only preopen never hands out a descriptor open
 * for writing, so every mutation below it is refused.
 *
 * All I/O is synchronous: the guest calls from inside a synchronous wasm call. Inline, a
 * slow disk stalls the host's thread for as long as the call takes; in a worker, only the
 * worker's.
 */
import { fdatasyncSync, fstatSync, ftruncateSync, fsyncSync, futimesSync, readSync, writeSync, type BigIntStats } from 'node:fs';
import type { InputStream, OutputStream } from '../io/streams.js';
import { MAX_READ_BYTES } from '../io/streams.js';
import { DirectoryEntryStream } from './directory-entries.js';
import { fail, fsCall } from './errors.js';
import { fileInputStream, fileOutputStream } from './file-streams.js';
import type { OpenFd, OpenFiles } from './open-files.js';
import * as paths from './path-operations.js';
import type { RaceHooks } from './resolve.js';
import { descriptorStat, filePosition, metadataHash, type DescriptorStat, type DescriptorType } from './stat.js';

export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}

export interface PathFlags { symlinkFollow?: boolean }
export interface OpenFlags { create?: boolean; directory?: boolean; exclusive?: boolean; truncate?: boolean }
export type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: { seconds: bigint; nanoseconds: number } };

/** What every descriptor of one plugin shares. */
export interface FilesystemContext {
  readonly files: OpenFiles;
  readonly hooks?: RaceHooks;
}

export class Descriptor {
  constructor(
    readonly handle: OpenFd,
    readonly kind: DescriptorType,
    readonly openedFor: Readonly<DescriptorFlags>,
    readonly treeWritable: boolean,
    readonly context: FilesystemContext,
  ) {}

  readViaStream(offset: bigint): InputStream {
    this.needRead();
    return fileInputStream(this.handle, offset);
  }

  writeViaStream(offset: bigint): OutputStream {
    this.needWrite();
    return fileOutputStream(this.handle, offset);
  }

  appendViaStream(): OutputStream {
    this.needWrite();
    return fileOutputStream(this.handle, 'append');
  }

  /** Advice is a hint; Node offers no `posix_fadvise`, so it is taken and ignored. */
  advise(): void {
    void this.handle.fd;
  }

  syncData(): void {
    fsCall(() => fdatasyncSync(this.handle.fd));
  }

  sync(): void {
    fsCall(() => fsyncSync(this.handle.fd));
  }

  getFlags(): DescriptorFlags {
    void this.handle.fd;
    return { ...this.openedFor };
  }

  getType(): DescriptorType {
    void this.handle.fd;
    return this.kind;
  }

  setSize(size: bigint): void {
    this.needWrite();
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) fail('file-too-large');
    fsCall(() => ftruncateSync(this.handle.fd, Number(size)));
  }

  setTimes(access: NewTimestamp, modification: NewTimestamp): void {
    if (!this.treeWritable) fail('not-permitted');
    const current = this.fstat();
    fsCall(() => futimesSync(this.handle.fd, paths.seconds(access, current.atimeNs), paths.seconds(modification, current.mtimeNs)));
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    this.needRead();
    const max = length > BigInt(MAX_READ_BYTES) ? MAX_READ_BYTES : Number(length);
    const buffer = new Uint8Array(max);
    const n = fsCall(() => readSync(this.handle.fd, buffer, 0, max, filePosition(offset)));
    return [n === max ? buffer : buffer.slice(0, n), n < max];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    this.needWrite();
    return BigInt(fsCall(() => writeSync(this.handle.fd, buffer, 0, buffer.length, filePosition(offset))));
  }

  readDirectory(): DirectoryEntryStream {
    if (this.kind !== 'directory') fail('not-directory');
    return new DirectoryEntryStream(this.context.files, this.handle.fd);
  }

  stat(): DescriptorStat {
    return descriptorStat(this.fstat());
  }

  isSameObject(other: Descriptor): boolean {
    try {
      const a = this.fstat();
      const b = other.fstat();
      return a.dev === b.dev && a.ino === b.ino;
    } catch {
      return false;
    }
  }

  metadataHash(): { lower: bigint; upper: bigint } {
    return metadataHash(this.fstat());
  }

  createDirectoryAt(path: string): void {
    paths.createDirectoryAt(this, path);
  }

  statAt(flags: PathFlags, path: string): DescriptorStat {
    return descriptorStat(paths.statAt(this, flags, path));
  }

  setTimesAt(flags: PathFlags, path: string, access: NewTimestamp, modification: NewTimestamp): void {
    paths.setTimesAt(this, flags, path, access, modification);
  }

  linkAt(oldFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    paths.linkAt(this, oldFlags, oldPath, newDescriptor, newPath);
  }

  openAt(flags: PathFlags, path: string, openFlags: OpenFlags, descriptorFlags: DescriptorFlags): Descriptor {
    const opened = paths.openAt(this, flags, path, openFlags, descriptorFlags);
    return new Descriptor(opened.handle, opened.kind, opened.openedFor, this.treeWritable, this.context);
  }

  readlinkAt(path: string): string {
    return paths.readlinkAt(this, path);
  }

  removeDirectoryAt(path: string): void {
    paths.removeDirectoryAt(this, path);
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    paths.renameAt(this, oldPath, newDescriptor, newPath);
  }

  symlinkAt(oldPath: string, newPath: string): void {
    paths.symlinkAt(this, oldPath, newPath);
  }

  unlinkFileAt(path: string): void {
    paths.unlinkFileAt(this, path);
  }

  metadataHashAt(flags: PathFlags, path: string): { lower: bigint; upper: bigint } {
    return metadataHash(paths.statAt(this, flags, path));
  }

  [Symbol.dispose](): void {
    this.handle.release();
  }

  private fstat(): BigIntStats {
    return fsCall(() => fstatSync(this.handle.fd, { bigint: true }));
  }

  private needRead(): void {
    if (this.kind === 'directory') fail('is-directory');
    if (!this.openedFor.read) fail('bad-descriptor');
  }

  private needWrite(): void {
    if (this.kind === 'directory') fail('is-directory');
    if (!this.openedFor.write) fail('bad-descriptor');
  }
}

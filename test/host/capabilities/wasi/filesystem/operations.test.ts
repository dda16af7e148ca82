// The filesystem operations guests use, on a writable preopen: open, read and write
// (directly and through streams), stat, list, create, remove, rename, links, times, sizes,
// metadata hashes, and the error codes a POSIX-backed WASI host returns.
import { fstatSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Descriptor } from '../../../../../host/capabilities/wasi/filesystem/descriptor.js';
import type { DirectoryEntryStream } from '../../../../../host/capabilities/wasi/filesystem/directory-entries.js';
import { DEFAULT_MAX_OPEN } from '../../../../../host/capabilities/wasi/filesystem/open-files.js';
import { MAX_READ_BYTES } from '../../../../../host/capabilities/wasi/io/streams.js';
import { makeTree, outcome, preopen, readAll, readAt, type Tree } from './tree.js';

let tree: Tree;
let dir: Descriptor;
let close: () => void;
beforeEach(() => {
  tree = makeTree();
  const p = preopen(tree.root);
  dir = p.dir;
  close = p.fs.close;
});
afterEach(() => {
  close();
  tree.remove();
});

const text = (s: string) => new TextEncoder().encode(s);
const names = (stream: DirectoryEntryStream) => {
  const out: string[] = [];
  for (let e = stream.readDirectoryEntry(); e; e = stream.readDirectoryEntry()) out.push(`${e.name}:${e.type}`);
  return out.sort();
};

describe('filesystem operations', () => {
  it('lists a directory with entry types, non-ASCII names included, without . and ..', () => {
    expect(names(dir.openAt({}, 'sub', { directory: true }, { read: true }).readDirectory())).toEqual(['deeper:directory', 'file.txt:regular-file', 'link-up-out:symbolic-link']);
    expect(names(dir.readDirectory())).toContain('grüße.txt:regular-file');
  });

  it('creates, writes through a stream, appends, reads back and stats a file', () => {
    const file = dir.openAt({}, 'sub/../notes.txt', { create: true, exclusive: true }, { read: true, write: true });
    const out = file.writeViaStream(0n);
    out.blockingWriteAndFlush(text('first line\n'));
    file.appendViaStream().blockingWriteAndFlush(text('ünïcode\n'));
    expect(readFileSync(join(tree.root, 'notes.txt'), 'utf8')).toBe('first line\nünïcode\n');
    expect(readAll(file.readViaStream(6n))).toBe('line\nünïcode\n');
    expect(file.stat()).toMatchObject({ type: 'regular-file', size: 21n, linkCount: 1n });
    expect(dir.statAt({}, 'notes.txt').dataModificationTimestamp.seconds).toBeGreaterThan(0n);
    expect(outcome(() => dir.openAt({}, 'notes.txt', { create: true, exclusive: true }, { write: true }))).toBe('exist');
  });

  it('reads and writes at offsets, reporting the end of the file', () => {
    const file = dir.openAt({}, 'hello.txt', {}, { read: true, write: true });
    expect(file.write(text('J'), 0n)).toBe(1n);
    const [bytes, end] = file.read(100n, 1n);
    expect([Buffer.from(bytes).toString(), end]).toEqual(['ello', true]);
    expect(file.read(2n, 0n)[1]).toBe(false);
    file.setSize(2n);
    expect(readFileSync(join(tree.root, 'hello.txt'), 'utf8')).toBe('Je');
  });

  it('bounds a read whatever length the guest asks for', () => {
    writeFileSync(join(tree.root, 'big.bin'), new Uint8Array(MAX_READ_BYTES + 10));
    const file = dir.openAt({}, 'big.bin', {}, { read: true });
    expect(file.read(2n ** 62n, 0n)[0].length).toBe(MAX_READ_BYTES);
    expect(file.readViaStream(0n).read(2n ** 64n - 1n).length).toBe(MAX_READ_BYTES);
  });

  it('creates and removes directories, renames and unlinks files', () => {
    dir.createDirectoryAt('made');
    expect(outcome(() => dir.createDirectoryAt('made'))).toBe('exist');
    dir.renameAt('hello.txt', dir.openAt({}, 'made', { directory: true }, { read: true, mutateDirectory: true }), 'moved.txt');
    expect(readAt(dir, 'made/moved.txt')).toBe('hello');
    expect(outcome(() => dir.removeDirectoryAt('made'))).toBe('not-empty');
    dir.unlinkFileAt('made/moved.txt');
    dir.removeDirectoryAt('made');
    expect(outcome(() => dir.statAt({}, 'made'))).toBe('no-entry');
    expect(outcome(() => dir.unlinkFileAt('sub'))).toBe('is-directory');
    expect(outcome(() => dir.removeDirectoryAt('sub/file.txt'))).toBe('not-directory');
  });

  it('makes and reads symbolic links and hard links, refusing absolute link targets', () => {
    dir.symlinkAt('sub/file.txt', 'made-link');
    expect(readlinkSync(join(tree.root, 'made-link'))).toBe('sub/file.txt');
    expect(dir.readlinkAt('made-link')).toBe('sub/file.txt');
    expect(outcome(() => dir.symlinkAt('/etc/passwd', 'abs-link'))).toBe('not-permitted');
    dir.linkAt({}, 'hello.txt', dir, 'hard.txt');
    expect(dir.statAt({}, 'hard.txt').linkCount).toBe(2n);
    expect(dir.metadataHashAt({}, 'hard.txt')).toEqual(dir.metadataHashAt({}, 'hello.txt'));
    expect(dir.metadataHashAt({}, 'hard.txt')).not.toEqual(dir.metadataHashAt({}, 'sub/file.txt'));
    expect(dir.metadataHashAt({ symlinkFollow: true }, 'link-inside')).toEqual(dir.metadataHashAt({}, 'sub/file.txt'));
  });

  it('sets times, keeping what is marked no-change', () => {
    dir.setTimesAt({}, 'hello.txt', { tag: 'timestamp', val: { seconds: 1_000n, nanoseconds: 0 } }, { tag: 'timestamp', val: { seconds: 2_000n, nanoseconds: 0 } });
    const file = dir.openAt({}, 'hello.txt', {}, { read: true });
    file.setTimes({ tag: 'no-change' }, { tag: 'timestamp', val: { seconds: 3_000n, nanoseconds: 0 } });
    const stat = file.stat();
    expect([stat.dataAccessTimestamp.seconds, stat.dataModificationTimestamp.seconds]).toEqual([1_000n, 3_000n]);
  });

  it('knows when two descriptors are the same object', () => {
    const a = dir.openAt({}, 'hello.txt', {}, { read: true });
    const b = dir.openAt({ symlinkFollow: true }, 'sub/../hello.txt', {}, { read: true });
    expect(a.isSameObject(b)).toBe(true);
    expect(a.isSameObject(dir)).toBe(false);
  });

  it('reports POSIX errors as WASI error codes', () => {
    expect(outcome(() => dir.openAt({}, 'missing.txt', {}, { read: true }))).toBe('no-entry');
    expect(outcome(() => dir.openAt({}, 'hello.txt/x', {}, { read: true }))).toBe('not-directory');
    expect(outcome(() => dir.openAt({}, 'hello.txt', { directory: true }, { read: true }))).toBe('not-directory');
    expect(outcome(() => dir.openAt({}, 'hello.txt/', {}, { read: true }))).toBe('not-directory');
    expect(outcome(() => dir.openAt({}, 'sub', {}, { write: true }))).toBe('is-directory');
    expect(outcome(() => dir.read(1n, 0n))).toBe('is-directory');
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { read: true }).write(text('x'), 0n))).toBe('bad-descriptor');
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { write: true }).read(1n, 0n))).toBe('bad-descriptor');
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { read: true }).readDirectory())).toBe('not-directory');
  });

  it('reports a failing stream operation with its filesystem error code', () => {
    const file = dir.openAt({}, 'hello.txt', {}, { read: true });
    const stream = file.readViaStream(2n ** 60n);
    let error: unknown;
    try {
      stream.read(1n);
    } catch (e) {
      error = (e as { payload: unknown }).payload;
    }
    expect(error).toMatchObject({ tag: 'last-operation-failed' });
    const types = preopen(tree.root).fs.interfaces['wasi:filesystem/types'] as { filesystemErrorCode(e: unknown): string | undefined };
    expect(types.filesystemErrorCode((error as { val: unknown }).val)).toBe('file-too-large');
  });
});

describe('descriptors the host holds for a plugin', () => {
  it(`are limited to ${DEFAULT_MAX_OPEN} at a time`, () => {
    const open: Descriptor[] = [];
    // The preopen itself holds one.
    for (let i = 1; i < DEFAULT_MAX_OPEN; i++) open.push(dir.openAt({}, 'hello.txt', {}, { read: true }));
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { read: true }))).toBe('insufficient-memory');
    open.pop()![Symbol.dispose]();
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { read: true }))).toBe('ok');
  });

  it('stay open while a stream uses them, and close when the last user drops', () => {
    const file = dir.openAt({}, 'hello.txt', {}, { read: true });
    const fd = (file.handle as unknown as { number: number }).number;
    const stream = file.readViaStream(0n);
    file[Symbol.dispose]();
    expect(readAll(stream)).toBe('hello');
    stream[Symbol.dispose]();
    expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('are all closed when the plugin ends, and refuse use afterwards', () => {
    const file = dir.openAt({}, 'hello.txt', {}, { read: true });
    const listing = dir.readDirectory();
    const fd = (file.handle as unknown as { number: number }).number;
    close();
    expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(outcome(() => file.read(1n, 0n))).toBe('bad-descriptor');
    expect(outcome(() => dir.openAt({}, 'hello.txt', {}, { read: true }))).toBe('bad-descriptor');
    expect(() => listing.readDirectoryEntry()).toThrow();
  });
});

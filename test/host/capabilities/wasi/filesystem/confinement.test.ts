// A preopen confines every path: absolute paths, `..` above it and symbolic links that
// leave it are refused with `not-permitted` (as the WASI specification says), with real
// links on disk; a concurrent swap of a checked component cannot lead outside (shown with
// the deterministic hooks at the check points, not with timing); a read-only preopen
// refuses every mutation.
import { existsSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Descriptor } from '../../../../../host/capabilities/wasi/filesystem/descriptor.js';
import type { RaceHooks } from '../../../../../host/capabilities/wasi/filesystem/resolve.js';
import { makeTree, outcome, preopen, readAt, snapshot, type Tree } from './tree.js';

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

const follow = { symlinkFollow: true };

describe('filesystem confinement', () => {
  it.each([
    ['open-at', (d: Descriptor, p: string) => d.openAt(follow, p, {}, { read: true })],
    ['stat-at', (d: Descriptor, p: string) => d.statAt(follow, p)],
    ['stat-at without following', (d: Descriptor, p: string) => d.statAt({}, p)],
    ['readlink-at', (d: Descriptor, p: string) => d.readlinkAt(p)],
    ['metadata-hash-at', (d: Descriptor, p: string) => d.metadataHashAt(follow, p)],
  ])('%s refuses an absolute path', (_name, op) => {
    expect(outcome(() => op(dir, join(tree.outside, 'secret.txt')))).toBe('not-permitted');
    expect(outcome(() => op(dir, '/'))).toBe('not-permitted');
  });

  it.each(['..', '../outside/secret.txt', 'sub/../../outside/secret.txt', 'sub/deeper/../../..', './../x'])('refuses `..` above the preopen: %s', (path) => {
    expect(outcome(() => dir.openAt(follow, path, {}, { read: true }))).toBe('not-permitted');
    expect(outcome(() => dir.statAt({}, path))).toBe('not-permitted');
  });

  it('allows `..` that stays inside', () => {
    expect(readAt(dir, 'sub/../hello.txt')).toBe('hello');
    expect(readAt(dir, 'sub/deeper/../file.txt')).toBe('inside');
  });

  it.each([
    ['a relative link climbing out', 'link-out-rel'],
    ['an absolute link', 'link-out-abs'],
    ['a directory link out, as a path component', 'link-dir-out/secret.txt'],
    ['a link in a subdirectory climbing out', 'sub/link-up-out'],
    ['an inside link followed by `..` out', 'link-dir-inside/../../outside/secret.txt'],
  ])('refuses to follow %s', (_what, path) => {
    expect(outcome(() => dir.openAt(follow, path, {}, { read: true }))).toBe('not-permitted');
    expect(outcome(() => dir.statAt(follow, path))).toBe('not-permitted');
  });

  it('does not follow a final link unless asked, and then refuses to open the link itself', () => {
    expect(dir.statAt({}, 'link-out-abs').type).toBe('symbolic-link');
    expect(outcome(() => dir.openAt({}, 'link-out-abs', {}, { read: true }))).toBe('loop');
    expect(outcome(() => dir.openAt({}, 'link-inside', {}, { read: true }))).toBe('loop');
  });

  it('follows links that stay inside', () => {
    expect(readAt(dir, 'link-inside')).toBe('inside');
    expect(readAt(dir, 'link-dir-inside/file.txt')).toBe('inside');
    expect(readAt(dir, 'link-dir-inside/deeper/../file.txt')).toBe('inside');
  });

  it('reports a link loop as `loop`', () => {
    expect(outcome(() => dir.openAt(follow, 'loop-a', {}, { read: true }))).toBe('loop');
    expect(outcome(() => dir.statAt(follow, 'loop-a/x'))).toBe('loop');
  });

  it('confines a descriptor opened below the preopen to itself', () => {
    const sub = dir.openAt({}, 'sub', { directory: true }, { read: true });
    expect(readAt(sub, 'file.txt')).toBe('inside');
    expect(outcome(() => sub.openAt(follow, '../hello.txt', {}, { read: true }))).toBe('not-permitted');
  });

  it('refuses NUL bytes and empty paths', () => {
    expect(outcome(() => dir.statAt({}, 'hello.txt\0../x'))).toBe('invalid');
    expect(outcome(() => dir.statAt({}, ''))).toBe('no-entry');
  });
});

describe('filesystem confinement under concurrent changes', () => {
  const withHook = (afterCheck: RaceHooks['afterCheck']) => {
    close();
    const p = preopen(tree.root, { hooks: { afterCheck } });
    close = p.fs.close;
    return p.dir;
  };

  it('keeps using the directory it checked when a path component is swapped for a link out', () => {
    let swapped = false;
    const d = withHook((step) => {
      if (step.kind !== 'directory' || step.name !== 'sub' || swapped) return;
      // After `sub` was opened, someone replaces it by a link to the outside directory.
      renameSync(join(tree.root, 'sub'), join(tree.root, 'sub-moved'));
      symlinkSync(tree.outside, join(tree.root, 'sub'));
      swapped = true;
    });
    // outside/file.txt would be what a path-based host reads now.
    symlinkSync('secret.txt', join(tree.outside, 'file.txt'));
    expect(readAt(d, 'sub/file.txt')).toBe('inside');
    expect(swapped).toBe(true);
    // And the next walk sees the link and refuses it.
    expect(outcome(() => d.openAt(follow, 'sub/file.txt', {}, { read: true }))).toBe('not-permitted');
  });

  it('re-checks a final component swapped for a link out between the check and the open', () => {
    let swaps = 0;
    const d = withHook((step) => {
      if (step.kind !== 'final' || step.name !== 'hello.txt' || swaps > 0) return;
      rmSync(join(tree.root, 'hello.txt'));
      symlinkSync(join(tree.outside, 'secret.txt'), join(tree.root, 'hello.txt'));
      swaps++;
    });
    expect(outcome(() => d.openAt(follow, 'hello.txt', {}, { read: true }))).toBe('not-permitted');
    expect(swaps).toBe(1);
  });

  it('does not create a file through a dangling link planted between the check and the open', () => {
    const d = withHook((step) => {
      if (step.kind === 'final' && step.name === 'new.txt' && !existsSync(join(tree.root, 'new.txt'))) {
        symlinkSync(join(tree.outside, 'planted.txt'), join(tree.root, 'new.txt'));
      }
    });
    expect(outcome(() => d.openAt({}, 'new.txt', { create: true }, { write: true }))).toBe('loop');
    expect(existsSync(join(tree.outside, 'planted.txt'))).toBe(false);
  });
});

describe('a read-only preopen', () => {
  const mutations: [string, (d: Descriptor) => unknown][] = [
    ['open-at with create', (d) => d.openAt({}, 'new.txt', { create: true }, { read: true })],
    ['open-at with truncate', (d) => d.openAt({}, 'hello.txt', { truncate: true }, { read: true })],
    ['open-at for writing', (d) => d.openAt({}, 'hello.txt', {}, { write: true })],
    ['write-via-stream', (d) => d.openAt({}, 'hello.txt', {}, { read: true }).writeViaStream(0n)],
    ['append-via-stream', (d) => d.openAt({}, 'hello.txt', {}, { read: true }).appendViaStream()],
    ['write', (d) => d.openAt({}, 'hello.txt', {}, { read: true }).write(new Uint8Array([1]), 0n)],
    ['set-size', (d) => d.openAt({}, 'hello.txt', {}, { read: true }).setSize(0n)],
    ['set-times', (d) => d.openAt({}, 'hello.txt', {}, { read: true }).setTimes({ tag: 'now' }, { tag: 'now' })],
    ['set-times on the directory', (d) => d.setTimes({ tag: 'now' }, { tag: 'now' })],
    ['set-times-at', (d) => d.setTimesAt({}, 'hello.txt', { tag: 'now' }, { tag: 'now' })],
    ['create-directory-at', (d) => d.createDirectoryAt('newdir')],
    ['remove-directory-at', (d) => d.removeDirectoryAt('sub/deeper')],
    ['unlink-file-at', (d) => d.unlinkFileAt('hello.txt')],
    ['rename-at', (d) => d.renameAt('hello.txt', d, 'renamed.txt')],
    ['symlink-at', (d) => d.symlinkAt('hello.txt', 'new-link')],
    ['link-at', (d) => d.linkAt({}, 'hello.txt', d, 'hard-link')],
    ['a subdirectory\'s create-directory-at', (d) => d.openAt({}, 'sub', { directory: true }, { read: true, mutateDirectory: true }).createDirectoryAt('x')],
  ];

  it.each(mutations)('refuses %s', (_what, mutate) => {
    close();
    const p = preopen(tree.root, { readOnly: true });
    close = p.fs.close;
    const before = snapshot(tree.root);
    expect(['not-permitted', 'bad-descriptor']).toContain(outcome(() => mutate(p.dir)));
    expect(snapshot(tree.root)).toEqual(before);
  });

  it('still reads, lists and stats', () => {
    close();
    const p = preopen(tree.root, { readOnly: true });
    close = p.fs.close;
    expect(readAt(p.dir, 'sub/file.txt')).toBe('inside');
    expect(p.dir.getFlags()).toEqual({ read: true, mutateDirectory: false });
    expect(p.dir.statAt({}, 'hello.txt').size).toBe(5n);
    const sub = p.dir.openAt({}, 'sub', { directory: true }, { read: true, mutateDirectory: true });
    expect(sub.getFlags().mutateDirectory).toBe(false);
  });
});

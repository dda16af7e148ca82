// A real directory tree with real symbolic links for the filesystem tests, and helpers to
// reach a preopen's descriptor the way a guest does (through `get-directories`).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Descriptor } from '../../../../../host/capabilities/wasi/filesystem/descriptor.js';
import { filesystemInterfaces, type FilesystemOptions } from '../../../../../host/capabilities/wasi/filesystem/index.js';
import type { InputStream } from '../../../../../host/capabilities/wasi/io/streams.js';

export interface Tree {
  /** The preopened directory. */
  readonly root: string;
  /** A sibling the plugin must never reach. */
  readonly outside: string;
  remove(): void;
}

/**
 *   root/hello.txt            "hello"
 *   root/grüße.txt            "äöü"
 *   root/sub/file.txt         "inside"
 *   root/sub/deeper/x.txt     "x"
 *   root/link-inside       -> sub/file.txt
 *   root/link-dir-inside   -> sub
 *   root/link-out-rel      -> ../outside/secret.txt
 *   root/link-out-abs      -> <outside>/secret.txt
 *   root/link-dir-out      -> ../outside
 *   root/sub/link-up-out   -> ../../outside/secret.txt
 *   root/loop-a -> loop-b, root/loop-b -> loop-a
 *   outside/secret.txt        "secret"
 */
export function makeTree(): Tree {
  const base = mkdtempSync(join(tmpdir(), 'plugin-actors-fs-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'hello.txt'), 'hello');
  writeFileSync(join(root, 'grüße.txt'), 'äöü');
  writeFileSync(join(root, 'sub', 'file.txt'), 'inside');
  writeFileSync(join(root, 'sub', 'deeper', 'x.txt'), 'x');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync('sub/file.txt', join(root, 'link-inside'));
  symlinkSync('sub', join(root, 'link-dir-inside'));
  symlinkSync('../outside/secret.txt', join(root, 'link-out-rel'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'link-out-abs'));
  symlinkSync('../outside', join(root, 'link-dir-out'));
  symlinkSync('../../outside/secret.txt', join(root, 'sub', 'link-up-out'));
  symlinkSync('loop-b', join(root, 'loop-a'));
  symlinkSync('loop-a', join(root, 'loop-b'));
  return { root, outside, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** The preopen's descriptor and the filesystem it belongs to. */
export function preopen(root: string, options: FilesystemOptions & { readOnly?: boolean } = {}) {
  const fs = filesystemInterfaces([{ guestPath: '/data', hostPath: root, readOnly: options.readOnly ?? false }], options);
  const preopens = fs.interfaces['wasi:filesystem/preopens'] as { getDirectories(): [Descriptor, string][] };
  const [[dir, name]] = preopens.getDirectories() as [[Descriptor, string]];
  return { dir, name, fs, preopens };
}

/** The `err` payload of a WASI call, or 'ok'. */
export function outcome(call: () => unknown): unknown {
  try {
    call();
    return 'ok';
  } catch (error) {
    if (error !== null && typeof error === 'object' && 'payload' in error) return (error as { payload: unknown }).payload;
    throw error;
  }
}

/** Reads a whole stream as text. */
export function readAll(stream: InputStream): string {
  const chunks: Uint8Array[] = [];
  for (;;) {
    try {
      chunks.push(stream.blockingRead(4096n));
    } catch (error) {
      if ((error as { payload?: { tag?: string } }).payload?.tag === 'closed') break;
      throw error;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file through a descriptor the way a guest does: open-at, then a stream. */
export function readAt(dir: Descriptor, path: string, follow = true): string {
  const file = dir.openAt({ symlinkFollow: follow }, path, {}, { read: true });
  const stream = file.readViaStream(0n);
  try {
    return readAll(stream);
  } finally {
    stream[Symbol.dispose]();
    file[Symbol.dispose]();
  }
}

/** Everything under `dir` (names, link targets, file contents): to show nothing changed. */
export function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => {
    const path = join(e.parentPath ?? e.path, e.name);
    if (e.isSymbolicLink()) return `${path} -> link`;
    if (e.isFile()) return `${path} = ${readFileSync(path, 'utf8')}`;
    return `${path}/`;
  }).sort();
}

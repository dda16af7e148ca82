// Helpers to reach a preopen's descriptor the way a guest does (through `get-directories`),
// over the real tree of test/support/fs-tree.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Descriptor } from '../../../../../host/capabilities/wasi/filesystem/descriptor.js';
import { filesystemInterfaces, type FilesystemOptions } from '../../../../../host/capabilities/wasi/filesystem/index.js';
import type { InputStream } from '../../../../../host/capabilities/wasi/io/streams.js';

export { makeTree, type Tree } from '../../../../support/fs-tree.js';

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

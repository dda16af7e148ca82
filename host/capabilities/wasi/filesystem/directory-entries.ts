/**
 * `directory-entry-stream`: the entries of a directory, read lazily (a listing of a huge
 * directory never sits in host memory at once). `.` and `..` are not listed. A name that
 * is not valid UTF-8 cannot be a WIT string and fails with `illegal-byte-sequence`.
 */
import { opendirSync, type Dir, type Dirent } from 'node:fs';
import { fail, fsCall } from './errors.js';
import type { OpenFiles } from './open-files.js';
import { at } from './resolve.js';
import { typeOf, type DescriptorType } from './stat.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class DirectoryEntryStream {
  private readonly dir: Dir;
  private readonly release: () => void;

  constructor(files: OpenFiles, dirFd: number) {
    let dir: Dir | undefined;
    this.release = files.hold(() => dir?.closeSync());
    try {
      // Names as bytes, to refuse those that are not UTF-8 (Node's types omit this encoding).
      dir = fsCall(() => opendirSync(at(dirFd, '.'), { encoding: 'buffer' as BufferEncoding }));
    } catch (error) {
      this.release();
      throw error;
    }
    this.dir = dir;
  }

  readDirectoryEntry(): { type: DescriptorType; name: string } | undefined {
    const entry = fsCall(() => this.dir.readSync()) as unknown as (Omit<Dirent, 'name'> & { name: Buffer }) | null;
    if (entry === null) return undefined;
    let name: string;
    try {
      name = utf8.decode(entry.name);
    } catch {
      return fail('illegal-byte-sequence');
    }
    return { type: typeOf(entry), name };
  }

  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Byte sources and sinks over an open file at a position (`read-via-stream`,
 * `write-via-stream`, `append-via-stream`). A stream keeps its file open until the guest
 * drops it, even if the descriptor that made it is dropped first. Failures reach the guest
 * as `last-operation-failed` carrying the filesystem error code.
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { IoError } from '../io/error.js';
import { failed, InputStream, OutputStream, type ByteSink, type ByteSource } from '../io/streams.js';
import { codeOf } from './errors.js';
import type { OpenFd } from './open-files.js';
import { filePosition } from './stat.js';

function streamCall<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    const code = codeOf(error);
    if (code === undefined) throw error;
    throw failed(new IoError(`${what} failed: ${code}`, code));
  }
}

class FileSource implements ByteSource {
  constructor(private readonly file: OpenFd, private position: bigint) {}

  read(max: number): Uint8Array | undefined {
    return streamCall('read', () => {
      const buffer = new Uint8Array(max);
      const n = readSync(this.file.fd, buffer, 0, max, filePosition(this.position));
      if (n === 0) return undefined;
      this.position += BigInt(n);
      return n === max ? buffer : buffer.slice(0, n);
    });
  }
}

class FileSink implements ByteSink {
  constructor(private readonly file: OpenFd, private position: bigint | 'append') {}

  write(bytes: Uint8Array): void {
    streamCall('write', () => {
      let at = this.position === 'append' ? fstatSync(this.file.fd, { bigint: true }).size : this.position;
      for (let done = 0; done < bytes.length;) {
        const n = writeSync(this.file.fd, bytes, done, bytes.length - done, filePosition(at));
        done += n;
        at += BigInt(n);
      }
      if (this.position !== 'append') this.position = at;
    });
  }
}

/** An input stream that keeps `file` open while the guest holds it. */
export function fileInputStream(file: OpenFd, offset: bigint): InputStream {
  return new InputStream(new FileSource(file.retain(), offset), () => file.release());
}

/** An output stream at `offset`, or at the end of the file before each write. */
export function fileOutputStream(file: OpenFd, offset: bigint | 'append'): OutputStream {
  return new OutputStream(new FileSink(file.retain(), offset), () => file.release());
}

/**
 * `wasi:io/streams` over synchronous host sources and sinks (the log, the discard sink, an
 * empty stdin, open files). Every stream is always ready, so the blocking and non-blocking
 * variants behave alike.
 *
 * Bounds: one read returns at most `MAX_READ_BYTES` whatever length the guest asks for (the
 * WASI contract allows short reads), and one write, splice or run of zeroes takes at most
 * what `check-write` permits; more is the guest's error, reported as
 * `last-operation-failed`, never a large host allocation.
 */
import { IoError } from './error.js';
import { readyPollable, type Pollable } from './poll.js';

/** The most bytes one `read` returns, and the most one write accepts (`check-write`). */
export const MAX_READ_BYTES = 1 << 20;
export const WRITE_PERMIT_BYTES = 1 << 20;

/** `wasi:io/streams.stream-error`, thrown as the `err` of a stream operation. */
export type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };

/** A thrown `err` payload (the runtime lowers `payload` into the function's `result`). */
export class StreamFailure {
  constructor(readonly payload: StreamError) {}
}

export const closed = (): StreamFailure => new StreamFailure({ tag: 'closed' });
export const failed = (error: IoError): StreamFailure => new StreamFailure({ tag: 'last-operation-failed', val: error });

/** Where an input stream's bytes come from. */
export interface ByteSource {
  /** Up to `max` bytes (at least one), or undefined at the end. May throw a StreamFailure. */
  read(max: number): Uint8Array | undefined;
}

/** Where an output stream's bytes go. */
export interface ByteSink {
  /** Takes all of `bytes`. May throw a StreamFailure. */
  write(bytes: Uint8Array): void;
  /** Called on the guest's `flush`; line-buffered sinks ignore it. */
  flush?(): void;
}

/** A source with nothing in it: reads report `closed` (stdin). */
export const emptySource: ByteSource = { read: () => undefined };

/** A sink that drops everything (output nobody was granted to see). */
export const discardSink: ByteSink = { write: () => {} };

/** Clamps a guest-supplied `u64` length to a host-sized number. */
function clamp(len: bigint, max: number): number {
  return len > BigInt(max) ? max : Number(len);
}

/** Runs `release` once, when the guest drops the stream. */
class Releasable {
  constructor(private release?: () => void) {}

  [Symbol.dispose](): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}

/** `wasi:io/streams.input-stream`. `release` runs when the guest drops it. */
export class InputStream extends Releasable {
  constructor(private readonly source: ByteSource, release?: () => void) {
    super(release);
  }

  read(len: bigint): Uint8Array {
    if (len === 0n) return new Uint8Array(0);
    const bytes = this.source.read(clamp(len, MAX_READ_BYTES));
    if (bytes === undefined) throw closed();
    return bytes;
  }

  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }

  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }

  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }

  subscribe(): Pollable {
    return readyPollable();
  }
}

/** `wasi:io/streams.output-stream`. `release` runs when the guest drops it. */
export class OutputStream extends Releasable {
  constructor(private readonly sink: ByteSink, release?: () => void) {
    super(release);
  }

  checkWrite(): bigint {
    return BigInt(WRITE_PERMIT_BYTES);
  }

  write(contents: Uint8Array): void {
    if (contents.length > WRITE_PERMIT_BYTES) {
      throw failed(new IoError(`a write of ${contents.length} bytes exceeds the ${WRITE_PERMIT_BYTES} that check-write permits`));
    }
    if (contents.length > 0) this.sink.write(contents);
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    this.write(contents);
    this.flush();
  }

  flush(): void {
    this.sink.flush?.();
  }

  blockingFlush(): void {
    this.flush();
  }

  subscribe(): Pollable {
    return readyPollable();
  }

  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(clamp(len, WRITE_PERMIT_BYTES + 1)));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
    this.flush();
  }

  splice(src: InputStream, len: bigint): bigint {
    const bytes = src.read(len > BigInt(WRITE_PERMIT_BYTES) ? BigInt(WRITE_PERMIT_BYTES) : len);
    this.write(bytes);
    return BigInt(bytes.length);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
}

/** The import object of `wasi:io/streams`. */
export const streamsInterface = { InputStream, OutputStream };

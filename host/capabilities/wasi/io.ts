/**
 * A small `wasi:io` (error, poll, streams) for the capabilities this host grants:
 * output streams that feed a sink (the host logger), an always-closed input stream, and
 * pollables that are ready at a point in time. No worker threads, no host file access.
 */

/** `wasi:io/error.error`. */
export class IoError {
  constructor(private readonly message: string) {}
  toDebugString(): string {
    return this.message;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** `wasi:io/poll.pollable`: ready once `readyAt` (a `process.hrtime.bigint()` time) has passed. */
export class Pollable {
  constructor(private readonly readyAt: bigint = 0n) {}
  ready(): boolean {
    return process.hrtime.bigint() >= this.readyAt;
  }
  block(): void {
    const wait = this.readyAt - process.hrtime.bigint();
    // Synchronous by design: guests call this from inside a synchronous wasm call.
    if (wait > 0n) Atomics.wait(sleeper, 0, 0, Number(wait / 1_000_000n) + 1);
  }
}

export const poll = {
  Pollable,
  poll(list: Pollable[]): Uint32Array {
    if (list.length === 0) throw new TypeError('poll needs at least one pollable');
    let ready = list.flatMap((p, i) => (p.ready() ? [i] : []));
    if (ready.length === 0) {
      list[0]!.block();
      ready = list.flatMap((p, i) => (p.ready() ? [i] : []));
    }
    return Uint32Array.from(ready);
  },
};

/** `wasi:io/streams.input-stream` with no data: every read reports `closed`. */
export class InputStream {
  read(_len: bigint): Uint8Array {
    throw { tag: 'closed' };
  }
  blockingRead(len: bigint): Uint8Array {
    return this.read(len);
  }
  skip(_len: bigint): bigint {
    throw { tag: 'closed' };
  }
  blockingSkip(len: bigint): bigint {
    return this.skip(len);
  }
  subscribe(): Pollable {
    return new Pollable();
  }
}

/** `wasi:io/streams.output-stream` that hands every write to `sink`. */
export class OutputStream {
  constructor(private readonly sink: (bytes: Uint8Array) => void, private readonly flushSink: () => void = () => {}) {}
  checkWrite(): bigint {
    return 1n << 20n;
  }
  write(contents: Uint8Array): void {
    this.sink(contents);
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.sink(contents);
    this.flushSink();
  }
  flush(): void {
    this.flushSink();
  }
  blockingFlush(): void {
    this.flushSink();
  }
  subscribe(): Pollable {
    return new Pollable();
  }
  writeZeroes(len: bigint): void {
    this.sink(new Uint8Array(Number(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
    this.flushSink();
  }
  splice(_src: InputStream, _len: bigint): bigint {
    throw { tag: 'closed' };
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
}

export const streams = { InputStream, OutputStream };
export const error = { Error: IoError };

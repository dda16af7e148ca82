/**
 * Framing: every message is a little-endian u32 byte length followed by that many bytes.
 * The decoder is incremental (feed any chunking, get whole frames) and pure; it refuses
 * frames above a size limit before buffering them.
 */

export class FrameTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`frame of ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

export class FrameDecoder {
  private buffer = new Uint8Array(0);
  private length = 0;

  constructor(readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** True while a partial frame is buffered (used to detect a stalled peer). */
  get pending(): boolean {
    return this.length > 0;
  }

  /** Adds bytes; returns the frames completed by them (payloads only, each a fresh copy). */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    // Uint8Array's slice copies (Buffer's does not): frames must not alias the caller's chunk.
    this.each(chunk, (payload) => { frames.push(Uint8Array.prototype.slice.call(payload)); });
    return frames;
  }

  /**
   * Adds bytes and hands each frame they complete to `visit`, without copying: a payload is
   * a view of `chunk` or of this decoder's buffer, valid only during the call (the peer
   * decodes a message in place; what it keeps, it copies). `visit` returns false to stop
   * (the rest is dropped). Returns the number of frames visited.
   */
  each(chunk: Uint8Array, visit: (payload: Uint8Array) => boolean | void): number {
    const buffered = this.length > 0;
    if (buffered) {
      this.ensure(this.length + chunk.length);
      this.buffer.set(chunk, this.length);
      this.length += chunk.length;
    }
    const data = buffered ? this.buffer.subarray(0, this.length) : chunk;
    let visited = 0;
    let pos = 0;
    while (data.length - pos >= 4) {
      const size = (data[pos]! | (data[pos + 1]! << 8) | (data[pos + 2]! << 16)) + data[pos + 3]! * 0x1000000;
      if (size > this.maxFrameBytes) throw new FrameTooLargeError(size, this.maxFrameBytes);
      if (data.length - pos - 4 < size) break;
      const payload = data.subarray(pos + 4, pos + 4 + size);
      pos += 4 + size;
      visited++;
      if (visit(payload) === false) {
        this.length = 0;
        return visited;
      }
    }
    // The buffer changes only now, after every view of it was visited.
    const rest = data.length - pos;
    if (rest === 0) {
      this.length = 0;
    } else if (!buffered) {
      this.ensure(rest);
      this.buffer.set(data.subarray(pos), 0);
      this.length = rest;
    } else if (pos > 0) {
      this.buffer.copyWithin(0, pos, this.length);
      this.length = rest;
    }
    return visited;
  }

  private ensure(size: number): void {
    if (this.buffer.length >= size) return;
    const grown = new Uint8Array(Math.max(size, this.buffer.length * 2, 1024));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** A frame: 4-byte length prefix plus payload. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  const n = payload.length;
  out[0] = n & 0xff;
  out[1] = (n >>> 8) & 0xff;
  out[2] = (n >>> 16) & 0xff;
  out[3] = (n >>> 24) & 0xff;
  out.set(payload, 4);
  return out;
}

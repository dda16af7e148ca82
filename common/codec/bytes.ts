/**
 * Byte-level reading and writing for the wire value encoding: LEB128 integers, IEEE floats
 * (little-endian), UTF-8 strings. The reader is bounds-checked and throws `WireError`
 * (always a protocol violation by the peer); the writer grows as needed.
 */

/** Malformed bytes from the peer. */
export class WireError extends Error {}
Object.defineProperty(WireError.prototype, 'name', { value: 'WireError', enumerable: false });

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Small buffers come from Node's shared pool (no zero-fill, no new ArrayBuffer each time). */
function allocate(size: number): Uint8Array {
  return Buffer.allocUnsafe(size);
}

export class ByteWriter {
  buffer: Uint8Array;
  private dataView: DataView | undefined;
  /** The buffer `dataView` was made for (pooled buffers share one ArrayBuffer at different offsets). */
  private viewOf: Uint8Array | undefined;
  pos = 0;

  constructor(capacity = 256) {
    this.buffer = allocate(capacity);
  }

  /** A DataView over the current buffer, made only when floats are written. */
  get view(): DataView {
    if (!this.dataView || this.viewOf !== this.buffer) {
      this.dataView = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
      this.viewOf = this.buffer;
    }
    return this.dataView;
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = allocate(size);
    next.set(this.buffer.subarray(0, this.pos));
    this.buffer = next;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buffer[this.pos++] = v;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  uleb(v: number): void {
    this.reserve(8);
    while (v >= 0x80) {
      this.buffer[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.pos++] = v;
  }

  /** Signed LEB128 of a 32-bit integer. */
  sleb32(v: number): void {
    this.reserve(5);
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        this.buffer[this.pos++] = byte;
        return;
      }
      this.buffer[this.pos++] = byte | 0x80;
    }
  }

  uleb64(v: bigint): void {
    this.reserve(10);
    while (v >= 0x80n) {
      this.buffer[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.pos++] = Number(v);
  }

  sleb64(v: bigint): void {
    this.reserve(10);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.buffer[this.pos++] = byte;
        return;
      }
      this.buffer[this.pos++] = byte | 0x80;
    }
  }

  f32(v: number): void {
    this.reserve(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** LEB128 byte length, then UTF-8. */
  string(s: string): void {
    if (s.length < 128 && isAscii(s)) {
      this.reserve(1 + s.length);
      this.buffer[this.pos++] = s.length;
      for (let i = 0; i < s.length; i++) this.buffer[this.pos++] = s.charCodeAt(i);
      return;
    }
    // The exact UTF-8 length first, so the length prefix is minimal LEB128 (docs/protocol.md §4).
    const n = Buffer.byteLength(s, 'utf8');
    this.uleb(n);
    this.reserve(n);
    this.pos += utf8.encodeInto(s, this.buffer.subarray(this.pos, this.pos + n)).written;
  }

  bytes(b: Uint8Array): void {
    this.uleb(b.length);
    this.reserve(b.length);
    this.buffer.set(b, this.pos);
    this.pos += b.length;
  }

  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.pos);
    this.pos += b.length;
  }

  /** The bytes written so far (a view; copy before reusing the writer). */
  view_(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.pos);
  }

  /** A writer whose first 4 bytes are kept for a frame header (see `frame()`). */
  static framed(capacity = 64): ByteWriter {
    const w = new ByteWriter(capacity);
    w.pos = 4;
    return w;
  }

  /** For a `framed()` writer: fills in the length header and returns the whole frame (a view). */
  frame(): Uint8Array {
    const n = this.pos - 4;
    this.buffer[0] = n & 0xff;
    this.buffer[1] = (n >>> 8) & 0xff;
    this.buffer[2] = (n >>> 16) & 0xff;
    this.buffer[3] = (n >>> 24) & 0xff;
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.pos);
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export class ByteReader {
  pos: number;
  #view: DataView | undefined;

  constructor(readonly buffer: Uint8Array, start = 0, readonly end = buffer.length) {
    this.pos = start;
  }

  /** Made only when floats are read: most messages hold none, and one per message showed in profiles. */
  get view(): DataView {
    return (this.#view ??= new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength));
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new WireError('unexpected end of message');
    return this.buffer[this.pos++]!;
  }

  /** Unsigned LEB128 of at most 5 bytes (a 32-bit value), up to `max` (inclusive). */
  uleb(max = 0xffffffff): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (result > max) throw new WireError(`integer ${result} is out of range`);
        return result;
      }
      scale *= 0x80;
    }
    throw new WireError('a 32-bit integer takes more than 5 bytes of LEB128');
  }

  sleb32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      if (shift > 28) throw new WireError('s32 encoding too long');
      b = this.u8();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) result |= -1 << shift;
    return result;
  }

  uleb64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffffffffffffn) throw new WireError('u64 out of range');
        return result;
      }
      shift += 7n;
    }
    throw new WireError('u64 encoding too long');
  }

  sleb64(): bigint {
    let result = 0n;
    let shift = 0n;
    let b = 0;
    for (let i = 0; i < 10; i++) {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= 1n << shift;
        if (result < -0x8000000000000000n || result > 0x7fffffffffffffffn) throw new WireError('s64 out of range');
        return result;
      }
    }
    throw new WireError('s64 encoding too long');
  }

  f32(): number {
    if (this.remaining < 4) throw new WireError('unexpected end of message');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    if (this.remaining < 8) throw new WireError('unexpected end of message');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    if (n > this.remaining) throw new WireError(`a length of ${n} runs past the end of the message`);
    const out = this.buffer.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.uleb();
    const bytes = this.take(n);
    if (n < 64) {
      let ascii = true;
      for (let i = 0; i < n; i++) if (bytes[i]! > 0x7f) { ascii = false; break; }
      if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
    }
    try {
      return utf8Strict.decode(bytes);
    } catch {
      throw new WireError('string is not valid UTF-8');
    }
  }
}

/**
 * A bounds-checked cursor over wasm binary data (LEB128 integers, names, byte ranges).
 * Every read past the end or malformed encoding throws `ERR_COMPONENT_INVALID` with the
 * offset, so corrupt `.wasm` files fail with a clear error instead of a crash.
 */
import { PluginHostError } from '../../../common/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  pos: number;

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Throws the decoding error (rule `binary-format`) for malformed bytes at `at`. */
  fail(message: string, at = this.pos): never {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `invalid component at byte ${at}: ${message}`, { rule: 'binary-format', offset: at });
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data');
    return this.bytes[this.pos]!;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      if (shift === 28 && (b & 0x70) !== 0) this.fail('u32 out of range', start);
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 28) this.fail('u32 encoding too long', start);
    }
  }

  /** Signed LEB128 up to 33 bits (type indices vs. negative type opcodes). */
  s33(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    const start = this.pos;
    do {
      b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 35) this.fail('s33 encoding too long', start);
    } while (b & 0x80);
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }

  bytesOf(length: number): Uint8Array {
    if (length > this.end - this.pos) this.fail(`a length of ${length} runs past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  name(): string {
    const length = this.u32();
    const at = this.pos;
    try {
      return decoder.decode(this.bytesOf(length));
    } catch (e) {
      if (e instanceof PluginHostError) throw e;
      this.fail('a name is not valid UTF-8', at);
    }
  }

  vec<T>(element: () => T): T[] {
    const n = this.u32();
    if (n > this.end - this.pos) this.fail(`a vector of ${n} elements cannot fit in the remaining bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(element());
    return out;
  }

  /** `0x00` → undefined, `0x01 x` → x. */
  optional<T>(element: () => T): T | undefined {
    const flag = this.u8();
    if (flag === 0) return undefined;
    if (flag !== 1) this.fail(`expected 0x00 or 0x01 for an optional, found 0x${flag.toString(16)}`, this.pos - 1);
    return element();
  }
}

/**
 * Helpers the generated lifting/lowering code calls: memory views that survive memory
 * growth, string transcoding, float bit casts and the errors of the Canonical ABI.
 */
import type { CoreMemory } from '../core-types.js';
import { describe } from '../../../common/codec/describe-value.js';
import { PluginHostError } from '../../../common/errors.js';
import { endBorrow, GuestResource, type Handle } from '../runtime/resources.js';
import { trap } from '../runtime/trap.js';

export { Trap, trap } from '../runtime/trap.js';

export function badArgument(path: string, expected: string, value: unknown): never {
  throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected ${expected}, got ${describe(value)}`);
}

/** A `TextDecoder`, as the exported declarations name it (without the DOM library). */
export interface StringDecoder {
  decode(input: Uint8Array): string;
}

/** A DataView and byte view of a guest memory, re-created when the memory grows. */
export class MemoryView {
  private buffer: ArrayBuffer;
  private dataView: DataView;
  private bytes: Uint8Array;

  /**
   * @param maxValueBytes the most bytes of guest memory one lifted string or list may span
   *   (`limits.maxValueBytes`); checked on the length alone, before anything is copied.
   */
  constructor(readonly memory: CoreMemory, readonly maxValueBytes = MAX_STRING_BYTES) {
    this.buffer = memory.buffer;
    this.dataView = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
  }

  get dv(): DataView {
    if (this.buffer !== this.memory.buffer) this.refresh();
    return this.dataView;
  }

  get u8(): Uint8Array {
    if (this.buffer !== this.memory.buffer) this.refresh();
    return this.bytes;
  }

  private refresh(): void {
    this.buffer = this.memory.buffer;
    this.dataView = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
  }

  /**
   * Refuses a string or list longer than the plugin's `limits.maxValueBytes` with ERR_LIMIT,
   * before the value is decoded or copied: a guest cannot make the host allocate it.
   */
  checkValueSize(byteLength: number): void {
    if (byteLength > this.maxValueBytes) {
      throw new PluginHostError('ERR_LIMIT', `the plugin passed a string or list of ${byteLength} bytes, more than its limit of ${this.maxValueBytes} (limits.maxValueBytes)`);
    }
  }

  /** Traps unless [ptr, ptr + length) lies inside memory and ptr is aligned (an empty range too). */
  check(ptr: number, length: number, align: number): void {
    if (ptr % align !== 0) trap(`pointer ${ptr} is not aligned to ${align}`);
    if (ptr + length > this.memory.buffer.byteLength) trap(`range [${ptr}, ${ptr + length}) is outside guest memory`);
  }
}

/**
 * Allocates `size` bytes in guest memory with the guest's `realloc` and checks what it
 * returned — aligned, and inside memory — before anything is written there
 * (CanonicalABI.md: `trap_if(ptr != align_to(ptr, alignment))`, `trap_if(ptr + size > len(memory))`).
 */
export function allocate(mem: MemoryView, realloc: Realloc, oldPtr: number, oldSize: number, align: number, size: number): number {
  const ptr = realloc(oldPtr, oldSize, align, size) >>> 0;
  if (ptr % align !== 0) trap(`realloc returned ${ptr}, which is not aligned to ${align}`);
  if (ptr + size > mem.memory.buffer.byteLength) trap(`realloc returned ${ptr} for ${size} bytes, which is outside guest memory`);
  return ptr;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

export function f32ToI32(x: number): number {
  f32[0] = x;
  return i32[0]!;
}
export function i32ToF32(x: number): number {
  i32[0] = x;
  return f32[0]!;
}
export function f64ToI64(x: number): bigint {
  f64[0] = x;
  return i64[0]!;
}
export function i64ToF64(x: bigint): number {
  i64[0] = x;
  return f64[0]!;
}

// `ignoreBOM`: a leading U+FEFF is part of the string, not a byte-order mark to drop.
export const utf8Decoder: StringDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const utf16Decoder: StringDecoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

/** ISO-8859-1 (the WHATWG decoder's `latin1` is windows-1252, which differs in 0x80–0x9F). */
function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
const utf8Encoder = new TextEncoder();

export const MAX_STRING_BYTES = (1 << 28) - 1;

export type Realloc = (oldPtr: number, oldSize: number, align: number, newSize: number) => number;

/** Decodes a guest string; invalid encoding or out-of-bounds ranges trap. */
export function loadString(mem: MemoryView, ptr: number, taggedLength: number, encoding: 'utf8' | 'utf16' | 'latin1+utf16'): string {
  let byteLength: number;
  let decoder: StringDecoder | undefined;
  let align = 1;
  if (encoding === 'utf8') {
    if (taggedLength === 0) {
      // An empty string still has a pointer, and it must be inside memory.
      mem.check(ptr, 0, 1);
      return '';
    }
    byteLength = taggedLength;
    decoder = utf8Decoder;
  } else if (encoding === 'utf16' || (taggedLength & 0x80000000) !== 0) {
    byteLength = 2 * (taggedLength & 0x7fffffff);
    decoder = utf16Decoder;
    align = 2;
  } else {
    byteLength = taggedLength; // latin1: decoded below
    align = 2;
  }
  if (byteLength > MAX_STRING_BYTES) trap(`string of ${byteLength} bytes is longer than the ABI allows`);
  mem.checkValueSize(byteLength);
  mem.check(ptr, byteLength, align);
  const bytes = mem.u8.subarray(ptr, ptr + byteLength);
  if (!decoder) return decodeLatin1(bytes);
  try {
    return decoder.decode(bytes);
  } catch {
    return trap(`string at ${ptr} is not valid ${encoding === 'utf8' ? 'UTF-8' : 'UTF-16'}`);
  }
}

/**
 * Copies a JS string into guest memory with the guest's `realloc` (every result checked by
 * `allocate`, empty strings included). Returns the pointer and stores the (tagged) code
 * unit count in `out.length`.
 *
 * Each string is allocated once, at its exact size: a guest's realloc need not grow (the
 * WASI preview1 adapter's `cabi_import_realloc` traps on anything but shrinking). The
 * Canonical ABI's optimistic-then-grow sequence gives the same value with more calls.
 */
export function storeString(
  mem: MemoryView, realloc: Realloc, value: string, encoding: 'utf8' | 'utf16' | 'latin1+utf16', out: { length: number },
): number {
  const n = value.length;
  if (encoding === 'utf8') {
    const size = utf8Length(value);
    if (size > MAX_STRING_BYTES) trap('string is longer than the ABI allows');
    const ptr = allocate(mem, realloc, 0, 0, 1, size);
    out.length = size === 0 ? 0 : utf8Encoder.encodeInto(value, mem.u8.subarray(ptr, ptr + size)).written;
    return ptr;
  }
  let latin1 = encoding === 'latin1+utf16';
  if (latin1) for (let i = 0; i < n; i++) if (value.charCodeAt(i) > 0xff) { latin1 = false; break; }
  if (latin1) {
    const ptr = allocate(mem, realloc, 0, 0, 2, n);
    const u8 = mem.u8;
    for (let i = 0; i < n; i++) u8[ptr + i] = value.charCodeAt(i);
    out.length = n;
    return ptr;
  }
  if (2 * n > MAX_STRING_BYTES) trap('string is longer than the ABI allows');
  const ptr = allocate(mem, realloc, 0, 0, 2, 2 * n);
  const dv = mem.dv;
  for (let i = 0; i < n; i++) dv.setUint16(ptr + 2 * i, value.charCodeAt(i), true);
  out.length = encoding === 'latin1+utf16' ? (n | 0x80000000) >>> 0 : n;
  return ptr;
}

/** Bytes of `value` in UTF-8, counting a lone surrogate as U+FFFD (as `TextEncoder` writes it). */
export function utf8Length(value: string): number {
  const n = value.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Checks a WIT `char` value: exactly one Unicode scalar value. */
export function isChar(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2) return false;
  const cp = value.codePointAt(0)!;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return value.length === (cp > 0xffff ? 2 : 1);
}

export function liftChar(cp: number): string {
  if (cp >>> 0 >= 0x110000 || (cp >= 0xd800 && cp <= 0xdfff)) trap(`${cp} is not a valid char`);
  return String.fromCodePoint(cp);
}

export function wrongArity(name: string, expected: number, got: number): never {
  throw new PluginHostError('ERR_BAD_ARGUMENT', `${name} takes ${expected} argument(s), got ${got}`);
}

/** jco's rule: an error with a `payload` property carries the `err` value; other Errors are failures. */
export function errorPayload(err: unknown): unknown {
  if (err !== null && typeof err === 'object' && Object.prototype.hasOwnProperty.call(err, 'payload')) return (err as { payload: unknown }).payload;
  if (err instanceof Error) throw err;
  return err;
}

export function asyncHost(name: string): never {
  return trap(`host function ${name} returned a Promise; inline wasm plugins can only call synchronous host functions`);
}

export function badHostResult(name: string, err: unknown): never {
  return trap(`host function ${name} returned a value that does not match its WIT type: ${(err as Error).message}`);
}

/** Ends what a call lent to host code: borrowed wrappers die, lent handles count one lend less. */
export function endLent(lent: readonly unknown[]): void {
  for (const x of lent) {
    if (x instanceof GuestResource) endBorrow(x);
    else (x as Handle).lends!--;
  }
}

const scratches = new WeakSet<object>();

/** A small mutable object generated code writes through (e.g. a string's encoded length). */
export function scratch(): { length: number } {
  const o = { length: 0 };
  scratches.add(o);
  return o;
}

export function isScratch(value: unknown): boolean {
  return typeof value === 'object' && value !== null && scratches.has(value);
}

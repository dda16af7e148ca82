/**
 * The byte-level machinery of the core-module rewrites that run before compiling
 * (`memory-limit.ts`, `fuel.ts`): splitting a module into sections, LEB128 reading and
 * writing, and putting a module back together. Anything this code does not understand
 * throws `Unrecognized`, and the rewrite then leaves the module as it was (or refuses it,
 * when leaving it would be unsound); malformed bytes are the compiler's to report.
 */

/** Thrown for encodings a rewrite does not know; never reaches the library's callers. */
export class Unrecognized extends Error {}

export interface Section { readonly id: number; readonly start: number; readonly end: number; readonly contentStart: number }

/** The sections of a module in order, or throws `Unrecognized` for a section running past the end. */
export function splitSections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8) throw new Unrecognized();
  const sections: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++]!;
    const [size, next] = uleb(bytes, pos);
    if (next + size > bytes.length) throw new Unrecognized();
    sections.push({ id, start, end: next + size, contentStart: next });
    pos = next + size;
  }
  return sections;
}

/** Where a section of `id` goes among the others (the binary format's fixed order). */
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

/**
 * Reassembles a module: `replace` maps a section to its new bytes (a whole section with its
 * header, or `undefined` to leave it out); `added` sections (id and whole bytes) are placed
 * where the binary format's order puts them, before the first later non-custom section.
 */
export function assemble(bytes: Uint8Array, sections: readonly Section[], replace: ReadonlyMap<Section, Uint8Array | undefined>,
  added: readonly { id: number; bytes: Uint8Array }[] = []): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  const pending = [...added].sort((a, b) => ORDER[a.id]! - ORDER[b.id]!);
  for (const s of sections) {
    if (s.id !== 0) {
      while (pending.length > 0 && ORDER[pending[0]!.id]! < (ORDER[s.id] ?? 0)) parts.push(pending.shift()!.bytes);
    }
    if (replace.has(s)) {
      const r = replace.get(s);
      if (r) parts.push(r);
    } else parts.push(bytes.subarray(s.start, s.end));
  }
  for (const p of pending) parts.push(p.bytes);
  return concat(parts);
}

/** A whole section: id, size, content. */
export function section(id: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(id), encodeUleb(content.length), content]);
}

export interface ImportCounts {
  /** Entries in the import section, and where the first starts. */
  readonly count: number;
  readonly entriesStart: number;
  readonly funcs: number;
  readonly globals: number;
  readonly memories: number;
}

/** Counts the import section's entries by kind (parsing every entry). */
export function readImports(bytes: Uint8Array, s: Section): ImportCounts {
  let [count, p] = uleb(bytes, s.contentStart);
  const entriesStart = p;
  let funcs = 0;
  let globals = 0;
  let memories = 0;
  for (let i = 0; i < count; i++) {
    for (let n = 0; n < 2; n++) { let len: number; [len, p] = uleb(bytes, p); p += len; }
    const kind = bytes[p++];
    switch (kind) {
      case 0x00: funcs++; [, p] = uleb(bytes, p); break;
      case 0x01: p = refType(bytes, p); p = limits(bytes, p); break;
      case 0x02: memories++; p = limits(bytes, p); break;
      case 0x03: globals++; p = refType(bytes, p); p++; break;
      case 0x04: p++; [, p] = uleb(bytes, p); break;
      default: throw new Unrecognized();
    }
  }
  if (p !== s.end) throw new Unrecognized();
  return { count, entriesStart, funcs, globals, memories };
}

function limits(bytes: Uint8Array, p: number): number {
  const flags = bytes[p++]!;
  if (flags > 7) throw new Unrecognized();
  [, p] = uleb(bytes, p);
  if (flags & 1) [, p] = uleb(bytes, p);
  return p;
}

/** Steps over a value or reference type (`(ref null? ht)` with its heap type included). */
function refType(bytes: Uint8Array, p: number): number {
  const b = bytes[p++]!;
  if (b === 0x63 || b === 0x64) return skipSleb(bytes, p);
  return p;
}

export function uleb(bytes: Uint8Array, p: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (p >= bytes.length || shift > 35) throw new Unrecognized();
    const b = bytes[p++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [result, p];
  }
}

/** Steps over a signed LEB128 of up to 10 bytes; returns the position after it. */
export function skipSleb(bytes: Uint8Array, p: number): number {
  for (let i = 0; i < 10; i++) {
    if (p >= bytes.length) throw new Unrecognized();
    if (!(bytes[p++]! & 0x80)) return p;
  }
  throw new Unrecognized();
}

/** A signed LEB128 of up to 33 bits (block types, heap types) and the position after it. */
export function sleb33(bytes: Uint8Array, p: number): [number, number] {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    if (p >= bytes.length || shift > 35) throw new Unrecognized();
    b = bytes[p++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  if (b & 0x40) result -= 2 ** shift;
  return [result, p];
}

export function encodeUleb(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** A name as the binary format writes it (length, UTF-8). */
export function encodeName(text: string): Uint8Array {
  const b = new TextEncoder().encode(text);
  return concat([encodeUleb(b.length), b]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

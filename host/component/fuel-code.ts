/**
 * The function-body half of the fuel rewrite (`fuel.ts`): decodes every instruction of a
 * body, renumbers function indices (the `refuel` import shifts the defined functions by one)
 * and branch depths, and inserts the fuel checks.
 *
 * A check subtracts the length of the straight-line run of instructions that follows it
 * from the module's fuel global; below zero, the host's `refuel` is called, which grants
 * more or throws. There is one check at each loop header, and one at the entry of each
 * function that calls any other: every backward jump reaches a loop header, and unbounded
 * recursion goes through functions that call, so a guest cannot run unboundedly without
 * passing checks. A function that calls nothing runs its body at most once per call before
 * returning (or reaches its own loop headers): it needs no entry check, which keeps small
 * leaf functions (getters, allocator fast paths) as cheap as they were.
 *
 * Where a loop takes no parameters, its check does not call `refuel` itself but branches
 * out of the loop to a call placed after it, which then re-enters the loop:
 *
 *     block $exit (type of the loop)          ;; new
 *       loop $retry                            ;; new
 *         block $starved                       ;; new
 *           loop $L (the original loop)
 *             fuel -= n; br_if $starved (fuel < 0)
 *             …the loop's body (branches leaving $L: depth + 3)…
 *           end
 *           br $exit                           ;; the loop's results, if any
 *         end
 *         fuel = refuel(); br $retry
 *       end
 *       unreachable
 *     end
 *
 * Re-entering `$L` from `$retry` is the same as branching to its header (a loop without
 * parameters has no state but locals). The point is speed: V8 compiles a loop whose body
 * holds a call markedly slower (registers are saved around the call even when it never
 * runs). A loop with parameters keeps its check, call included, at its header.
 *
 * Anything not understood (an unknown opcode, GC instructions) throws `Unrecognized`.
 */
import { sleb33, skipSleb, uleb, Unrecognized } from './wasm-sections.js';

export interface BodyContext {
  /** Function indices from this one on are defined functions (shifted by one). */
  readonly importedFuncs: number;
  /** The function index of the `refuel` import. */
  readonly refuel: number;
  /** The global index of the fuel counter. */
  readonly fuel: number;
  /** The number of parameters of function type `index`, or undefined when it is not known. */
  paramsOf(index: number): number | undefined;
}

/** A growable byte buffer. */
export class Out {
  bytes = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  u32(n: number): void {
    this.room(5);
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.bytes[this.length++] = b;
    } while (n !== 0);
  }

  put(b: Uint8Array): void {
    this.room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** `from[start, end)`: a loop for the few bytes of one instruction (no subarray object). */
  copy(from: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    for (let i = start; i < end; i++) this.bytes[this.length++] = from[i]!;
  }

  /** An i32.const whose value is written later (`patch`): five bytes, a padded LEB128. */
  constPlaceholder(): number {
    this.byte(0x41);
    const at = this.length;
    this.put(PADDED_ZERO);
    return at;
  }

  patch(at: number, value: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = ((value >>> (7 * i)) & 0x7f) | 0x80;
    this.bytes[at + 4] = (value >>> 28) & 0x07;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** What was written so far, without a copy (valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const PADDED_ZERO = Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x00);
/** Fuel each `refuel` grants: about a millisecond of a tight loop (a module starts with none). */
export const FUEL_GRANT = 1 << 20;
/**
 * The most one check charges (a longer straight run is charged this much). Below the grant:
 * after a refuel the check that asked for it passes, or a wrapped loop would never start.
 */
const MAX_COST = FUEL_GRANT >> 4;
/** The labels a wrapped loop adds around itself ($exit, $retry, $starved). */
const WRAPPERS = 3;

/** Instructions that end a straight-line run (control flow of any kind, calls included). */
const CONTROL = new Uint8Array(256);
for (const op of [0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x18, 0x19, 0x1f, 0xd5, 0xd6]) CONTROL[op] = 1;

/**
 * Rewrites one function body (`bytes[start, end)`, locals included) of a function with
 * `params` parameters into `out`, which it empties first (one buffer serves every body).
 */
export function instrumentBody(bytes: Uint8Array, start: number, end: number, params: number, ctx: BodyContext, out: Out): void {
  out.length = 0;
  let p = start;
  let groups: number;
  [groups, p] = uleb(bytes, p);
  const localsStart = p;
  let locals = params;
  for (let i = 0; i < groups; i++) {
    let n: number;
    [n, p] = uleb(bytes, p);
    locals += n;
    p = valType(bytes, p);
  }
  if (locals >= 50_000) throw new Unrecognized(); // the engine's limit; one more would not compile
  const scratch = locals;
  out.u32(groups + 1);
  out.put(bytes.subarray(localsStart, p));
  out.byte(0x01);
  out.byte(0x7f);

  // wrapped[i]: how many of the open frames 0..i are wrapped loops.
  const wrapped: number[] = [0];
  let cost = -1;
  let costAt = 0;
  const endRun = () => {
    if (cost >= 0) out.patch(costAt, Math.min(cost + 1, MAX_COST));
    cost = -1;
  };
  const subtract = () => {
    out.byte(0x23); out.u32(ctx.fuel);
    costAt = out.constPlaceholder();
    cost = 0;
    out.byte(0x6b);
    out.byte(0x22); out.u32(scratch);
    out.byte(0x24); out.u32(ctx.fuel);
    out.byte(0x20); out.u32(scratch);
    out.byte(0x41); out.byte(0x00);
    out.byte(0x48);
  };
  const refuelHere = () => {
    subtract();
    out.byte(0x04); out.byte(0x40);
    out.byte(0x10); out.u32(ctx.refuel);
    out.byte(0x24); out.u32(ctx.fuel);
    out.byte(0x0b);
  };
  /** A branch depth in the rewritten code, for depth `d` from the current frame. */
  const depth = (d: number): number => {
    const top = wrapped.length - 1;
    const target = top - d;
    if (target < 0) throw new Unrecognized();
    return d + WRAPPERS * (wrapped[top]! - wrapped[target]!);
  };
  const label = (op: number) => {
    let d: number;
    [d, p] = uleb(bytes, p);
    out.byte(op);
    out.u32(depth(d));
  };
  const func = (op: number) => {
    let f: number;
    [f, p] = uleb(bytes, p);
    out.byte(op);
    out.u32(f >= ctx.importedFuncs ? f + 1 : f);
  };
  // Per open frame: whether it is a wrapped loop (its `end` closes the wrappers too).
  const isWrapped: boolean[] = [false];
  const push = (w: boolean) => {
    isWrapped.push(w);
    wrapped.push(wrapped[wrapped.length - 1]! + (w ? 1 : 0));
  };
  const pop = () => {
    isWrapped.pop();
    wrapped.pop();
  };

  const entryStart = out.length;
  refuelHere();
  const entryEnd = out.length;
  let calls = false;
  while (isWrapped.length > 0) {
    if (p >= end) throw new Unrecognized();
    const at = p;
    const op = bytes[p++]!;
    if (op >= 0x10 && op <= 0x15) calls = true;
    if (cost >= 0) {
      if (CONTROL[op]) endRun();
      else cost++;
    }
    switch (op) {
      case 0x02: case 0x04: case 0x06: // block, if, try
        p = blockType(bytes, p);
        out.put(bytes.subarray(at, p));
        push(false);
        break;
      case 0x03: { // loop
        const btStart = p;
        p = blockType(bytes, p);
        const bt = bytes.subarray(btStart, p);
        const wrap = loopParams(bt, ctx) === 0;
        if (wrap) {
          out.byte(0x02); out.put(bt);
          out.byte(0x03); out.byte(0x40);
          out.byte(0x02); out.byte(0x40);
          out.byte(0x03); out.put(bt);
          subtract();
          out.byte(0x0d); out.byte(0x01);
        } else {
          out.byte(0x03); out.put(bt);
          refuelHere();
        }
        push(wrap);
        break;
      }
      case 0x0b: { // end
        const w = isWrapped[isWrapped.length - 1]!;
        pop();
        out.byte(0x0b);
        if (w) {
          out.byte(0x0c); out.byte(0x02); // br $exit
          out.byte(0x0b); // end $starved
          out.byte(0x10); out.u32(ctx.refuel);
          out.byte(0x24); out.u32(ctx.fuel);
          out.byte(0x0c); out.byte(0x00); // br $retry
          out.byte(0x0b); // end $retry
          out.byte(0x00); // unreachable: $retry never falls through
          out.byte(0x0b); // end $exit
        }
        break;
      }
      case 0x18: { // delegate: ends the try; its label counts from outside it
        pop();
        label(0x18);
        break;
      }
      case 0x0c: case 0x0d: case 0x09: case 0xd5: case 0xd6: // br, br_if, rethrow, br_on_null, br_on_non_null
        label(op);
        break;
      case 0x0e: { // br_table
        let n: number;
        [n, p] = uleb(bytes, p);
        out.byte(0x0e);
        out.u32(n);
        for (let i = 0; i <= n; i++) {
          let d: number;
          [d, p] = uleb(bytes, p);
          out.u32(depth(d));
        }
        break;
      }
      case 0x1f: { // try_table: its catch labels count from outside it
        p = blockType(bytes, p);
        out.put(bytes.subarray(at, p));
        let n: number;
        [n, p] = uleb(bytes, p);
        out.u32(n);
        for (let i = 0; i < n; i++) {
          const kind = bytes[p++];
          out.byte(kind!);
          if (kind === 0x00 || kind === 0x01) {
            const tagStart = p;
            [, p] = uleb(bytes, p);
            out.put(bytes.subarray(tagStart, p));
          } else if (kind !== 0x02 && kind !== 0x03) throw new Unrecognized();
          let d: number;
          [d, p] = uleb(bytes, p);
          out.u32(depth(d));
        }
        push(false);
        break;
      }
      case 0x10: case 0x12: case 0xd2: // call, return_call, ref.func
        func(op);
        break;
      default:
        p = skipImmediates(bytes, op, p);
        out.copy(bytes, at, p);
    }
  }
  endRun();
  if (p !== end) throw new Unrecognized();
  if (calls) return;
  // No call: the entry check goes (every patch is written; nothing points past it).
  out.bytes.copyWithin(entryStart, entryEnd, out.length);
  out.length -= entryEnd - entryStart;
}

/** The parameter count of a loop's block type (0 for the short forms), undefined when unknown. */
function loopParams(bt: Uint8Array, ctx: BodyContext): number | undefined {
  const b = bt[0]!;
  if (b === 0x40 || b === 0x63 || b === 0x64) return 0;
  const [v] = sleb33(bt, 0);
  if (v < 0) return 0;
  return ctx.paramsOf(v);
}

/** Steps over a block type: empty, a value type, or a type index. */
export function blockType(bytes: Uint8Array, p: number): number {
  const b = bytes[p];
  if (b === 0x63 || b === 0x64) return sleb33(bytes, p + 1)[1];
  return sleb33(bytes, p)[1];
}

/** Steps over a value type (reference types with a heap type included). */
export function valType(bytes: Uint8Array, p: number): number {
  const b = bytes[p++];
  if (b === undefined) throw new Unrecognized();
  if (b === 0x63 || b === 0x64) return sleb33(bytes, p)[1];
  return p;
}

function memarg(bytes: Uint8Array, p: number): number {
  const align = bytes[p];
  p = skipU32(bytes, p);
  if (align !== undefined && align & 0x40) p = skipU32(bytes, p);
  return skipU32(bytes, p);
}

/** Steps over `n` unsigned LEB128 numbers (at most 5 bytes each). */
function skipU32(bytes: Uint8Array, p: number, n = 1): number {
  for (let i = 0; i < n; i++) {
    const start = p;
    while (p < bytes.length && bytes[p]! & 0x80) p++;
    if (p >= bytes.length || p - start > 4) throw new Unrecognized();
    p++;
  }
  return p;
}

/** Steps over the immediates of an instruction without labels or function indices. */
function skipImmediates(bytes: Uint8Array, op: number, p: number): number {
  if (op >= 0x45 && op <= 0xc4) return p; // numeric
  if (op >= 0x28 && op <= 0x3e) return memarg(bytes, p);
  switch (op) {
    case 0x00: case 0x01: case 0x05: case 0x0a: case 0x0f: case 0x19: case 0x1a: case 0x1b: case 0xd1: case 0xd3: case 0xd4:
      return p;
    case 0x07: case 0x08: case 0x14: case 0x15: // catch, throw (tag); call_ref, return_call_ref (type)
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x3f: case 0x40:
      return skipU32(bytes, p);
    case 0x11: case 0x13: return skipU32(bytes, p, 2); // call_indirect: type, table
    case 0x1c: { // select with types
      let n: number;
      [n, p] = uleb(bytes, p);
      for (let i = 0; i < n; i++) p = valType(bytes, p);
      return p;
    }
    case 0x41: case 0x42: return skipSleb(bytes, p);
    case 0x43: return p + 4;
    case 0x44: return p + 8;
    case 0xd0: return blockType(bytes, p); // ref.null heap type: same encoding as a type index
    case 0xfc: return prefixedFC(bytes, p);
    case 0xfd: return prefixedFD(bytes, p);
    case 0xfe: return prefixedFE(bytes, p);
    default: throw new Unrecognized();
  }
}

function prefixedFC(bytes: Uint8Array, p: number): number {
  let sub: number;
  [sub, p] = uleb(bytes, p);
  if (sub <= 7) return p; // saturating truncations
  switch (sub) {
    case 8: case 10: case 12: case 14: return skipU32(bytes, p, 2); // memory.init, memory.copy, table.init, table.copy
    case 9: case 11: case 13: case 15: case 16: case 17: return skipU32(bytes, p); // data.drop, memory.fill, elem.drop, table.grow/size/fill
    default: throw new Unrecognized();
  }
}

function prefixedFD(bytes: Uint8Array, p: number): number {
  let sub: number;
  [sub, p] = uleb(bytes, p);
  if (sub <= 11 || sub === 92 || sub === 93) return memarg(bytes, p);
  if (sub === 12 || sub === 13) return p + 16; // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return p + 1; // lane accesses
  if (sub >= 84 && sub <= 91) return memarg(bytes, p) + 1; // load/store lane
  if (sub <= 0x113) return p;
  throw new Unrecognized();
}

function prefixedFE(bytes: Uint8Array, p: number): number {
  let sub: number;
  [sub, p] = uleb(bytes, p);
  if (sub === 0x03) return p + 1; // atomic.fence
  if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) return memarg(bytes, p);
  throw new Unrecognized();
}

/** Rewrites a constant expression (global initializers, element items): only `ref.func` changes. */
export function instrumentConstExpr(bytes: Uint8Array, p: number, importedFuncs: number, out: Out): number {
  for (;;) {
    const at = p;
    const op = bytes[p++];
    switch (op) {
      case 0x0b: out.byte(0x0b); return p;
      case 0xd2: {
        let f: number;
        [f, p] = uleb(bytes, p);
        out.byte(0xd2);
        out.u32(f >= importedFuncs ? f + 1 : f);
        continue;
      }
      case 0x41: case 0x42: p = skipSleb(bytes, p); break;
      case 0x43: p += 4; break;
      case 0x44: p += 8; break;
      case 0x23: [, p] = uleb(bytes, p); break;
      case 0xd0: p = blockType(bytes, p); break;
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break;
      case 0xfd: {
        let sub: number;
        [sub, p] = uleb(bytes, p);
        if (sub !== 12) throw new Unrecognized();
        p += 16;
        break;
      }
      default: throw new Unrecognized();
    }
    if (p > bytes.length) throw new Unrecognized();
    out.put(bytes.subarray(at, p));
  }
}

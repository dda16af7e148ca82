/**
 * Generates JavaScript that validates, lowers and lifts values of one WIT type under the
 * Canonical ABI, with jco's JS value mapping. Each method appends statements to the
 * emitter and returns expressions; generated code never interprets types at run time.
 *
 * JS mapping: integers as numbers (64-bit as bigint), `char` as a one-code-point string,
 * numeric lists as typed arrays (plain arrays also accepted), records as objects with
 * camelCase keys, tuples as arrays, variants as `{ tag, val }`, enums as strings, flags as
 * objects of booleans, `option<T>` as `T | undefined` (tagged when `T` is nullable itself),
 * results as `{ tag: 'ok' | 'err', val }`, resources as objects.
 */
import {
  alignOf, despecialize, flatten, flattenVariant, recordLayout, sizeOf, variantLayout, type CoreType,
} from '../../../common/abi/layout.js';
import type { ListType, Type } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import type { RuntimeResource } from '../runtime/resources.js';
import { Emitter, prop, str } from './emitter.js';
import type { HandleOps } from './handle-ops.js';
import {
  allocate, badArgument, f32ToI32, f64ToI64, i32ToF32, i64ToF64, isChar, liftChar, loadString, MAX_STRING_BYTES, MemoryView, scratch,
  storeString, trap, type Realloc,
} from './runtime.js';

export interface ValueOptions {
  readonly memory?: MemoryView;
  readonly realloc?: Realloc;
  readonly encoding: 'utf8' | 'utf16' | 'latin1+utf16';
  readonly ops: HandleOps;
}

const INT_RANGES: Record<string, [number, number]> = {
  s8: [-128, 127], u8: [0, 255], s16: [-32768, 32767], u16: [0, 65535], s32: [-2147483648, 2147483647], u32: [0, 4294967295],
};

const TYPED_ARRAYS: Record<string, string> = {
  u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array', s32: 'Int32Array',
  u64: 'BigUint64Array', s64: 'BigInt64Array', f32: 'Float32Array', f64: 'Float64Array',
};

const DATAVIEW: Record<string, [get: string, set: string, size: number]> = {
  bool: ['getUint8', 'setUint8', 1], u8: ['getUint8', 'setUint8', 1], s8: ['getInt8', 'setInt8', 1],
  u16: ['getUint16', 'setUint16', 2], s16: ['getInt16', 'setInt16', 2], u32: ['getUint32', 'setUint32', 4],
  s32: ['getInt32', 'setInt32', 4], u64: ['getBigUint64', 'setBigUint64', 8], s64: ['getBigInt64', 'setBigInt64', 8],
  f32: ['getFloat32', 'setFloat32', 4], f64: ['getFloat64', 'setFloat64', 8], char: ['getUint32', 'setUint32', 4],
};

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('plugin-actors needs a little-endian host');

/** The JS typed array class for a list's element type, if jco maps it to one. */
export function typedArrayName(list: ListType): string | undefined {
  return TYPED_ARRAYS[unalias(list.element).kind];
}

/** True when `option<T>`'s payload `T` can itself be null/undefined (then the option is tagged). */
export function isNullable(type: Type): boolean {
  const t = unalias(type);
  return t.kind === 'option' && !isNullable(t.some);
}

function zero(core: CoreType): string {
  return core === 'i64' ? '0n' : '0';
}

/** An iterator over flat core values with their core types. */
export interface FlatSource { next(want: CoreType): string }

export class ValueCodegen {
  /** Borrowed wrappers handed to host code; ended when the call returns. */
  lentName?: string;
  /** Scope counting borrows lent to the guest during the call. */
  scopeName?: string;

  constructor(readonly e: Emitter, readonly opts: ValueOptions) {}

  private get mem(): string {
    if (!this.opts.memory) throw new Error('internal: canonical option `memory` is required for this type');
    return this.e.helper(this.opts.memory, 'mem');
  }

  private get realloc(): string {
    if (!this.opts.realloc) throw new Error('internal: canonical option `realloc` is required for this type');
    return this.e.helper(this.opts.realloc, 'realloc');
  }

  private bad(path: string, expected: string, value: string): string {
    return `${this.e.helper(badArgument, 'badArgument')}(${str(path)}, ${str(expected)}, ${value})`;
  }

  // ---------------------------------------------------------------- validation

  /** Emits checks that throw ERR_BAD_ARGUMENT unless `v` is a valid JS value of `type`. */
  validate(type: Type, v: string, path: string): void {
    const e = this.e;
    const t = unalias(type);
    switch (t.kind) {
      case 'bool':
        e.line(`if (typeof ${v} !== 'boolean') ${this.bad(path, 'a boolean', v)};`);
        return;
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': {
        const [lo, hi] = INT_RANGES[t.kind]!;
        e.line(`if (!Number.isInteger(${v}) || ${v} < ${lo} || ${v} > ${hi}) ${this.bad(path, `an integer in ${t.kind} range [${lo}, ${hi}]`, v)};`);
        return;
      }
      case 's64':
        e.line(`if (typeof ${v} !== 'bigint' || ${v} < -9223372036854775808n || ${v} > 9223372036854775807n) ${this.bad(path, 'a bigint in s64 range', v)};`);
        return;
      case 'u64':
        e.line(`if (typeof ${v} !== 'bigint' || ${v} < 0n || ${v} > 18446744073709551615n) ${this.bad(path, 'a bigint in u64 range', v)};`);
        return;
      case 'f32': case 'f64':
        e.line(`if (typeof ${v} !== 'number') ${this.bad(path, 'a number', v)};`);
        return;
      case 'char':
        e.line(`if (!${e.helper(isChar, 'isChar')}(${v})) ${this.bad(path, 'a string of one Unicode scalar value (char)', v)};`);
        return;
      case 'string':
        e.line(`if (typeof ${v} !== 'string') ${this.bad(path, 'a string', v)};`);
        return;
      case 'list': {
        const typed = typedArrayName(t);
        const lengthCheck = t.length === undefined ? '' : ` || ${v}.length !== ${t.length}`;
        const expected = `${typed ? `a ${typed} or ` : ''}an array${t.length === undefined ? '' : ` of length ${t.length}`}`;
        if (typed) {
          e.line(`if (!(${v} instanceof ${typed} || Array.isArray(${v}))${lengthCheck}) ${this.bad(path, expected, v)};`);
          e.block(`if (!(${v} instanceof ${typed}))`, () => this.validateElements(t, v, path));
        } else {
          e.line(`if (!Array.isArray(${v})${lengthCheck}) ${this.bad(path, expected, v)};`);
          this.validateElements(t, v, path);
        }
        return;
      }
      case 'record':
        e.line(`if (typeof ${v} !== 'object' || ${v} === null) ${this.bad(path, `a ${t.name || 'record'} object`, v)};`);
        for (const f of t.fields) {
          const key = camelCase(f.name);
          const fv = e.tmp('f');
          e.line(`const ${fv} = ${prop(v, key)};`);
          this.validate(f.type, fv, `${path}.${key}`);
        }
        return;
      case 'tuple':
        e.line(`if (!Array.isArray(${v}) || ${v}.length !== ${t.types.length}) ${this.bad(path, `an array of ${t.types.length} elements (tuple)`, v)};`);
        t.types.forEach((ty, i) => this.validate(ty, `${v}[${i}]`, `${path}[${i}]`));
        return;
      case 'flags':
        e.line(`if (typeof ${v} !== 'object' || ${v} === null) ${this.bad(path, 'an object of booleans (flags)', v)};`);
        return;
      case 'enum':
        e.line(`switch (${v}) { ${t.cases.map((c) => `case ${str(c.name)}: `).join('')}break; default: ${this.bad(path, `one of ${t.cases.map((c) => c.name).join(', ')}`, v)}; }`);
        return;
      case 'option':
        if (isNullable(t.some)) {
          this.validateTagged(v, path, [{ name: 'none' }, { name: 'some', type: t.some }], 'an option object { tag: "none" | "some", val }');
        } else {
          e.block(`if (${v} !== undefined && ${v} !== null)`, () => this.validate(t.some, v, path));
        }
        return;
      case 'result':
        this.validateTagged(v, path, [{ name: 'ok', type: t.ok }, { name: 'err', type: t.err }], 'a result object { tag: "ok" | "err", val }');
        return;
      case 'variant':
        this.validateTagged(v, path, t.cases, `a ${t.name || 'variant'} object { tag, val }`);
        return;
      case 'own': case 'borrow': {
        const rt = unalias(t.resource) as RuntimeResource;
        e.line(`${e.helper(this.opts.ops, 'ops')}.check(${e.helper(rt, 'rt')}, ${v}, ${str(path)});`);
        return;
      }
      default:
        throw unsupported(t.kind);
    }
  }

  private validateElements(t: ListType, v: string, path: string): void {
    const i = this.e.tmp('i');
    this.e.block(`for (let ${i} = 0; ${i} < ${v}.length; ${i}++)`, () => {
      const x = this.e.tmp('x');
      this.e.line(`const ${x} = ${v}[${i}];`);
      this.validate(t.element, x, `${path}[]`);
    });
  }

  private validateTagged(v: string, path: string, cases: readonly { name: string; type?: Type }[], expected: string): void {
    const e = this.e;
    e.line(`if (typeof ${v} !== 'object' || ${v} === null) ${this.bad(path, expected, v)};`);
    e.block(`switch (${v}.tag)`, () => {
      for (const c of cases) {
        e.block(`case ${str(c.name)}:`, () => {
          if (c.type) this.validate(c.type, `${v}.val`, `${path}.val`);
          e.line('break;');
        });
      }
      e.line(`default: ${this.bad(`${path}.tag`, `one of ${cases.map((c) => c.name).join(', ')}`, `${v}.tag`)};`);
    });
  }

  // ---------------------------------------------------------------- lowering (host → guest)

  /** Lowers a validated value to flat core values; returns one expression per core value. */
  lowerFlat(type: Type, v: string, path: string): string[] {
    const t = unalias(type);
    switch (t.kind) {
      case 'bool': return [`(${v} ? 1 : 0)`];
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 'f32': case 'f64':
        return [v];
      case 's64': case 'u64': return [v];
      case 'char': return [`${v}.codePointAt(0)`];
      case 'list':
        // A fixed-length list travels like a tuple of its elements (CanonicalABI.md `flatten_list`).
        if (t.length !== undefined) return Array.from({ length: t.length }, (_, i) => this.lowerFlat(t.element, `${v}[${i}]`, `${path}[${i}]`)).flat();
        return this.lowerBlockFlat(t, v, path);
      case 'string': return this.lowerBlockFlat(t, v, path);
      case 'flags': return this.flagWords(t.flags.map((f) => f.name), v);
      case 'own': case 'borrow': return [this.lowerHandle(t.kind, unalias(t.resource) as RuntimeResource, v, path)];
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const isTuple = t.kind === 'tuple';
          return d.fields.flatMap((f, i) => this.lowerFlat(f.type, isTuple ? `${v}[${i}]` : prop(v, camelCase(f.name)), `${path}.${f.name}`));
        }
        if (d.kind === 'variant') return this.lowerVariantFlat(t, v, path);
        throw unsupported(t.kind);
      }
    }
  }

  private lowerBlockFlat(t: Type, v: string, path: string): string[] {
    const ptr = this.e.tmp('p');
    const len = this.e.tmp('n');
    this.lowerToMemoryBlock(t, v, path, ptr, len);
    return [ptr, len];
  }

  /** Copies a string or list into guest memory; sets `ptr` and `len` variables. */
  private lowerToMemoryBlock(type: Type, v: string, path: string, ptr: string, len: string): void {
    const e = this.e;
    const t = unalias(type);
    if (t.kind === 'string') {
      const out = e.helper(scratch(), 'strLen');
      e.line(`const ${ptr} = ${e.helper(storeString, 'storeString')}(${this.mem}, ${this.realloc}, ${v}, ${str(this.opts.encoding)}, ${out});`);
      e.line(`const ${len} = ${out}.length;`);
      return;
    }
    if (t.kind !== 'list') throw new Error('internal: not a string or list');
    const size = sizeOf(t.element);
    const align = alignOf(t.element);
    const typed = typedArrayName(t);
    e.line(`const ${len} = ${v}.length;`);
    e.line(`if (${len} * ${size} > ${MAX_STRING_BYTES}) ${e.helper(trap, 'trap')}(${str(`${path}: list is longer than the ABI allows`)});`);
    // Empty lists are allocated too: the pointer realloc gives must be valid (and aligned).
    e.line(`const ${ptr} = ${e.helper(allocate, 'allocate')}(${this.mem}, ${this.realloc}, 0, 0, ${align}, ${len} * ${size});`);
    if (typed) {
      e.block(`if (${v} instanceof ${typed})`, () => {
        e.line(`${this.mem}.u8.set(new Uint8Array(${v}.buffer, ${v}.byteOffset, ${v}.byteLength), ${ptr});`);
      }, '} else {');
      this.storeElements(t, v, path, ptr, len, size);
      e.line('}');
    } else {
      this.storeElements(t, v, path, ptr, len, size);
    }
  }

  /** A fixed-length list is stored in place, element after element. */
  private storeFixed(t: ListType, length: number, v: string, base: string, offset: number, path: string): void {
    const size = sizeOf(t.element);
    const i = this.e.tmp('i');
    const at = this.e.tmp('q');
    this.e.block(`for (let ${i} = 0; ${i} < ${length}; ${i}++)`, () => {
      this.e.line(`const ${at} = ${base} + ${offset} + ${i} * ${size};`);
      this.store(t.element, `${v}[${i}]`, at, 0, `${path}[]`);
    });
  }

  private storeElements(t: ListType, v: string, path: string, ptr: string, len: string, size: number): void {
    const i = this.e.tmp('i');
    this.e.block(`for (let ${i} = 0; ${i} < ${len}; ${i}++)`, () => {
      this.store(t.element, `${v}[${i}]`, `${ptr} + ${i} * ${size}`, 0, `${path}[]`);
    });
  }

  private flagWords(names: string[], v: string): string[] {
    const words = Math.max(1, Math.ceil(names.length / 32));
    const out: string[] = [];
    for (let w = 0; w < words; w++) {
      const bits = names.slice(w * 32, w * 32 + 32).map((n, i) => `(${prop(v, camelCase(n))} ? ${i === 31 ? '0x80000000' : 1 << i} : 0)`);
      out.push(`((${bits.join(' | ') || '0'}) | 0)`);
    }
    return out;
  }

  private lowerHandle(kind: 'own' | 'borrow', rt: RuntimeResource, v: string, path: string): string {
    const e = this.e;
    const h = e.tmp('h');
    const ops = e.helper(this.opts.ops, 'ops');
    if (kind === 'own') e.line(`const ${h} = ${ops}.lowerOwn(${e.helper(rt, 'rt')}, ${v}, ${str(path)});`);
    else {
      if (!this.scopeName && rt.impl !== this.opts.ops.inst) throw new Error('internal: borrow lowered outside a call scope');
      e.line(`const ${h} = ${ops}.lowerBorrow(${e.helper(rt, 'rt')}, ${v}, ${str(path)}, ${this.scopeName ?? 'undefined'});`);
    }
    return h;
  }

  private lowerVariantFlat(t: Type, v: string, path: string): string[] {
    const e = this.e;
    const cases = variantCases(t);
    const flat = flattenVariant(cases.map((c) => c.wit));
    const vars = flat.map((core) => {
      const name = e.tmp('v');
      e.line(`let ${name} = ${zero(core)};`);
      return name;
    });
    e.block(`switch (${cases[0]!.test(v).switchOn})`, () => {
      cases.forEach((c, index) => {
        e.block(`case ${c.test(v).label}:`, () => {
          e.line(`${vars[0]} = ${index};`);
          if (c.wit.type) {
            const payload = this.lowerFlat(c.wit.type, c.payload(v), `${path}.${c.wit.name}`);
            const own = flatten(c.wit.type);
            payload.forEach((p, i) => {
              e.line(`${vars[i + 1]} = ${coerceLower(own[i]!, flat[i + 1]!, p, e)};`);
            });
          }
          e.line('break;');
        }, '}');
      });
    });
    return vars;
  }

  /** Stores a validated value at `base + offset` in guest memory. */
  store(type: Type, v: string, base: string, offset: number, path: string): void {
    const e = this.e;
    const t = unalias(type);
    const at = offset === 0 ? base : `${base} + ${offset}`;
    const dv = `${this.mem}.dv`;
    switch (t.kind) {
      case 'bool': e.line(`${dv}.setUint8(${at}, ${v} ? 1 : 0);`); return;
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64': case 'f32': case 'f64':
        e.line(`${dv}.${DATAVIEW[t.kind]![1]}(${at}, ${v}, true);`);
        return;
      case 'char': e.line(`${dv}.setUint32(${at}, ${v}.codePointAt(0), true);`); return;
      case 'string': case 'list': {
        if (t.kind === 'list' && t.length !== undefined) {
          this.storeFixed(t, t.length, v, base, offset, path);
          return;
        }
        const ptr = e.tmp('p');
        const len = e.tmp('n');
        this.lowerToMemoryBlock(t, v, path, ptr, len);
        e.line(`${this.mem}.dv.setUint32(${at}, ${ptr}, true);`);
        e.line(`${this.mem}.dv.setUint32(${at} + 4, ${len}, true);`);
        return;
      }
      case 'flags': {
        const words = this.flagWords(t.flags.map((f) => f.name), v);
        const n = t.flags.length;
        if (n <= 8) e.line(`${dv}.setUint8(${at}, ${words[0]});`);
        else if (n <= 16) e.line(`${dv}.setUint16(${at}, ${words[0]}, true);`);
        else words.forEach((w, i) => e.line(`${dv}.setInt32(${at} + ${4 * i}, ${w}, true);`));
        return;
      }
      case 'own': case 'borrow': {
        const h = this.lowerHandle(t.kind, unalias(t.resource) as RuntimeResource, v, path);
        e.line(`${dv}.setUint32(${at}, ${h}, true);`);
        return;
      }
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const layout = recordLayout(d.fields);
          const isTuple = t.kind === 'tuple';
          d.fields.forEach((f, i) => {
            const fv = isTuple ? `${v}[${i}]` : prop(v, camelCase(f.name));
            this.store(f.type, fv, base, offset + layout.offsets[i]!, `${path}.${f.name}`);
          });
          return;
        }
        if (d.kind === 'variant') {
          const cases = variantCases(t);
          const layout = variantLayout(cases.map((c) => c.wit));
          const set = layout.discriminantSize === 1 ? 'setUint8' : layout.discriminantSize === 2 ? 'setUint16' : 'setUint32';
          e.block(`switch (${cases[0]!.test(v).switchOn})`, () => {
            cases.forEach((c, index) => {
              e.block(`case ${c.test(v).label}:`, () => {
                e.line(`${this.mem}.dv.${set}(${at}, ${index}, true);`);
                if (c.wit.type) this.store(c.wit.type, c.payload(v), base, offset + layout.payloadOffset, `${path}.${c.wit.name}`);
                e.line('break;');
              }, '}');
            });
          });
          return;
        }
        throw unsupported(t.kind);
      }
    }
  }

  // ---------------------------------------------------------------- lifting (guest → host)

  /** Lifts a value from flat core values; returns an expression (a variable or a pure expression). */
  liftFlat(type: Type, src: FlatSource): string {
    const e = this.e;
    const t = unalias(type);
    switch (t.kind) {
      case 'bool': return `(${src.next('i32')} !== 0)`;
      case 'u8': return `(${src.next('i32')} & 0xff)`;
      case 's8': return `(${src.next('i32')} << 24 >> 24)`;
      case 'u16': return `(${src.next('i32')} & 0xffff)`;
      case 's16': return `(${src.next('i32')} << 16 >> 16)`;
      case 'u32': return `(${src.next('i32')} >>> 0)`;
      case 's32': return `(${src.next('i32')} | 0)`;
      case 'u64': return `BigInt.asUintN(64, ${src.next('i64')})`;
      case 's64': return `BigInt.asIntN(64, ${src.next('i64')})`;
      case 'f32': return src.next('f32');
      case 'f64': return src.next('f64');
      case 'char': return `${e.helper(liftChar, 'liftChar')}(${src.next('i32')})`;
      case 'string': case 'list': {
        if (t.kind === 'list' && t.length !== undefined) {
          // A fixed-length list arrives as its elements, like a tuple.
          const items = Array.from({ length: t.length }, () => {
            const x = e.tmp('r');
            e.line(`const ${x} = ${this.liftFlat(t.element, src)};`);
            return x;
          });
          const typed = typedArrayName(t);
          return typed ? `${typed}.of(${items.join(', ')})` : `[${items.join(', ')}]`;
        }
        const ptr = e.tmp('p');
        const len = e.tmp('n');
        e.line(`const ${ptr} = ${src.next('i32')} >>> 0;`);
        e.line(`const ${len} = ${src.next('i32')} >>> 0;`);
        return this.liftFromBlock(t, ptr, len);
      }
      case 'flags': {
        const words = Array.from({ length: Math.max(1, Math.ceil(t.flags.length / 32)) }, () => {
          const w = e.tmp('w');
          e.line(`const ${w} = ${src.next('i32')};`);
          return w;
        });
        return this.flagsObject(t.flags.map((f) => f.name), words);
      }
      case 'own': case 'borrow':
        return this.liftHandle(t.kind, unalias(t.resource) as RuntimeResource, src.next('i32'));
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const values = d.fields.map((f) => {
            const x = e.tmp('r');
            e.line(`const ${x} = ${this.liftFlat(f.type, src)};`);
            return x;
          });
          return t.kind === 'tuple' ? `[${values.join(', ')}]` : `{ ${d.fields.map((f, i) => `${str(camelCase(f.name))}: ${values[i]}`).join(', ')} }`;
        }
        if (d.kind === 'variant') return this.liftVariantFlat(t, src);
        throw unsupported(t.kind);
      }
    }
  }

  private liftHandle(kind: 'own' | 'borrow', rt: RuntimeResource, index: string): string {
    const e = this.e;
    const x = e.tmp('res');
    const ops = e.helper(this.opts.ops, 'ops');
    if (kind === 'own') e.line(`const ${x} = ${ops}.liftOwn(${e.helper(rt, 'rt')}, ${index});`);
    else {
      if (!this.lentName) throw new Error('internal: borrow lifted outside a call');
      e.line(`const ${x} = ${ops}.liftBorrow(${e.helper(rt, 'rt')}, ${index}, ${this.lentName});`);
    }
    return x;
  }

  private flagsObject(names: string[], words: string[]): string {
    return `{ ${names.map((n, i) => `${str(camelCase(n))}: (${words[i >> 5]} & ${i % 32 === 31 ? '0x80000000' : 1 << (i % 32)}) !== 0`).join(', ')} }`;
  }

  private liftVariantFlat(t: Type, src: FlatSource): string {
    const e = this.e;
    const cases = variantCases(t);
    const flat = flattenVariant(cases.map((c) => c.wit));
    const slots = flat.map((core) => {
      const name = e.tmp('s');
      e.line(`const ${name} = ${src.next(core)};`);
      return name;
    });
    const out = e.tmp('var');
    e.line(`let ${out};`);
    e.block(`switch (${slots[0]})`, () => {
      cases.forEach((c, index) => {
        e.block(`case ${index}:`, () => {
          let i = 1;
          const inner: FlatSource = {
            next: (want) => coerceLift(flat[i]!, want, slots[i++]!, e),
          };
          const payload = c.wit.type ? this.liftFlat(c.wit.type, inner) : undefined;
          e.line(`${out} = ${c.build(payload)};`);
          e.line('break;');
        }, '}');
      });
      e.line(`default: ${e.helper(trap, 'trap')}(${str(`invalid discriminant for ${describeType(t)}`)} + ' ' + ${slots[0]});`);
    });
    return out;
  }

  /** Lifts a string or list whose pointer and length are in variables. */
  private liftFromBlock(type: Type, ptr: string, len: string): string {
    const e = this.e;
    const t = unalias(type);
    if (t.kind === 'string') {
      return `${e.helper(loadString, 'loadString')}(${this.mem}, ${ptr}, ${len}, ${str(this.opts.encoding)})`;
    }
    if (t.kind !== 'list') throw new Error('internal: not a string or list');
    const size = sizeOf(t.element);
    const align = alignOf(t.element);
    const typed = typedArrayName(t);
    const out = e.tmp('list');
    e.line(`if (${len} * ${size} > 268435455) ${e.helper(trap, 'trap')}('list is longer than the ABI allows');`);
    e.line(`${this.mem}.checkValueSize(${len} * ${size});`);
    e.line(`${this.mem}.check(${ptr}, ${len} * ${size}, ${align});`);
    if (typed) {
      e.line(`const ${out} = new ${typed}(${this.mem}.memory.buffer.slice(${ptr}, ${ptr} + ${len} * ${size}));`);
      return out;
    }
    e.line(`const ${out} = new Array(${len});`);
    const i = e.tmp('i');
    e.block(`for (let ${i} = 0; ${i} < ${len}; ${i}++)`, () => {
      e.line(`${out}[${i}] = ${this.load(t.element, `${ptr} + ${i} * ${size}`, 0)};`);
    });
    return out;
  }

  /** A fixed-length list stored in place (its range was checked with the value that holds it). */
  private loadFixed(t: ListType, length: number, base: string, offset: number): string {
    const e = this.e;
    const size = sizeOf(t.element);
    const start = `${base} + ${offset}`;
    const typed = typedArrayName(t);
    const out = e.tmp('list');
    if (typed) {
      e.line(`const ${out} = new ${typed}(${this.mem}.memory.buffer.slice(${start}, ${start} + ${length * size}));`);
      return out;
    }
    e.line(`const ${out} = new Array(${length});`);
    const i = e.tmp('i');
    const at = e.tmp('q');
    e.block(`for (let ${i} = 0; ${i} < ${length}; ${i}++)`, () => {
      e.line(`const ${at} = ${start} + ${i} * ${size};`);
      e.line(`${out}[${i}] = ${this.load(t.element, at, 0)};`);
    });
    return out;
  }

  /** Loads a value from guest memory at `base + offset`; returns an expression. */
  load(type: Type, base: string, offset: number): string {
    const e = this.e;
    const t = unalias(type);
    const at = offset === 0 ? base : `${base} + ${offset}`;
    const dv = `${this.mem}.dv`;
    switch (t.kind) {
      case 'bool': return `(${dv}.getUint8(${at}) !== 0)`;
      case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 's64': case 'u64': case 'f32': case 'f64':
        return `${dv}.${DATAVIEW[t.kind]![0]}(${at}, true)`;
      case 'char': return `${e.helper(liftChar, 'liftChar')}(${dv}.getUint32(${at}, true))`;
      case 'string': case 'list': {
        if (t.kind === 'list' && t.length !== undefined) return this.loadFixed(t, t.length, base, offset);
        const ptr = e.tmp('p');
        const len = e.tmp('n');
        e.line(`const ${ptr} = ${dv}.getUint32(${at}, true);`);
        e.line(`const ${len} = ${dv}.getUint32(${at} + 4, true);`);
        const x = e.tmp('b');
        e.line(`const ${x} = ${this.liftFromBlock(t, ptr, len)};`);
        return x;
      }
      case 'flags': {
        const n = t.flags.length;
        const words: string[] = [];
        if (n <= 8) words.push(`${dv}.getUint8(${at})`);
        else if (n <= 16) words.push(`${dv}.getUint16(${at}, true)`);
        else for (let i = 0; i < Math.ceil(n / 32); i++) words.push(`${dv}.getInt32(${at} + ${4 * i}, true)`);
        const vars = words.map((w) => {
          const name = e.tmp('w');
          e.line(`const ${name} = ${w};`);
          return name;
        });
        return this.flagsObject(t.flags.map((f) => f.name), vars);
      }
      case 'own': case 'borrow': {
        const idx = e.tmp('i');
        e.line(`const ${idx} = ${dv}.getUint32(${at}, true);`);
        return this.liftHandle(t.kind, unalias(t.resource) as RuntimeResource, idx);
      }
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const layout = recordLayout(d.fields);
          const values = d.fields.map((f, i) => {
            const x = e.tmp('r');
            e.line(`const ${x} = ${this.load(f.type, base, offset + layout.offsets[i]!)};`);
            return x;
          });
          return t.kind === 'tuple' ? `[${values.join(', ')}]` : `{ ${d.fields.map((f, i) => `${str(camelCase(f.name))}: ${values[i]}`).join(', ')} }`;
        }
        if (d.kind === 'variant') {
          const cases = variantCases(t);
          const layout = variantLayout(cases.map((c) => c.wit));
          const get = layout.discriminantSize === 1 ? 'getUint8' : layout.discriminantSize === 2 ? 'getUint16' : 'getUint32';
          const disc = e.tmp('d');
          e.line(`const ${disc} = ${dv}.${get}(${at}, true);`);
          const out = e.tmp('var');
          e.line(`let ${out};`);
          e.block(`switch (${disc})`, () => {
            cases.forEach((c, index) => {
              e.block(`case ${index}:`, () => {
                const payload = c.wit.type ? this.load(c.wit.type, base, offset + layout.payloadOffset) : undefined;
                e.line(`${out} = ${c.build(payload)};`);
                e.line('break;');
              }, '}');
            });
            e.line(`default: ${e.helper(trap, 'trap')}(${str(`invalid discriminant for ${describeType(t)}`)} + ' ' + ${disc});`);
          });
          return out;
        }
        throw unsupported(t.kind);
      }
    }
  }

}

/** How each case of a variant-like type is tested, read and built in JS. */
interface JsCase {
  wit: { name: string; type?: Type };
  test(v: string): { switchOn: string; label: string };
  payload(v: string): string;
  build(payload: string | undefined): string;
}

function variantCases(type: Type): JsCase[] {
  const t = unalias(type);
  switch (t.kind) {
    case 'enum':
      return t.cases.map((c) => ({
        wit: { name: c.name },
        test: (v) => ({ switchOn: v, label: str(c.name) }),
        payload: () => 'undefined',
        build: () => str(c.name),
      }));
    case 'option':
      if (isNullable(t.some)) return tagged([{ name: 'none' }, { name: 'some', type: t.some }], false);
      return [
        {
          wit: { name: 'none' },
          test: (v) => ({ switchOn: `(${v} === undefined || ${v} === null) ? 0 : 1`, label: '0' }),
          payload: () => 'undefined',
          build: () => 'undefined',
        },
        {
          wit: { name: 'some', type: t.some },
          test: () => ({ switchOn: '', label: '1' }),
          payload: (v) => v,
          build: (p) => p!,
        },
      ];
    case 'result':
      return tagged([{ name: 'ok', type: t.ok }, { name: 'err', type: t.err }], true);
    case 'variant':
      return tagged(t.cases, false);
    default:
      throw new Error(`internal: ${t.kind} is not variant-like`);
  }
}

function tagged(cases: readonly { name: string; type?: Type }[], alwaysVal: boolean): JsCase[] {
  return cases.map((c) => ({
    wit: c,
    test: (v) => ({ switchOn: `${v}.tag`, label: str(c.name) }),
    payload: (v) => `${v}.val`,
    build: (p) => (p !== undefined ? `{ tag: ${str(c.name)}, val: ${p} }` : alwaysVal ? `{ tag: ${str(c.name)}, val: undefined }` : `{ tag: ${str(c.name)} }`),
  }));
}

/** Converts a case's own core value to the joined slot type (lower direction). */
function coerceLower(have: CoreType, want: CoreType, value: string, e: Emitter): string {
  if (have === want) return value;
  if (have === 'f32' && want === 'i32') return `${e.helper(f32ToI32, 'f32ToI32')}(${value})`;
  if (have === 'i32' && want === 'i64') return `BigInt(${value} >>> 0)`;
  if (have === 'f32' && want === 'i64') return `BigInt(${e.helper(f32ToI32, 'f32ToI32')}(${value}) >>> 0)`;
  if (have === 'f64' && want === 'i64') return `${e.helper(f64ToI64, 'f64ToI64')}(${value})`;
  throw new Error(`internal: cannot coerce ${have} to ${want}`);
}

/** Converts a joined slot value back to the case's own core type (lift direction). */
function coerceLift(have: CoreType, want: CoreType, value: string, e: Emitter): string {
  if (have === want) return value;
  if (have === 'i32' && want === 'f32') return `${e.helper(i32ToF32, 'i32ToF32')}(${value})`;
  if (have === 'i64' && want === 'i32') return `Number(BigInt.asIntN(32, ${value}))`;
  if (have === 'i64' && want === 'f32') return `${e.helper(i32ToF32, 'i32ToF32')}(Number(BigInt.asIntN(32, ${value})))`;
  if (have === 'i64' && want === 'f64') return `${e.helper(i64ToF64, 'i64ToF64')}(${value})`;
  throw new Error(`internal: cannot coerce ${have} to ${want}`);
}

function describeType(t: Type): string {
  return 'name' in t && t.name ? t.name : t.kind;
}

function unsupported(kind: string): Error {
  return new Error(`unsupported: WIT type ${kind} cannot be passed by this host yet`);
}

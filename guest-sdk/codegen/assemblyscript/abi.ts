/**
 * Guest-side Canonical ABI glue in AssemblyScript: lifting values from core values and
 * memory, lowering them back. Mirrors the host's `component/canon/values.ts` (same layout
 * functions from `common/abi/layout.ts`), but emits AssemblyScript statements.
 *
 * Ownership: everything the guest lifts was allocated with its own `cabi_realloc`, so
 * lifting frees it; everything it lowers is allocated with `allocTracked` and freed after
 * the call (post-return for exports, right after the call for imports).
 */
import {
  alignOf, despecialize, flatten, flattenVariant, recordLayout, sizeOf, variantLayout, type CoreType,
} from '../../../common/abi/layout.js';
import type { ResourceType, Type } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import type { SourceWriter } from '../core/source-writer.js';
import type { ModuleFile } from './module-file.js';
import { asMember, asTypeName, asConstName } from './names.js';
import { asType, ownerOf, typedArrayOf, type TypeHome } from './types.js';

/** How the glue turns resources into handles and back; implemented per world in `generate.ts`. */
export interface ResourceGlue {
  /** Expression lowering an object to an owned handle. */
  lowerOwn(r: ResourceType, value: string, file: ModuleFile): string;
  lowerBorrow(r: ResourceType, value: string, file: ModuleFile): string;
  liftOwn(r: ResourceType, handle: string, file: ModuleFile): string;
  /** `borrowsVar` collects handles lent by the host that must be dropped before returning. */
  liftBorrow(r: ResourceType, handle: string, file: ModuleFile, borrowsVar?: string): string;
}

const CORE: Record<CoreType, string> = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64' };

export function coreTypeName(t: CoreType): string {
  return CORE[t];
}

const LOAD: Record<string, [type: string, size: number]> = {
  bool: ['u8', 1], u8: ['u8', 1], s8: ['i8', 1], u16: ['u16', 2], s16: ['i16', 2], u32: ['u32', 4], s32: ['i32', 4],
  u64: ['u64', 8], s64: ['i64', 8], f32: ['f32', 4], f64: ['f64', 8], char: ['u32', 4],
};

export class AsAbi {
  private counter = 0;
  /** Set while lifting export parameters: borrowed imported handles to drop before returning. */
  borrowsVar?: string;

  constructor(readonly w: SourceWriter, readonly file: ModuleFile, readonly home: TypeHome, readonly resources: ResourceGlue) {}

  tmp(prefix = 't'): string {
    return `${prefix}${this.counter++}`;
  }

  private rt(name: string): string {
    return this.file.use(this.home.runtime, name);
  }

  private type(t: Type): string {
    return asType(t, this.file, this.home);
  }

  // ---------------------------------------------------------------- lifting

  liftFlat(type: Type, next: (want: CoreType) => string): string {
    const t = unalias(type);
    const w = this.w;
    switch (t.kind) {
      case 'bool': return `(${next('i32')} != 0)`;
      case 'u8': return `<u8>${next('i32')}`;
      case 's8': return `<i8>${next('i32')}`;
      case 'u16': return `<u16>${next('i32')}`;
      case 's16': return `<i16>${next('i32')}`;
      case 'u32': case 'char': return `<u32>${next('i32')}`;
      case 's32': return next('i32');
      case 'u64': return `<u64>${next('i64')}`;
      case 's64': return next('i64');
      case 'f32': return next('f32');
      case 'f64': return next('f64');
      case 'string': case 'list': {
        const p = this.tmp('p');
        const n = this.tmp('n');
        w.line(`const ${p} = <usize><u32>${next('i32')};`);
        w.line(`const ${n} = <i32>${next('i32')};`);
        return this.liftBlock(t, p, n);
      }
      case 'flags': {
        const words = Array.from({ length: Math.max(1, Math.ceil(t.flags.length / 32)) }, () => {
          const x = this.tmp('w');
          w.line(`const ${x} = ${next('i32')};`);
          return x;
        });
        return this.flagsValue(t, words);
      }
      case 'enum': return `<${this.type(t)}>${next('i32')}`;
      case 'own': return this.resources.liftOwn(unalias(t.resource) as ResourceType, next('i32'), this.file);
      case 'borrow': return this.resources.liftBorrow(unalias(t.resource) as ResourceType, next('i32'), this.file, this.borrowsVar);
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const values = d.fields.map((f) => {
            const x = this.tmp('r');
            w.line(`const ${x} = ${this.liftFlat(f.type, next)};`);
            return x;
          });
          return `new ${this.type(t)}(${values.join(', ')})`;
        }
        if (d.kind === 'variant') return this.liftVariantFlat(t, next);
        throw new Error(`cannot lift ${t.kind}`);
      }
    }
  }

  private flagsValue(t: Extract<Type, { kind: 'flags' }>, words: string[]): string {
    return `new ${this.type(t)}(${t.flags.map((_, i) => `(${words[i >> 5]} & ${i % 32 === 31 ? '0x80000000' : 1 << (i % 32)}) != 0`).join(', ')})`;
  }

  private liftVariantFlat(t: Type, next: (want: CoreType) => string): string {
    const w = this.w;
    const cases = caseList(t);
    const flat = flattenVariant(cases);
    const slots = flat.map((core) => {
      const s = this.tmp('s');
      w.line(`const ${s}: ${CORE[core]} = ${next(core)};`);
      return s;
    });
    const ty = this.type(t);
    const out = this.tmp('v');
    w.line(`let ${out}: ${ty};`);
    w.block(`switch (${slots[0]})`, () => {
      cases.forEach((c, index) => {
        w.block(`case ${index}:`, () => {
          let i = 1;
          const payload = c.type ? this.liftFlat(c.type, (want) => coerceLift(flat[i]!, want, slots[i++]!)) : undefined;
          w.line(`${out} = ${this.build(t, index, payload)};`);
          w.line('break;');
        });
      });
      w.line(`default: throw new Error("invalid discriminant");`);
    });
    return out;
  }

  /** Builds a variant-like value for case `index` from a payload expression. */
  private build(type: Type, index: number, payload: string | undefined): string {
    const t = unalias(type);
    const ty = this.type(t);
    switch (t.kind) {
      case 'enum': return `<${ty}>${index}`;
      case 'option': return index === 0 ? `${this.rt('Option')}.none<${this.type(t.some)}>()` : `${this.rt('Option')}.some<${this.type(t.some)}>(${payload})`;
      case 'result': {
        const ok = t.ok ? this.type(t.ok) : this.rt('Unit');
        const err = t.err ? this.type(t.err) : this.rt('Unit');
        if (index === 0) return `${this.rt('Result')}.ok<${ok}, ${err}>(${payload ?? '0'})`;
        return `${this.rt('Result')}.err<${ok}, ${err}>(${payload ?? '0'})`;
      }
      case 'variant': {
        const c = t.cases[index]!;
        return `${ty}.${asMember(c.name)}(${payload ?? ''})`;
      }
      default: throw new Error(`internal: build(${t.kind})`);
    }
  }

  /** Lifts a string or list from pointer/length variables (frees the buffer). */
  private liftBlock(type: Type, p: string, n: string): string {
    const t = unalias(type);
    const w = this.w;
    if (t.kind === 'string') return `${this.rt('liftString')}(${p}, <usize>${n}, true)`;
    if (t.kind !== 'list') throw new Error('internal: not a block');
    const typed = typedArrayOf(t);
    const size = sizeOf(t.element);
    if (typed) return `${this.rt('liftTypedArray')}<${typed}>(${p}, ${n}, ${size}, true)`;
    const out = this.tmp('l');
    const i = this.tmp('i');
    w.line(`const ${out} = new ${this.type(t)}(${n});`);
    w.block(`for (let ${i} = 0; ${i} < ${n}; ${i}++)`, () => {
      const base = this.tmp('e');
      w.line(`const ${base} = ${p} + <usize>${i} * ${size};`);
      w.line(`unchecked((${out}[${i}] = ${this.load(t.element, base, 0)}));`);
    });
    w.line(`${this.rt('freeHostBuffer')}(${p}, <usize>${n} * ${size});`);
    return out;
  }

  load(type: Type, ptr: string, offset: number): string {
    const t = unalias(type);
    const w = this.w;
    if (LOAD[t.kind]) {
      const [ty] = LOAD[t.kind]!;
      const raw = `load<${ty}>(${ptr}, ${offset})`;
      return t.kind === 'bool' ? `(${raw} != 0)` : raw;
    }
    switch (t.kind) {
      case 'string': case 'list': {
        const p = this.tmp('p');
        const n = this.tmp('n');
        w.line(`const ${p} = <usize>load<u32>(${ptr}, ${offset});`);
        w.line(`const ${n} = <i32>load<u32>(${ptr}, ${offset + 4});`);
        const x = this.tmp('b');
        w.line(`const ${x} = ${this.liftBlock(t, p, n)};`);
        return x;
      }
      case 'flags': {
        const n = t.flags.length;
        const words = n <= 8 ? [`<i32>load<u8>(${ptr}, ${offset})`] : n <= 16 ? [`<i32>load<u16>(${ptr}, ${offset})`]
          : Array.from({ length: Math.ceil(n / 32) }, (_, i) => `load<i32>(${ptr}, ${offset + 4 * i})`);
        return this.flagsValue(t, words.map((e) => {
          const x = this.tmp('w');
          w.line(`const ${x} = ${e};`);
          return x;
        }));
      }
      case 'enum': {
        const layout = variantLayout(t.cases as { type?: Type }[]);
        return `<${this.type(t)}>load<${layout.discriminantSize === 1 ? 'u8' : layout.discriminantSize === 2 ? 'u16' : 'u32'}>(${ptr}, ${offset})`;
      }
      case 'own': return this.resources.liftOwn(unalias(t.resource) as ResourceType, `load<i32>(${ptr}, ${offset})`, this.file);
      case 'borrow': return this.resources.liftBorrow(unalias(t.resource) as ResourceType, `load<i32>(${ptr}, ${offset})`, this.file, this.borrowsVar);
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const layout = recordLayout(d.fields);
          const values = d.fields.map((f, i) => {
            const x = this.tmp('r');
            w.line(`const ${x} = ${this.load(f.type, ptr, offset + layout.offsets[i]!)};`);
            return x;
          });
          return `new ${this.type(t)}(${values.join(', ')})`;
        }
        if (d.kind === 'variant') {
          const cases = caseList(t);
          const layout = variantLayout(cases);
          const disc = this.tmp('d');
          w.line(`const ${disc} = load<${layout.discriminantSize === 1 ? 'u8' : layout.discriminantSize === 2 ? 'u16' : 'u32'}>(${ptr}, ${offset});`);
          const out = this.tmp('v');
          w.line(`let ${out}: ${this.type(t)};`);
          w.block(`switch (${disc})`, () => {
            cases.forEach((c, index) => {
              w.block(`case ${index}:`, () => {
                const payload = c.type ? this.load(c.type, ptr, offset + layout.payloadOffset) : undefined;
                w.line(`${out} = ${this.build(t, index, payload)};`);
                w.line('break;');
              });
            });
            w.line(`default: throw new Error("invalid discriminant");`);
          });
          return out;
        }
        throw new Error(`cannot load ${t.kind}`);
      }
    }
  }

  // ---------------------------------------------------------------- lowering

  lowerFlat(type: Type, v: string): string[] {
    const t = unalias(type);
    const w = this.w;
    switch (t.kind) {
      case 'bool': return [`(${v} ? 1 : 0)`];
      case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': case 'char': case 'enum':
        return [`<i32>${v}`];
      case 'u64': case 's64': return [`<i64>${v}`];
      case 'f32': case 'f64': return [v];
      case 'string': case 'list': {
        const [p, n] = this.lowerBlock(t, v);
        return [`<i32>${p}`, `<i32>${n}`];
      }
      case 'flags': return this.flagWords(t, v);
      case 'own': return [this.resources.lowerOwn(unalias(t.resource) as ResourceType, v, this.file)];
      case 'borrow': return [this.resources.lowerBorrow(unalias(t.resource) as ResourceType, v, this.file)];
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const isTuple = t.kind === 'tuple';
          const x = this.tmp('o');
          w.line(`const ${x} = ${v};`);
          return d.fields.flatMap((f, i) => this.lowerFlat(f.type, isTuple ? `${x}.f${i}` : `${x}.${asMember(f.name)}`));
        }
        if (d.kind === 'variant') return this.lowerVariantFlat(t, v);
        throw new Error(`cannot lower ${t.kind}`);
      }
    }
  }

  private flagWords(t: Extract<Type, { kind: 'flags' }>, v: string): string[] {
    const x = this.tmp('f');
    this.w.line(`const ${x} = ${v};`);
    const words = Math.max(1, Math.ceil(t.flags.length / 32));
    return Array.from({ length: words }, (_, w) => {
      const bits = t.flags.slice(w * 32, w * 32 + 32).map((f, i) => `(${x}.${asMember(f.name)} ? ${i === 31 ? '0x80000000' : 1 << i} : 0)`);
      return `<i32>(${bits.join(' | ') || '0'})`;
    });
  }

  private lowerVariantFlat(t: Type, v: string): string[] {
    const w = this.w;
    const cases = caseList(t);
    const flat = flattenVariant(cases);
    const x = this.tmp('x');
    w.line(`const ${x} = ${v};`);
    const vars = flat.map((core) => {
      const name = this.tmp('v');
      w.line(`let ${name}: ${CORE[core]} = 0;`);
      return name;
    });
    const u = unalias(t);
    w.block(`switch (${this.discriminant(u, x)})`, () => {
      cases.forEach((c, index) => {
        w.block(`case ${index}:`, () => {
          w.line(`${vars[0]} = ${index};`);
          if (c.type) {
            const payload = this.lowerFlat(c.type, this.payload(u, x, index));
            const own = flatten(c.type);
            payload.forEach((p, i) => w.line(`${vars[i + 1]} = ${coerceLower(own[i]!, flat[i + 1]!, p)};`));
          }
          w.line('break;');
        });
      });
      w.line(`default: throw new Error("invalid discriminant");`);
    });
    return vars;
  }

  /** Expression for the case index of a variant-like value. */
  private discriminant(t: Type, x: string): string {
    switch (t.kind) {
      case 'enum': return `<i32>${x}`;
      case 'option': return `(${x}.isSome ? 1 : 0)`;
      case 'result': return `(${x}.isOk ? 0 : 1)`;
      case 'variant': return `<i32>${x}.tag`;
      default: throw new Error(`internal: discriminant(${t.kind})`);
    }
  }

  private payload(t: Type, x: string, index: number): string {
    switch (t.kind) {
      case 'option': return `${x}.value`;
      case 'result': return index === 0 ? `${x}.value` : `${x}.error`;
      case 'variant': return `${x}.${asMember(t.cases[index]!.name)}`;
      default: throw new Error(`internal: payload(${t.kind})`);
    }
  }

  /** Lowers a string or list into a tracked buffer; returns [pointer, length] expressions. */
  private lowerBlock(type: Type, v: string): [string, string] {
    const t = unalias(type);
    const w = this.w;
    const p = this.tmp('p');
    const n = this.tmp('n');
    if (t.kind === 'string') {
      w.line(`const ${p} = ${this.rt('lowerString')}(${v});`);
      w.line(`const ${n} = ${this.rt('lastLength')}();`);
      return [p, n];
    }
    if (t.kind !== 'list') throw new Error('internal: not a block');
    const typed = typedArrayOf(t);
    const x = this.tmp('a');
    w.line(`const ${x} = ${v};`);
    w.line(`const ${n} = ${x}.length;`);
    if (typed) {
      w.line(`const ${p} = ${this.rt('lowerTypedArray')}<${typed}>(${x}, ${alignOf(t.element)});`);
      return [p, n];
    }
    const size = sizeOf(t.element);
    w.line(`const ${p} = ${this.rt('allocTracked')}(<usize>${n} * ${size}, ${alignOf(t.element)});`);
    const i = this.tmp('i');
    w.block(`for (let ${i} = 0; ${i} < ${n}; ${i}++)`, () => {
      const base = this.tmp('e');
      w.line(`const ${base} = ${p} + <usize>${i} * ${size};`);
      this.store(t.element, `unchecked(${x}[${i}])`, base, 0);
    });
    return [p, n];
  }

  store(type: Type, v: string, ptr: string, offset: number): void {
    const t = unalias(type);
    const w = this.w;
    if (LOAD[t.kind]) {
      const [ty] = LOAD[t.kind]!;
      w.line(`store<${ty}>(${ptr}, ${t.kind === 'bool' ? `(${v} ? 1 : 0)` : v}, ${offset});`);
      return;
    }
    switch (t.kind) {
      case 'string': case 'list': {
        const [p, n] = this.lowerBlock(t, v);
        w.line(`store<u32>(${ptr}, <u32>${p}, ${offset});`);
        w.line(`store<u32>(${ptr}, <u32>${n}, ${offset + 4});`);
        return;
      }
      case 'flags': {
        const words = this.flagWords(t, v);
        const n = t.flags.length;
        if (n <= 8) w.line(`store<u8>(${ptr}, ${words[0]}, ${offset});`);
        else if (n <= 16) w.line(`store<u16>(${ptr}, ${words[0]}, ${offset});`);
        else words.forEach((word, i) => w.line(`store<i32>(${ptr}, ${word}, ${offset + 4 * i});`));
        return;
      }
      case 'enum': {
        const size = variantLayout(t.cases as { type?: Type }[]).discriminantSize;
        w.line(`store<${size === 1 ? 'u8' : size === 2 ? 'u16' : 'u32'}>(${ptr}, <u32>${v}, ${offset});`);
        return;
      }
      case 'own':
        w.line(`store<i32>(${ptr}, ${this.resources.lowerOwn(unalias(t.resource) as ResourceType, v, this.file)}, ${offset});`);
        return;
      case 'borrow':
        w.line(`store<i32>(${ptr}, ${this.resources.lowerBorrow(unalias(t.resource) as ResourceType, v, this.file)}, ${offset});`);
        return;
      default: {
        const d = despecialize(t);
        if (d.kind === 'record') {
          const layout = recordLayout(d.fields);
          const x = this.tmp('o');
          w.line(`const ${x} = ${v};`);
          const isTuple = t.kind === 'tuple';
          d.fields.forEach((f, i) => this.store(f.type, isTuple ? `${x}.f${i}` : `${x}.${asMember(f.name)}`, ptr, offset + layout.offsets[i]!));
          return;
        }
        if (d.kind === 'variant') {
          const cases = caseList(t);
          const layout = variantLayout(cases);
          const x = this.tmp('x');
          w.line(`const ${x} = ${v};`);
          const discType = layout.discriminantSize === 1 ? 'u8' : layout.discriminantSize === 2 ? 'u16' : 'u32';
          w.block(`switch (${this.discriminant(t, x)})`, () => {
            cases.forEach((c, index) => {
              w.block(`case ${index}:`, () => {
                w.line(`store<${discType}>(${ptr}, ${index}, ${offset});`);
                if (c.type) this.store(c.type, this.payload(t, x, index), ptr, offset + layout.payloadOffset);
                w.line('break;');
              });
            });
            w.line(`default: throw new Error("invalid discriminant");`);
          });
          return;
        }
        throw new Error(`cannot store ${t.kind}`);
      }
    }
  }
}

function caseList(type: Type): { name: string; type?: Type }[] {
  const d = despecialize(type);
  if (d.kind !== 'variant') throw new Error('internal: not variant-like');
  return d.cases.map((c) => (c.type ? { name: c.name, type: c.type } : { name: c.name }));
}

function coerceLower(have: CoreType, want: CoreType, value: string): string {
  if (have === want) return value;
  if (have === 'f32' && want === 'i32') return `reinterpret<i32>(${value})`;
  if (have === 'i32' && want === 'i64') return `<i64><u32>(${value})`;
  if (have === 'f32' && want === 'i64') return `<i64><u32>reinterpret<i32>(${value})`;
  if (have === 'f64' && want === 'i64') return `reinterpret<i64>(${value})`;
  throw new Error(`internal: cannot coerce ${have} to ${want}`);
}

function coerceLift(have: CoreType, want: CoreType, value: string): string {
  if (have === want) return value;
  if (have === 'i32' && want === 'f32') return `reinterpret<f32>(${value})`;
  if (have === 'i64' && want === 'i32') return `<i32>(${value})`;
  if (have === 'i64' && want === 'f32') return `reinterpret<f32>(<i32>(${value}))`;
  if (have === 'i64' && want === 'f64') return `reinterpret<f64>(${value})`;
  throw new Error(`internal: cannot coerce ${have} to ${want}`);
}

export { asTypeName, asConstName, ownerOf };

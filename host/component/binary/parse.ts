/**
 * Decodes a component binary into its list of definitions (see `ast.ts`). Core modules
 * stay as byte ranges; WebAssembly compiles them. Any malformed byte sequence becomes
 * `ERR_COMPONENT_INVALID`; a core module given where a component is expected gets a
 * message that says what to do.
 */
import { PluginHostError } from '../../../common/errors.js';
import type {
  Alias, Canon, CanonOptions, ComponentSort, CoreSort, Decl, Definition, ExternType, PrimName, Sort, TypeDef, ValType,
} from './ast.js';
import { Reader } from './reader.js';

const PRIMS: Record<number, PrimName> = {
  0x7f: 'bool', 0x7e: 's8', 0x7d: 'u8', 0x7c: 's16', 0x7b: 'u16', 0x7a: 's32', 0x79: 'u32',
  0x78: 's64', 0x77: 'u64', 0x76: 'f32', 0x75: 'f64', 0x74: 'char', 0x73: 'string',
};

const CORE_SORTS: Record<number, CoreSort> = {
  0x00: 'core func', 0x01: 'core table', 0x02: 'core memory', 0x03: 'core global', 0x04: 'core tag',
  0x10: 'core type', 0x11: 'core module', 0x12: 'core instance',
};

const SORTS: Record<number, ComponentSort> = { 0x01: 'func', 0x02: 'value', 0x03: 'type', 0x04: 'component', 0x05: 'instance' };

/** Parses a whole component binary. */
export function parseComponent(bytes: Uint8Array): Definition[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', 'not a WebAssembly binary (missing the \\0asm magic number)');
  }
  if (bytes[6] === 0 && bytes[7] === 0) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', 'this is a core WebAssembly module, not a component: turn it into one with `plugin-actors build` (or `wasm-tools component new`)');
  }
  if (bytes[6] !== 1 || bytes[7] !== 0) throw new PluginHostError('ERR_COMPONENT_INVALID', `unknown binary layer ${bytes[6]}`);
  if (bytes[4] !== 0x0d || bytes[5] !== 0) {
    throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `component binary version 0x${bytes[4]!.toString(16)} is not supported (this host reads version 0x0d)`);
  }
  const reader = new Reader(bytes, 8);
  return parseBody(reader, bytes.length);
}

function parseBody(r: Reader, end: number): Definition[] {
  const defs: Definition[] = [];
  while (r.pos < end) {
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    if (size > end - start) r.fail(`section ${id} of ${size} bytes runs past the end`);
    const s = new Reader(r.bytes, start, start + size);
    switch (id) {
      case 0: break; // custom section
      case 1: defs.push({ kind: 'core module', bytes: s.bytesOf(size), at: start }); break;
      case 2: for (const x of s.vec(() => coreInstance(s))) defs.push(x); break;
      case 3: for (const _ of s.vec(() => coreType(s))) defs.push({ kind: 'core type' }); break;
      case 4: defs.push({ kind: 'component', body: parseNested(s, start + size) }); break;
      case 5: for (const x of s.vec(() => instance(s))) defs.push(x); break;
      case 6: for (const a of s.vec(() => alias(s))) defs.push({ kind: 'alias', alias: a }); break;
      case 7: for (const t of s.vec(() => typeDef(s))) defs.push({ kind: 'type', def: t }); break;
      case 8: for (const c of s.vec(() => canon(s))) defs.push({ kind: 'canon', canon: c }); break;
      case 9: defs.push({ kind: 'start' }); s.pos = start + size; break;
      case 10: for (const i of s.vec(() => ({ name: externName(s), type: externType(s) }))) defs.push({ kind: 'import', ...i }); break;
      case 11: for (const e of s.vec(() => exportDef(s))) defs.push(e); break;
      case 12: throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', 'value definitions are not supported');
      default: r.fail(`unknown section id ${id}`, start - 1);
    }
    if (id !== 0 && id !== 1 && id !== 4 && s.pos !== start + size) s.fail(`section ${id} has ${start + size - s.pos} trailing bytes`);
    r.pos = start + size;
  }
  return defs;
}

function parseNested(s: Reader, end: number): Definition[] {
  const b = s.bytesOf(8);
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d || b[6] !== 1) s.fail('nested component has a bad preamble');
  return parseBody(s, end);
}

function sort(r: Reader): Sort {
  const b = r.u8();
  if (b === 0x00) {
    const c = r.u8();
    const core = CORE_SORTS[c];
    if (!core) r.fail(`unknown core sort 0x${c.toString(16)}`, r.pos - 1);
    return core;
  }
  const s = SORTS[b];
  if (!s) r.fail(`unknown sort 0x${b.toString(16)}`, r.pos - 1);
  return s;
}

function coreSort(r: Reader): CoreSort {
  const c = r.u8();
  const core = CORE_SORTS[c];
  if (!core) r.fail(`unknown core sort 0x${c.toString(16)}`, r.pos - 1);
  return core;
}

function coreInstance(r: Reader): Definition {
  const tag = r.u8();
  if (tag === 0x00) {
    const module = r.u32();
    const args = r.vec(() => {
      const name = r.name();
      if (r.u8() !== 0x12) r.fail('core instantiate arguments must be instances');
      return { name, instance: r.u32() };
    });
    return { kind: 'core instance', expr: { kind: 'instantiate', module, args } };
  }
  if (tag === 0x01) {
    const exports = r.vec(() => ({ name: r.name(), sort: coreSort(r), index: r.u32() }));
    return { kind: 'core instance', expr: { kind: 'exports', exports } };
  }
  r.fail(`unknown core instance expression 0x${tag.toString(16)}`, r.pos - 1);
}

function instance(r: Reader): Definition {
  const tag = r.u8();
  if (tag === 0x00) {
    const component = r.u32();
    const args = r.vec(() => ({ name: r.name(), sort: sort(r), index: r.u32() }));
    return { kind: 'instance', expr: { kind: 'instantiate', component, args } };
  }
  if (tag === 0x01) {
    const exports = r.vec(() => ({ name: externName(r), sort: sort(r), index: r.u32() }));
    return { kind: 'instance', expr: { kind: 'exports', exports } };
  }
  r.fail(`unknown instance expression 0x${tag.toString(16)}`, r.pos - 1);
}

function alias(r: Reader): Alias {
  const s = sort(r);
  const tag = r.u8();
  if (tag === 0x00) return { sort: s, kind: 'export', instance: r.u32(), name: r.name() };
  if (tag === 0x01) return { sort: s, kind: 'core export', instance: r.u32(), name: r.name() };
  if (tag === 0x02) return { sort: s, kind: 'outer', count: r.u32(), index: r.u32() };
  r.fail(`unknown alias target 0x${tag.toString(16)}`, r.pos - 1);
}

/** Import/export names, with the optional attribute list of newer encodings ignored. */
function externName(r: Reader): string {
  const tag = r.u8();
  if (tag === 0x00 || tag === 0x01) return r.name();
  if (tag === 0x02) {
    const name = r.name();
    r.vec(() => {
      const kind = r.u8();
      if (kind > 2) r.fail(`unknown name attribute 0x${kind.toString(16)}`, r.pos - 1);
      return r.name();
    });
    return name;
  }
  r.fail(`unknown extern name encoding 0x${tag.toString(16)}`, r.pos - 1);
}

function exportDef(r: Reader): Definition {
  const name = externName(r);
  const s = sort(r);
  const index = r.u32();
  const type = r.optional(() => externType(r));
  return { kind: 'export', name, sort: s, index, ...(type ? { type } : {}) };
}

function externType(r: Reader): ExternType {
  const tag = r.u8();
  switch (tag) {
    case 0x00:
      if (r.u8() !== 0x11) r.fail('expected a core module type');
      return { sort: 'core module', index: r.u32() };
    case 0x01: return { sort: 'func', index: r.u32() };
    case 0x02: r.u8() === 0 ? r.u32() : valType(r); return { sort: 'value' };
    case 0x03: {
      const b = r.u8();
      if (b === 0x00) return { sort: 'type', bound: { kind: 'eq', index: r.u32() } };
      if (b === 0x01) return { sort: 'type', bound: { kind: 'sub-resource' } };
      r.fail(`unknown type bound 0x${b.toString(16)}`, r.pos - 1);
    }
    // falls through (unreachable: fail throws)
    case 0x04: return { sort: 'component', index: r.u32() };
    case 0x05: return { sort: 'instance', index: r.u32() };
    default: r.fail(`unknown extern type 0x${tag.toString(16)}`, r.pos - 1);
  }
}

function valType(r: Reader): ValType {
  const v = r.s33();
  if (v >= 0) return v;
  const prim = PRIMS[v + 0x80];
  if (!prim) r.fail(`unknown value type 0x${(v + 0x80).toString(16)}`);
  return prim;
}

function label(r: Reader): string {
  return r.name();
}

function typeDef(r: Reader): TypeDef {
  const b = r.peek();
  if (PRIMS[b]) {
    r.u8();
    return { kind: 'prim', name: PRIMS[b]! };
  }
  r.u8();
  switch (b) {
    case 0x72: return { kind: 'record', fields: r.vec(() => ({ name: label(r), type: valType(r) })) };
    case 0x71: return {
      kind: 'variant',
      cases: r.vec(() => {
        const name = label(r);
        const type = r.optional(() => valType(r));
        if (r.u8() !== 0x00) r.fail('variant case refinements are not supported');
        return type === undefined ? { name } : { name, type };
      }),
    };
    case 0x70: return { kind: 'list', element: valType(r) };
    case 0x67: return { kind: 'list', element: valType(r), length: r.u32() };
    case 0x6f: return { kind: 'tuple', types: r.vec(() => valType(r)) };
    case 0x6e: return { kind: 'flags', names: r.vec(() => label(r)) };
    case 0x6d: return { kind: 'enum', names: r.vec(() => label(r)) };
    case 0x6b: return { kind: 'option', type: valType(r) };
    case 0x6a: {
      const ok = r.optional(() => valType(r));
      const err = r.optional(() => valType(r));
      return { kind: 'result', ...(ok !== undefined ? { ok } : {}), ...(err !== undefined ? { err } : {}) };
    }
    case 0x69: return { kind: 'own', index: r.u32() };
    case 0x68: return { kind: 'borrow', index: r.u32() };
    case 0x66: r.optional(() => valType(r)); return { kind: 'unsupported', what: 'stream types' };
    case 0x65: r.optional(() => valType(r)); return { kind: 'unsupported', what: 'future types' };
    case 0x64: return { kind: 'unsupported', what: 'error-context types' };
    case 0x63: valType(r); valType(r); return { kind: 'unsupported', what: 'map types' };
    case 0x40:
    case 0x43: {
      const params = r.vec(() => ({ name: label(r), type: valType(r) }));
      const tag = r.u8();
      let result: ValType | undefined;
      if (tag === 0x00) result = valType(r);
      else if (tag === 0x01) {
        const n = r.u32();
        if (n !== 0) r.fail('named function results are not supported (old binary encoding)');
      } else r.fail(`unknown result list 0x${tag.toString(16)}`, r.pos - 1);
      return { kind: 'func', params, ...(result !== undefined ? { result } : {}), async: b === 0x43 };
    }
    case 0x41: return { kind: 'component', decls: r.vec(() => componentDecl(r)) };
    case 0x42: return { kind: 'instance', decls: r.vec(() => instanceDecl(r)) };
    case 0x3f: {
      if (r.u8() !== 0x7f) r.fail('resource representations other than i32 are not supported');
      const dtor = r.optional(() => r.u32());
      return dtor === undefined ? { kind: 'resource', rep: 'i32' } : { kind: 'resource', rep: 'i32', dtor };
    }
    default: r.fail(`unknown type constructor 0x${b.toString(16)}`, r.pos - 1);
  }
}

function componentDecl(r: Reader): Decl {
  if (r.peek() === 0x03) {
    r.u8();
    return { kind: 'import', name: externName(r), type: externType(r) };
  }
  return instanceDecl(r);
}

function instanceDecl(r: Reader): Decl {
  const tag = r.u8();
  switch (tag) {
    case 0x00: coreType(r); return { kind: 'core type' };
    case 0x01: return { kind: 'type', def: typeDef(r) };
    case 0x02: return { kind: 'alias', alias: alias(r) };
    case 0x04: return { kind: 'export', name: externName(r), type: externType(r) };
    default: r.fail(`unknown declaration 0x${tag.toString(16)}`, r.pos - 1);
  }
}

function canonOptions(r: Reader): CanonOptions {
  const options: CanonOptions = { stringEncoding: 'utf8', async: false };
  for (const _ of r.vec(() => 0)) {
    const tag = r.u8();
    switch (tag) {
      case 0x00: options.stringEncoding = 'utf8'; break;
      case 0x01: options.stringEncoding = 'utf16'; break;
      case 0x02: options.stringEncoding = 'latin1+utf16'; break;
      case 0x03: options.memory = r.u32(); break;
      case 0x04: options.realloc = r.u32(); break;
      case 0x05: options.postReturn = r.u32(); break;
      case 0x06: options.async = true; break;
      case 0x07: options.callback = r.u32(); break;
      default: r.fail(`unknown canonical option 0x${tag.toString(16)}`, r.pos - 1);
    }
  }
  return options;
}

function canon(r: Reader): Canon {
  const op = r.u8();
  switch (op) {
    case 0x00: {
      if (r.u8() !== 0x00) r.fail('canon lift expects a core func');
      const coreFunc = r.u32();
      const options = canonOptions(r);
      return { kind: 'lift', coreFunc, options, type: r.u32() };
    }
    case 0x01: {
      if (r.u8() !== 0x00) r.fail('canon lower expects a func');
      const func = r.u32();
      return { kind: 'lower', func, options: canonOptions(r) };
    }
    case 0x02: return { kind: 'resource.new', type: r.u32() };
    case 0x03: return { kind: 'resource.drop', type: r.u32() };
    case 0x07: return { kind: 'resource.drop', type: r.u32() }; // async drop: same effect for sync resources
    case 0x04: return { kind: 'resource.rep', type: r.u32() };
    default:
      skipCanon(r, op);
      return { kind: 'unsupported', what: `canonical built-in 0x${op.toString(16)} (async, threads or streams)` };
  }
}

/** Skips the immediates of canonical built-ins this host does not implement. */
function skipCanon(r: Reader, op: number): void {
  switch (op) {
    case 0x05: case 0x0d: case 0x1e: case 0x1f: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x28: return;
    case 0x09: { const t = r.u8(); if (t === 0x00) valType(r); else r.u8(); canonOptions(r); return; }
    case 0x0a: case 0x0b: r.u8(); r.u32(); return;
    case 0x06: case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: r.u8(); return;
    case 0x0e: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x1b: r.u32(); return;
    case 0x0f: case 0x10: case 0x16: case 0x17: r.u32(); canonOptions(r); return;
    case 0x11: case 0x12: case 0x18: case 0x19: r.u32(); r.u8(); return;
    case 0x1c: case 0x1d: canonOptions(r); return;
    case 0x20: case 0x21: r.u8(); r.u32(); return;
    case 0x27: r.u32(); r.u32(); return;
    case 0x40: r.u8(); r.u32(); return;
    case 0x41: r.u8(); r.u32(); r.u32(); return;
    case 0x42: r.u8(); return;
    default: r.fail(`unknown canonical built-in 0x${op.toString(16)}`, r.pos - 1);
  }
}

/** Core types matter to this host only as far as skipping them correctly. */
function coreType(r: Reader): void {
  const b = r.u8();
  if (b === 0x50) {
    r.vec(() => coreModuleDecl(r));
    return;
  }
  if (b === 0x60) {
    r.vec(() => coreValType(r));
    r.vec(() => coreValType(r));
    return;
  }
  throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `core type form 0x${b.toString(16)} (GC types) is not supported`);
}

function coreModuleDecl(r: Reader): void {
  const tag = r.u8();
  switch (tag) {
    case 0x00: r.name(); r.name(); coreExternType(r); return;
    case 0x01: coreType(r); return;
    case 0x02: if (r.u8() !== 0x10 || r.u8() !== 0x01) r.fail('bad core alias'); r.u32(); r.u32(); return;
    case 0x03: r.name(); coreExternType(r); return;
    default: r.fail(`unknown core module declaration 0x${tag.toString(16)}`, r.pos - 1);
  }
}

function coreExternType(r: Reader): void {
  const tag = r.u8();
  switch (tag) {
    case 0x00: r.u32(); return;
    case 0x01: coreValType(r); limits(r); return;
    case 0x02: limits(r); return;
    case 0x03: coreValType(r); r.u8(); return;
    case 0x04: r.u8(); r.u32(); return;
    default: r.fail(`unknown core extern type 0x${tag.toString(16)}`, r.pos - 1);
  }
}

function limits(r: Reader): void {
  const flags = r.u8();
  r.u32();
  if (flags & 1) r.u32();
}

function coreValType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.s33();
}

/**
 * Reads what a component needs to know about one of its core modules without compiling
 * it: the types of its imports and exports (the JS API cannot tell a function's type).
 * Only the sections that declare entities are decoded (type, import, function, table,
 * memory, tag, global, export); code and data are left to `WebAssembly.compile`.
 *
 * Core features this host's engine does not run are refused as unsupported before
 * compiling: GC types, memory64, custom page sizes, and more than one memory.
 */
import type { CoreLimits, CoreValType } from './ast.js';
import { coreExternDecl, coreFuncType, coreValType, limits, unsupportedFeature } from './parse-core-types.js';
import { Reader } from './reader.js';

export interface CoreFuncType {
  readonly params: readonly CoreValType[];
  readonly results: readonly CoreValType[];
}

/** A core extern type with function and tag types resolved. `unknown` globals could not be read. */
export type CoreExtern =
  | { readonly kind: 'func'; readonly type: CoreFuncType }
  | { readonly kind: 'table'; readonly element: CoreValType; readonly limits: CoreLimits }
  | { readonly kind: 'memory'; readonly limits: CoreLimits; readonly shared: boolean }
  | { readonly kind: 'global'; readonly type: CoreValType | 'unknown'; readonly mutable: boolean }
  | { readonly kind: 'tag'; readonly type: CoreFuncType };

export interface CoreModuleType {
  readonly imports: readonly { readonly module: string; readonly name: string; readonly type: CoreExtern }[];
  readonly exports: ReadonlyMap<string, CoreExtern>;
}

const EXPORT_KINDS = ['func', 'table', 'memory', 'global', 'tag'] as const;

/** Decodes the entity declarations of the core module at `bytes[at, at + length)`. */
export function readCoreModule(bytes: Uint8Array, at: number, length: number): CoreModuleType {
  const r = new Reader(bytes, at, at + length);
  const header = r.bytesOf(8);
  if (header[0] !== 0 || header[1] !== 0x61 || header[2] !== 0x73 || header[3] !== 0x6d) r.fail('a core module does not start with \\0asm', at);
  if (header[4] !== 1 || header[5] !== 0 || header[6] !== 0 || header[7] !== 0) r.fail('a core module section must hold a core module (version 1)', at + 4);

  const types: (CoreFuncType | undefined)[] = [];
  const imports: { module: string; name: string; type: CoreExtern }[] = [];
  const spaces: Record<(typeof EXPORT_KINDS)[number], CoreExtern[]> = { func: [], table: [], memory: [], global: [], tag: [] };
  const exports = new Map<string, CoreExtern>();
  const funcType = (index: number, where: number): CoreFuncType => {
    const t = types[index];
    return t ?? r.fail(`core type index ${index} is out of range or not a function type`, where);
  };

  while (!r.done) {
    const sectionAt = r.pos;
    const id = r.u8();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail(`core section ${id} of ${size} bytes runs past the end of its module`, sectionAt);
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    const each = (read: () => void) => {
      const n = s.u32();
      if (n > s.end - s.pos) s.fail(`a vector of ${n} elements cannot fit in its core section`);
      for (let i = 0; i < n; i++) read();
    };
    switch (id) {
      case 1: each(() => {
        const formAt = s.pos;
        const form = s.u8();
        if (form !== 0x60) {
          if (form === 0x4e || form === 0x4f || form === 0x50 || form === 0x5e || form === 0x5f) throw unsupportedFeature('GC core types (rec, sub, struct, array)', formAt);
          s.fail(`unknown core type form 0x${form.toString(16)}`, formAt);
        }
        types.push(coreFuncType(s));
      }); break;
      case 2: each(() => {
        const module = s.name();
        const name = s.name();
        const declAt = s.pos;
        const decl = coreExternDecl(s);
        const type: CoreExtern = decl.kind === 'func' || decl.kind === 'tag' ? { kind: decl.kind, type: funcType(decl.type, declAt) } : decl;
        imports.push({ module, name, type });
        spaces[type.kind].push(type);
      }); break;
      case 3: each(() => { const where = s.pos; spaces.func.push({ kind: 'func', type: funcType(s.u32(), where) }); }); break;
      case 4: each(() => {
        if (s.peek() === 0x40) throw unsupportedFeature('tables with initializer expressions (typed function references)', s.pos);
        const element = coreValType(s);
        const { shared: _shared, ...l } = limits(s, 'table');
        spaces.table.push({ kind: 'table', element, limits: l });
      }); break;
      case 5: each(() => {
        const { shared, ...l } = limits(s, 'memory');
        spaces.memory.push({ kind: 'memory', limits: l, shared });
      }); break;
      case 13: each(() => {
        if (s.u8() !== 0x00) s.fail('a tag must have attribute 0x00', s.pos - 1);
        const where = s.pos;
        spaces.tag.push({ kind: 'tag', type: funcType(s.u32(), where) });
      }); break;
      case 6: readGlobals(s, spaces.global); break;
      case 7: each(() => {
        const name = s.name();
        const kindAt = s.pos;
        const kind = EXPORT_KINDS[s.u8()];
        if (!kind) s.fail('unknown core export kind', kindAt);
        const item = spaces[kind][s.u32()];
        // An index out of range is the core validator's to report; it compiles the module next.
        if (item && !exports.has(name)) exports.set(name, item);
      }); break;
      default: break;
    }
  }
  if (spaces.memory.length > 1) throw unsupportedFeature('multiple memories in one core module (multi-memory)', at);
  return { imports, exports };
}

/** Global types; initializer expressions are skipped as far as their opcodes are known. */
function readGlobals(s: Reader, out: CoreExtern[]): void {
  const n = s.u32();
  for (let i = 0; i < n; i++) {
    const type = coreValType(s);
    const mutable = s.u8() === 1;
    out.push({ kind: 'global', type, mutable });
    if (!skipConstExpr(s)) {
      // An initializer this reader cannot step over: later globals keep an unknown type.
      for (let j = i + 1; j < n; j++) out.push({ kind: 'global', type: 'unknown', mutable: true });
      return;
    }
  }
}

function skipLeb(s: Reader, maxBytes: number): boolean {
  for (let i = 0; i < maxBytes; i++) if ((s.u8() & 0x80) === 0) return true;
  return false;
}

function skipConstExpr(s: Reader): boolean {
  for (;;) {
    const op = s.u8();
    switch (op) {
      case 0x0b: return true;
      case 0x41: case 0x42: if (!skipLeb(s, 10)) return false; break; // i32.const, i64.const
      case 0x43: s.bytesOf(4); break;
      case 0x44: s.bytesOf(8); break;
      case 0x23: case 0xd2: s.u32(); break; // global.get, ref.func
      case 0xd0: s.u8(); break; // ref.null with an abstract heap type
      case 0x6a: case 0x6b: case 0x6c: case 0x7c: case 0x7d: case 0x7e: break; // extended constants
      case 0xfd: if (s.u32() !== 12) return false; s.bytesOf(16); break; // v128.const
      default: return false;
    }
  }
}

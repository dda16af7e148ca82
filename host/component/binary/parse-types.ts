/**
 * Decoding of component-level types (Binary.md "Type Definitions"): value types, function,
 * component, instance and resource types, their declarators, extern types and names.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { Alias, Decl, ExternType, NameAttribute, PrimName, Sort, TypeDef, ValType } from './ast.js';
import { coreTypeDef, unsupportedFeature } from './parse-core-types.js';
import type { Reader } from './reader.js';

export const PRIMS: Record<number, PrimName> = {
  0x7f: 'bool', 0x7e: 's8', 0x7d: 'u8', 0x7c: 's16', 0x7b: 'u16', 0x7a: 's32', 0x79: 'u32',
  0x78: 's64', 0x77: 'u64', 0x76: 'f32', 0x75: 'f64', 0x74: 'char', 0x73: 'string',
};

const CORE_SORTS: Record<number, Sort> = {
  0x00: 'core func', 0x01: 'core table', 0x02: 'core memory', 0x03: 'core global', 0x04: 'core tag',
  0x10: 'core type', 0x11: 'core module', 0x12: 'core instance',
};

const SORTS: Record<number, Sort> = { 0x01: 'func', 0x02: 'value', 0x03: 'type', 0x04: 'component', 0x05: 'instance' };

export function sort(r: Reader): Sort {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x00) return coreSort(r);
  const s = SORTS[b];
  if (!s) r.fail(`unknown sort 0x${b.toString(16)}`, at);
  return s;
}

export function coreSort(r: Reader): Sort {
  const c = r.u8();
  const core = CORE_SORTS[c];
  if (!core) r.fail(`unknown core sort 0x${c.toString(16)}`, r.pos - 1);
  return core;
}

export function alias(r: Reader): Alias {
  const s = sort(r);
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) return { sort: s, kind: 'export', instance: r.u32(), name: r.name() };
  if (tag === 0x01) return { sort: s, kind: 'core export', instance: r.u32(), name: r.name() };
  if (tag === 0x02) return { sort: s, kind: 'outer', count: r.u32(), index: r.u32() };
  return r.fail(`unknown alias target 0x${tag.toString(16)}`, at);
}

const ATTRIBUTES = ['implements', 'versionsuffix', 'external-id'] as const;

/** Import/export names (`nameattributes`): the name, and its attributes when the 0x02 form is used. */
export function externName(r: Reader): { name: string; attributes?: NameAttribute[] } {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00 || tag === 0x01) return { name: r.name() };
  if (tag === 0x02) {
    const name = r.name();
    const attributes = r.vec(() => {
      const kind = r.u8();
      if (kind > 2) r.fail(`unknown name attribute 0x${kind.toString(16)}`, r.pos - 1);
      return { kind: ATTRIBUTES[kind]!, value: r.name() };
    });
    return { name, attributes };
  }
  return r.fail(`unknown extern name encoding 0x${tag.toString(16)}`, at);
}

export function externType(r: Reader): ExternType {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00:
      if (r.u8() !== 0x11) r.fail('expected a core module type', r.pos - 1);
      return { sort: 'core module', index: r.u32() };
    case 0x01: return { sort: 'func', index: r.u32() };
    case 0x02: throw unsupportedFeature('value imports and exports', at);
    case 0x03: {
      const b = r.u8();
      if (b === 0x00) return { sort: 'type', bound: { kind: 'eq', index: r.u32() } };
      if (b === 0x01) return { sort: 'type', bound: { kind: 'sub-resource' } };
      return r.fail(`unknown type bound 0x${b.toString(16)}`, r.pos - 1);
    }
    case 0x04: return { sort: 'component', index: r.u32() };
    case 0x05: return { sort: 'instance', index: r.u32() };
    default: return r.fail(`unknown extern type 0x${tag.toString(16)}`, at);
  }
}

export function valType(r: Reader): ValType {
  const at = r.pos;
  const v = r.s33();
  if (v >= 0) {
    if (v > 0xffffffff) r.fail('type index out of range', at);
    return v;
  }
  const code = v + 0x80;
  const prim = PRIMS[code];
  if (prim) return prim;
  if (code === 0x64) throw unsupportedFeature('error-context types', at);
  return r.fail(`unknown value type 0x${code.toString(16)}`, at);
}

/** Component and instance types nest; past this depth the decoder refuses (its recursion is bounded). */
const MAX_TYPE_NESTING = 100;

export function typeDef(r: Reader, depth = 0): TypeDef {
  const at = r.pos;
  if (depth > MAX_TYPE_NESTING) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `invalid component at byte ${at}: component and instance types nest more than ${MAX_TYPE_NESTING} deep`, { rule: 'limits/nesting', offset: at });
  }
  const b = r.u8();
  const prim = PRIMS[b];
  if (prim) return { kind: 'prim', name: prim };
  switch (b) {
    case 0x72: return { kind: 'record', fields: r.vec(() => ({ name: r.name(), type: valType(r) })) };
    case 0x71: return {
      kind: 'variant',
      cases: r.vec(() => {
        const name = r.name();
        const type = r.optional(() => valType(r));
        if (r.u8() !== 0x00) r.fail('variant case refinements are not part of the binary format', r.pos - 1);
        return type === undefined ? { name } : { name, type };
      }),
    };
    case 0x70: return { kind: 'list', element: valType(r) };
    case 0x67: return { kind: 'list', element: valType(r), length: r.u32() };
    case 0x6f: return { kind: 'tuple', types: r.vec(() => valType(r)) };
    case 0x6e: return { kind: 'flags', names: r.vec(() => r.name()) };
    case 0x6d: return { kind: 'enum', names: r.vec(() => r.name()) };
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
      const params = r.vec(() => ({ name: r.name(), type: valType(r) }));
      const tag = r.u8();
      let result: ValType | undefined;
      if (tag === 0x00) result = valType(r);
      else if (tag === 0x01) {
        if (r.u32() !== 0) r.fail('named function results are not part of the binary format any more', r.pos - 1);
      } else r.fail(`unknown result list 0x${tag.toString(16)}`, r.pos - 1);
      return { kind: 'func', params, ...(result !== undefined ? { result } : {}), async: b === 0x43 };
    }
    case 0x41: return { kind: 'component', decls: r.vec(() => componentDecl(r, depth)) };
    case 0x42: return { kind: 'instance', decls: r.vec(() => instanceDecl(r, depth)) };
    case 0x3f: {
      const repAt = r.pos;
      const rep = r.u8();
      if (rep === 0x7e) throw unsupportedFeature('64-bit resource representations', repAt);
      if (rep !== 0x7f) r.fail('a resource representation must be i32', repAt);
      const dtor = r.optional(() => r.u32());
      return dtor === undefined ? { kind: 'resource', rep: 'i32' } : { kind: 'resource', rep: 'i32', dtor };
    }
    default: return r.fail(`unknown type constructor 0x${b.toString(16)}`, at);
  }
}

function componentDecl(r: Reader, depth: number): Decl {
  const at = r.pos;
  if (r.peek() === 0x03) {
    r.u8();
    return { kind: 'import', ...externName(r), type: externType(r), at };
  }
  return instanceDecl(r, depth);
}

function instanceDecl(r: Reader, depth: number): Decl {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: return { kind: 'core type', def: coreTypeDef(r), at };
    case 0x01: return { kind: 'type', def: typeDef(r, depth + 1), at };
    case 0x02: return { kind: 'alias', alias: alias(r), at };
    case 0x04: return { kind: 'export', ...externName(r), type: externType(r), at };
    default: return r.fail(`unknown declaration 0x${tag.toString(16)}`, at);
  }
}

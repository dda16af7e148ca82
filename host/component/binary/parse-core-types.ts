/**
 * Core WebAssembly types as they appear in a component (core type sections and module
 * type declarators) and inside core modules: value types, function types, limits and
 * extern types. GC types (rec groups, structs, arrays, typed references) are a feature
 * this host's engine does not run; they are refused as `ERR_COMPONENT_UNSUPPORTED`.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { CoreExternDecl, CoreLimits, CoreModuleDecl, CoreTypeDef, CoreValType } from './ast.js';
import type { Reader } from './reader.js';

const CORE_VALTYPES: Record<number, CoreValType> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref', 0x69: 'exnref',
};

/** Reference type opcodes of the GC and typed-function-references proposals. */
const GC_REFTYPES = new Set([0x63, 0x64, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73, 0x74, 0x68, 0x67, 0x65]);

/** `ERR_COMPONENT_UNSUPPORTED` naming the feature and where the component uses it. */
export function unsupportedFeature(feature: string, at: number | undefined): PluginHostError {
  const where = at === undefined ? '' : ` (at byte ${at})`;
  return new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `the component uses ${feature}${where}, which this host does not support`, {
    feature, ...(at === undefined ? {} : { offset: at }),
  });
}

export function coreValType(r: Reader): CoreValType {
  const at = r.pos;
  const b = r.u8();
  const t = CORE_VALTYPES[b];
  if (t) return t;
  if (GC_REFTYPES.has(b)) throw unsupportedFeature('GC or typed function reference types', at);
  return r.fail(`unknown core value type 0x${b.toString(16)}`, at);
}

export function coreFuncType(r: Reader): { params: CoreValType[]; results: CoreValType[] } {
  return { params: r.vec(() => coreValType(r)), results: r.vec(() => coreValType(r)) };
}

/**
 * Limits of a memory or table. Flag bits: 1 = has maximum, 2 = shared, 4 = 64-bit indices
 * (memory64), 8 = custom page size. The last two are refused as unsupported.
 */
export function limits(r: Reader, what: 'memory' | 'table'): CoreLimits & { shared: boolean } {
  const at = r.pos;
  const flags = r.u8();
  if (flags & 0x04) throw unsupportedFeature(what === 'memory' ? 'memory64 (64-bit memories)' : 'table64 (64-bit tables)', at);
  if (flags & 0x08) throw unsupportedFeature('custom page sizes', at);
  if (flags > 0x03 || (what === 'table' && flags > 0x01)) r.fail(`unknown ${what} limits flags 0x${flags.toString(16)}`, at);
  const min = r.u32();
  const max = flags & 0x01 ? r.u32() : undefined;
  return { min, ...(max === undefined ? {} : { max }), shared: (flags & 0x02) !== 0 };
}

export function coreExternDecl(r: Reader): CoreExternDecl {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: return { kind: 'func', type: r.u32() };
    case 0x01: {
      const element = coreValType(r);
      const { shared: _shared, ...l } = limits(r, 'table');
      return { kind: 'table', element, limits: l };
    }
    case 0x02: {
      const { shared, ...l } = limits(r, 'memory');
      return { kind: 'memory', limits: l, shared };
    }
    case 0x03: {
      const type = coreValType(r);
      const m = r.u8();
      if (m > 1) r.fail(`invalid global mutability 0x${m.toString(16)}`, r.pos - 1);
      return { kind: 'global', type, mutable: m === 1 };
    }
    case 0x04: {
      if (r.u8() !== 0x00) r.fail('a tag type must have attribute 0x00', r.pos - 1);
      return { kind: 'tag', type: r.u32() };
    }
    default: return r.fail(`unknown core extern type 0x${tag.toString(16)}`, at);
  }
}

/**
 * A `core:type` of a component: a function type or a module type. Inside a module type
 * (`inModule`), 0x50 is a GC `sub` type as in core modules, not a module type.
 */
export function coreTypeDef(r: Reader, inModule = false): CoreTypeDef {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x60) return { kind: 'func', ...coreFuncType(r) };
  if (b === 0x50 && !inModule) return { kind: 'module', decls: r.vec(() => coreModuleDecl(r)) };
  if (b === 0x00 || b === 0x4e || b === 0x4f || b === 0x50 || b === 0x5e || b === 0x5f) throw unsupportedFeature('GC core types (rec, sub, struct, array)', at);
  return r.fail(`unknown core type form 0x${b.toString(16)}`, at);
}

function coreModuleDecl(r: Reader): CoreModuleDecl {
  const at = r.pos;
  const tag = r.u8();
  switch (tag) {
    case 0x00: return { kind: 'import', module: r.name(), name: r.name(), type: coreExternDecl(r), at };
    case 0x01: return { kind: 'type', def: coreTypeDef(r, true), at };
    case 0x02: {
      if (r.u8() !== 0x10 || r.u8() !== 0x01) r.fail('a core alias declarator must be an outer alias of a type', at);
      return { kind: 'alias', count: r.u32(), index: r.u32(), at };
    }
    case 0x03: return { kind: 'export', name: r.name(), type: coreExternDecl(r), at };
    default: return r.fail(`unknown core module declaration 0x${tag.toString(16)}`, at);
  }
}

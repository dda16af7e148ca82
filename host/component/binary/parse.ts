/**
 * Decodes a component binary into its list of definitions (see `ast.ts`). Core modules
 * stay as byte ranges; WebAssembly compiles them. Any malformed byte sequence becomes
 * `ERR_COMPONENT_INVALID` (rule `binary-format`) with its offset; a core module given where
 * a component is expected gets a message that says what to do. Decoding checks only the
 * encoding; the rules of the component model are checked by `../validate/`.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { CoreSort, Definition } from './ast.js';
import { canon } from './parse-canon.js';
import { coreTypeDef, unsupportedFeature } from './parse-core-types.js';
import { alias, coreSort, externName, externType, sort, typeDef } from './parse-types.js';
import { Reader } from './reader.js';

const VERSION = 0x0d;

/** Components nested deeper than this are refused before the decoder's recursion gets deep. */
export const MAX_NESTING = 100;

/** Parses a whole component binary. */
export function parseComponent(bytes: Uint8Array): Definition[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', 'not a WebAssembly binary (missing the \\0asm magic number)', { rule: 'binary-format', offset: 0 });
  }
  if (bytes[6] === 0 && bytes[7] === 0) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', 'this is a core WebAssembly module, not a component: turn it into one with `plugin-actors build` (or `wasm-tools component new`)', { rule: 'binary-format', offset: 6 });
  }
  if (bytes[6] !== 1 || bytes[7] !== 0) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `unknown binary layer ${bytes[6]! | (bytes[7]! << 8)}`, { rule: 'binary-format', offset: 6 });
  }
  if (bytes[4] !== VERSION || bytes[5] !== 0) {
    throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `component binary version 0x${bytes[4]!.toString(16)} is not supported (this host reads version 0x0d)`, {
      feature: `component binary version ${bytes[4]! | (bytes[5]! << 8)}`, offset: 4,
    });
  }
  const reader = new Reader(bytes, 8);
  return parseBody(reader, bytes.length, 0);
}

function parseBody(r: Reader, end: number, depth: number): Definition[] {
  const defs: Definition[] = [];
  while (r.pos < end) {
    const sectionAt = r.pos;
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    if (size > end - start) r.fail(`section ${id} of ${size} bytes runs past the end`, sectionAt);
    const s = new Reader(r.bytes, start, start + size);
    const each = (read: () => Definition) => {
      const n = s.u32();
      if (n > s.end - s.pos) s.fail(`a vector of ${n} elements cannot fit in the remaining bytes`);
      for (let i = 0; i < n; i++) {
        const at = s.pos;
        defs.push({ ...read(), at });
      }
    };
    switch (id) {
      case 0: customSection(s); break;
      case 1: defs.push({ kind: 'core module', bytes: s.bytesOf(size), at: start }); break;
      case 2: each(() => coreInstance(s)); break;
      case 3: each(() => ({ kind: 'core type', def: coreTypeDef(s) })); break;
      case 4: defs.push({ ...parseNested(s, start + size, depth + 1), at: sectionAt }); break;
      case 5: each(() => instance(s)); break;
      case 6: each(() => ({ kind: 'alias', alias: alias(s) })); break;
      case 7: each(() => ({ kind: 'type', def: typeDef(s) })); break;
      case 8: each(() => ({ kind: 'canon', canon: canon(s) })); break;
      case 9: throw unsupportedFeature('start functions', sectionAt);
      case 10: each(() => ({ kind: 'import', ...externName(s), type: externType(s) })); break;
      case 11: each(() => exportDef(s)); break;
      case 12: throw unsupportedFeature('value definitions', sectionAt);
      default: r.fail(`unknown section id ${id}`, sectionAt);
    }
    if (s.pos !== start + size) s.fail(`section ${id} has ${start + size - s.pos} trailing bytes`);
    r.pos = start + size;
  }
  return defs;
}

/** A custom section's content is free-form, but its name must be a valid UTF-8 name. */
function customSection(s: Reader): void {
  s.name();
  s.pos = s.end;
}

function parseNested(s: Reader, end: number, depth: number): Extract<Definition, { kind: 'component' }> {
  const at = s.pos;
  if (depth > MAX_NESTING) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `invalid component at byte ${at}: components nest more than ${MAX_NESTING} deep`, { rule: 'limits/nesting', offset: at });
  }
  const b = s.bytesOf(8);
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) s.fail('a nested component does not start with \\0asm', at);
  if (b[6] !== 1 || b[7] !== 0) s.fail('a nested component section must hold a component (layer 1), not a core module', at + 6);
  if (b[4] !== VERSION || b[5] !== 0) s.fail(`a nested component has version 0x${b[4]!.toString(16)}; components nest only the version of their parent (0x0d)`, at + 4);
  return { kind: 'component', body: parseBody(s, end, depth) };
}

function coreInstance(r: Reader): Definition {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) {
    const module = r.u32();
    const args = r.vec(() => {
      const name = r.name();
      if (r.u8() !== 0x12) r.fail('core instantiate arguments must be instances', r.pos - 1);
      return { name, instance: r.u32() };
    });
    return { kind: 'core instance', expr: { kind: 'instantiate', module, args } };
  }
  if (tag === 0x01) {
    const exports = r.vec(() => ({ name: r.name(), sort: coreSort(r) as CoreSort, index: r.u32() }));
    return { kind: 'core instance', expr: { kind: 'exports', exports } };
  }
  return r.fail(`unknown core instance expression 0x${tag.toString(16)}`, at);
}

function instance(r: Reader): Definition {
  const at = r.pos;
  const tag = r.u8();
  if (tag === 0x00) {
    const component = r.u32();
    const args = r.vec(() => ({ name: r.name(), sort: sort(r), index: r.u32() }));
    return { kind: 'instance', expr: { kind: 'instantiate', component, args } };
  }
  if (tag === 0x01) {
    const exports = r.vec(() => ({ ...externName(r), sort: sort(r), index: r.u32() }));
    return { kind: 'instance', expr: { kind: 'exports', exports } };
  }
  return r.fail(`unknown instance expression 0x${tag.toString(16)}`, at);
}

function exportDef(r: Reader): Definition {
  const name = externName(r);
  const s = sort(r);
  const index = r.u32();
  const type = r.optional(() => externType(r));
  return { kind: 'export', ...name, sort: s, index, ...(type ? { type } : {}) };
}

/**
 * Memory limits without touching guest code: before a core module is compiled, each linear
 * memory it defines becomes a memory it imports (same index, same initial size, same
 * declared maximum). Each instantiation then supplies a `WebAssembly.Memory` whose maximum
 * is the plugin's `memoryBytes`, so `memory.grow` past the limit returns -1 — the refused
 * grow of wasmtime's limiter — and the compiled module stays independent of any limit
 * (cached once, shared by plugins with different limits, sent to workers as is).
 *
 * The declared sizes travel in the import's field name, so any thread holding the module
 * can instantiate it. Modules that already import a memory, or use encodings this rewrite
 * does not know (shared or 64-bit memories), are left as they are (and are not limited).
 */
import { PluginHostError } from '../../common/errors.js';
import { assemble, concat, encodeName, encodeUleb, readImports, section, splitSections, uleb, Unrecognized, type Section } from './wasm-sections.js';

/** The import module name of the memories the host supplies. */
export const MEMORY_IMPORT_MODULE = 'plugin-actors:memory';
const PAGE = 65_536;
const MAX_PAGES = 65_536;

/** The module with its defined memories turned into imports, or the bytes unchanged. */
export function withImportedMemories(bytes: Uint8Array): Uint8Array {
  try {
    return rewrite(bytes) ?? bytes;
  } catch (e) {
    // Malformed input is for the compiler to report, with its own message.
    if (e instanceof Unrecognized || e instanceof RangeError) return bytes;
    throw e;
  }
}

function rewrite(bytes: Uint8Array): Uint8Array | undefined {
  const sections = splitSections(bytes);
  const memory = sections.find((s) => s.id === 5);
  if (!memory) return undefined;
  const imports = sections.find((s) => s.id === 2);
  const existing = imports ? readImports(bytes, imports) : { count: 0, entriesStart: 0, memories: 0 };
  if (existing.memories > 0) return undefined;

  // The defined memories, as `min:max` (max empty when undeclared).
  let p = memory.contentStart;
  let count: number;
  [count, p] = uleb(bytes, p);
  const added: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const flags = bytes[p++];
    if (flags !== 0 && flags !== 1) throw new Unrecognized();
    let min: number;
    let max: number | undefined;
    [min, p] = uleb(bytes, p);
    if (flags === 1) [max, p] = uleb(bytes, p);
    added.push(importEntry(`${i}:${min}:${max ?? ''}`, flags, min, max));
  }
  if (p !== memory.end) throw new Unrecognized();

  const entries = imports ? bytes.subarray(existing.entriesStart, imports.end) : new Uint8Array(0);
  const importSection = section(2, concat([encodeUleb(existing.count + count), entries, ...added]));
  const replace = new Map<Section, Uint8Array | undefined>([[memory, undefined]]);
  if (imports) replace.set(imports, importSection);
  return assemble(bytes, sections, replace, imports ? [] : [{ id: 2, bytes: importSection }]);
}

function importEntry(field: string, flags: number, min: number, max: number | undefined): Uint8Array {
  return concat([encodeName(MEMORY_IMPORT_MODULE), encodeName(field), Uint8Array.of(0x02, flags), encodeUleb(min), ...(max === undefined ? [] : [encodeUleb(max)])]);
}

/** The memories to supply to an instance of `module`, as the plugin's limit allows. */
export function limitedMemories(module: WebAssembly.Module, memoryBytes: number | undefined): Record<string, WebAssembly.Memory> | undefined {
  let fields = memoryFields.get(module);
  if (!fields) {
    fields = WebAssembly.Module.imports(module).filter((i) => i.module === MEMORY_IMPORT_MODULE && i.kind === 'memory').map((i) => i.name);
    memoryFields.set(module, fields);
  }
  if (fields.length === 0) return undefined;
  const limitPages = memoryBytes === undefined ? MAX_PAGES : Math.floor(memoryBytes / PAGE);
  const memories: Record<string, WebAssembly.Memory> = {};
  for (const field of fields) {
    const [, minText, maxText] = field.split(':');
    const initial = Number(minText);
    const declared = maxText === '' || maxText === undefined ? MAX_PAGES : Number(maxText);
    if (initial > limitPages) {
      throw new PluginHostError('ERR_MEMORY_LIMIT', `the plugin's memory starts at ${initial * PAGE} bytes, more than its limit of ${limitPages * PAGE} (limits.memoryBytes)`);
    }
    memories[field] = new WebAssembly.Memory({ initial, maximum: Math.min(declared, limitPages) });
  }
  return memories;
}

const memoryFields = new WeakMap<WebAssembly.Module, string[]>();

/**
 * Interruptible guests (docs/security.md): before a core module is compiled, it gets a
 * mutable i32 fuel global, an imported `refuel` function, and a fuel check at every
 * function entry and loop header (`fuel-code.ts`). The host's `refuel` (`interrupt.ts`)
 * looks at the running call's deadline and signal: it grants more fuel, or throws, and keeps
 * throwing until the call has unwound. A guest looping in the host's thread is so stopped
 * within a bounded amount of work after its deadline.
 *
 * The rewrite adds one function import (the defined functions' indices shift by one:
 * calls, `ref.func`, exports, elements, the start function and the name section follow),
 * one function type, one global and one local per function. Modules it cannot read
 * completely are refused (`ERR_COMPONENT_UNSUPPORTED`): running them uninstrumented would
 * break the promise the `interruptible` option makes.
 */
import { PluginHostError } from '../../common/errors.js';
import { instrumentBody, instrumentConstExpr, Out, valType, type BodyContext } from './fuel-code.js';
import { assemble, concat, encodeName, encodeUleb, readImports, section, splitSections, uleb, Unrecognized, type Section } from './wasm-sections.js';

/** The import module of the `refuel` function the host supplies. */
export const FUEL_IMPORT_MODULE = 'plugin-actors:fuel';
export const REFUEL_IMPORT = 'refuel';
export { FUEL_GRANT } from './fuel-code.js';

/**
 * The module with fuel checks; unchanged when it defines no function.
 * @throws ERR_COMPONENT_UNSUPPORTED for code the rewrite does not understand
 */
export function withFuelChecks(bytes: Uint8Array): Uint8Array {
  try {
    return rewrite(bytes) ?? bytes;
  } catch (e) {
    if (e instanceof Unrecognized || e instanceof RangeError) {
      throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', 'a core module uses instructions or encodings the fuel instrumentation does not know; load the plugin with interruptible: false or isolation: \'worker\'', { feature: 'fuel instrumentation', cause: e });
    }
    throw e;
  }
}

function rewrite(bytes: Uint8Array): Uint8Array | undefined {
  const sections = splitSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const code = find(10);
  if (!code) return undefined;
  const replace = new Map<Section, Uint8Array | undefined>();
  const added: { id: number; bytes: Uint8Array }[] = [];

  // Types: the parameter counts of function types, and `[] -> [i32]` for refuel appended.
  const typeSection = find(1);
  const params: number[] = [];
  let typeEntries: Uint8Array = new Uint8Array(0);
  if (typeSection) {
    let [n, p] = uleb(bytes, typeSection.contentStart);
    const start = p;
    for (let i = 0; i < n; i++) {
      if (bytes[p++] !== 0x60) throw new Unrecognized();
      let count: number;
      [count, p] = uleb(bytes, p);
      params.push(count);
      for (let j = 0; j < count; j++) p = valType(bytes, p);
      [count, p] = uleb(bytes, p);
      for (let j = 0; j < count; j++) p = valType(bytes, p);
    }
    if (p !== typeSection.end) throw new Unrecognized();
    typeEntries = bytes.subarray(start, p);
  }
  const refuelType = params.length;
  const types = section(1, concat([encodeUleb(params.length + 1), typeEntries, Uint8Array.of(0x60, 0x00, 0x01, 0x7f)]));
  if (typeSection) replace.set(typeSection, types); else added.push({ id: 1, bytes: types });

  // Imports: refuel is the last imported function.
  const importSection = find(2);
  const imports = importSection ? readImports(bytes, importSection) : { count: 0, entriesStart: 0, funcs: 0, globals: 0, memories: 0 };
  const refuelEntry = concat([encodeName(FUEL_IMPORT_MODULE), encodeName(REFUEL_IMPORT), Uint8Array.of(0x00), encodeUleb(refuelType)]);
  const importBytes = section(2, concat([encodeUleb(imports.count + 1), importSection ? bytes.subarray(imports.entriesStart, importSection.end) : new Uint8Array(0), refuelEntry]));
  if (importSection) replace.set(importSection, importBytes); else added.push({ id: 2, bytes: importBytes });
  const importedFuncs = imports.funcs;
  const shift = (f: number) => (f >= importedFuncs ? f + 1 : f);

  // Globals: the existing ones (initializers may name functions), then the fuel counter.
  const globalSection = find(6);
  const globals = new Out();
  let definedGlobals = 0;
  if (globalSection) {
    let p: number;
    [definedGlobals, p] = uleb(bytes, globalSection.contentStart);
    for (let i = 0; i < definedGlobals; i++) {
      const typeStart = p;
      p = valType(bytes, p) + 1;
      globals.put(bytes.subarray(typeStart, p));
      p = instrumentConstExpr(bytes, p, importedFuncs, globals);
    }
    if (p !== globalSection.end) throw new Unrecognized();
  }
  const fuel = imports.globals + definedGlobals;
  globals.put(Uint8Array.of(0x7f, 0x01, 0x41));
  globals.byte(0x00); // none at first: the first check asks `refuel`
  globals.byte(0x0b);
  const globalBytes = section(6, concat([encodeUleb(definedGlobals + 1), globals.result()]));
  if (globalSection) replace.set(globalSection, globalBytes); else added.push({ id: 6, bytes: globalBytes });

  // The defined functions' types, for their parameter counts.
  const funcTypes: number[] = [];
  const funcSection = find(3);
  if (funcSection) {
    let [n, p] = uleb(bytes, funcSection.contentStart);
    for (let i = 0; i < n; i++) { let t: number; [t, p] = uleb(bytes, p); funcTypes.push(t); }
  }

  const exportSection = find(7);
  if (exportSection) replace.set(exportSection, rewriteExports(bytes, exportSection, shift));
  const start = find(8);
  if (start) replace.set(start, section(8, encodeUleb(shift(uleb(bytes, start.contentStart)[0]))));
  const elements = find(9);
  if (elements) replace.set(elements, rewriteElements(bytes, elements, importedFuncs));

  const ctx: BodyContext = { importedFuncs, refuel: importedFuncs, fuel, paramsOf: (t) => params[t] };
  const out = new Out();
  const body = new Out();
  let [n, p] = uleb(bytes, code.contentStart);
  if (n !== funcTypes.length) throw new Unrecognized();
  out.u32(n);
  for (let i = 0; i < n; i++) {
    let size: number;
    [size, p] = uleb(bytes, p);
    const paramCount = params[funcTypes[i]!];
    if (paramCount === undefined) throw new Unrecognized();
    instrumentBody(bytes, p, p + size, paramCount, ctx, body);
    out.u32(body.length);
    out.put(body.view());
    p += size;
  }
  if (p !== code.end) throw new Unrecognized();
  replace.set(code, section(10, out.result()));

  for (const s of sections) {
    if (s.id === 0 && customName(bytes, s) === 'name') replace.set(s, rewriteNames(bytes, s, shift));
  }
  return assemble(bytes, sections, replace, added);
}

function rewriteExports(bytes: Uint8Array, s: Section, shift: (f: number) => number): Uint8Array {
  const out = new Out();
  let [n, p] = uleb(bytes, s.contentStart);
  out.u32(n);
  for (let i = 0; i < n; i++) {
    const nameStart = p;
    let len: number;
    [len, p] = uleb(bytes, p);
    p += len;
    const kind = bytes[p++]!;
    out.put(bytes.subarray(nameStart, p));
    let index: number;
    [index, p] = uleb(bytes, p);
    out.u32(kind === 0x00 ? shift(index) : index);
  }
  if (p !== s.end) throw new Unrecognized();
  return section(7, out.result());
}

/** Element segments: function indices in any of the eight encodings. */
function rewriteElements(bytes: Uint8Array, s: Section, importedFuncs: number): Uint8Array {
  const out = new Out();
  let [n, p] = uleb(bytes, s.contentStart);
  out.u32(n);
  for (let i = 0; i < n; i++) {
    let flags: number;
    [flags, p] = uleb(bytes, p);
    if (flags > 7) throw new Unrecognized();
    out.u32(flags);
    if (flags === 2 || flags === 6) { const at = p; [, p] = uleb(bytes, p); out.put(bytes.subarray(at, p)); } // table index
    if ((flags & 1) === 0) p = instrumentConstExpr(bytes, p, importedFuncs, out); // active: offset
    if (flags & 3) { // element kind (0x00) or reference type
      const at = p;
      p = flags & 4 ? valType(bytes, p) : p + 1;
      out.put(bytes.subarray(at, p));
    }
    let count: number;
    [count, p] = uleb(bytes, p);
    out.u32(count);
    for (let j = 0; j < count; j++) {
      if (flags & 4) p = instrumentConstExpr(bytes, p, importedFuncs, out);
      else { let f: number; [f, p] = uleb(bytes, p); out.u32(f >= importedFuncs ? f + 1 : f); }
    }
  }
  if (p !== s.end) throw new Unrecognized();
  return section(9, out.result());
}

function customName(bytes: Uint8Array, s: Section): string | undefined {
  try {
    const [len, p] = uleb(bytes, s.contentStart);
    return new TextDecoder().decode(bytes.subarray(p, p + len));
  } catch {
    return undefined;
  }
}

/**
 * The name section with function indices shifted: function names (1) and local names (2)
 * are kept, other subsections (labels, types, …) are left out. A name section this cannot
 * read is left out whole: names only label stack traces.
 */
function rewriteNames(bytes: Uint8Array, s: Section, shift: (f: number) => number): Uint8Array | undefined {
  try {
    let [len, p] = uleb(bytes, s.contentStart);
    p += len;
    const out = new Out();
    out.put(encodeName('name'));
    while (p < s.end) {
      const id = bytes[p++]!;
      let size: number;
      [size, p] = uleb(bytes, p);
      const end = p + size;
      if (end > s.end) return undefined;
      if (id === 1 || id === 2) {
        const sub = new Out();
        let q = p;
        let n: number;
        [n, q] = uleb(bytes, q);
        sub.u32(n);
        for (let i = 0; i < n; i++) {
          let f: number;
          [f, q] = uleb(bytes, q);
          sub.u32(shift(f));
          const at = q;
          if (id === 1) { let l: number; [l, q] = uleb(bytes, q); q += l; } else {
            let m: number;
            [m, q] = uleb(bytes, q);
            for (let j = 0; j < m; j++) { [, q] = uleb(bytes, q); let l: number; [l, q] = uleb(bytes, q); q += l; }
          }
          sub.put(bytes.subarray(at, q));
        }
        if (q !== end) return undefined;
        const content = sub.result();
        out.byte(id);
        out.u32(content.length);
        out.put(content);
      }
      p = end;
    }
    return section(0, out.result());
  } catch {
    return undefined;
  }
}

/**
 * A core function that calls whatever function a one-slot table holds, for a link between
 * two inline instances whose values pass through (`core-entry.ts`): the importer imports
 * the trampoline, the slot holds the target's core export, and the call goes from wasm to
 * wasm with no JavaScript in between. The slot is swapped when the target restarts or ends
 * (to a JavaScript fallback, which produces the typed errors), so the importer never needs
 * to be instantiated again.
 *
 * The trampoline raises a flag for the time the slot's function runs. A trap there unwinds
 * through the importer without passing any JavaScript, so the flag, still raised, is how
 * the importer's failure handling learns that the trap was the target's.
 *
 *   (func (param …) (result …)
 *     i32.const 1  global.set $in
 *     local.get 0 … local.get n-1  i32.const 0  call_indirect $sig
 *     i32.const 0  global.set $in)
 */
import { unalias, type Type } from '../../../common/wit/model.js';
import { concat, encodeName, encodeUleb, section } from '../wasm-sections.js';

type CoreFunction = (...core: unknown[]) => unknown;

export interface Trampoline {
  /** The importer's core import. */
  readonly call: CoreFunction;
  /** Calls go to `core` (a target's exported core function of this signature). */
  arm(core: CoreFunction): void;
  /** Calls go to the fallback. */
  disarm(): void;
  /** True after a call into the slot's function did not return (it trapped or threw). */
  readonly interrupted: boolean;
  /** Lowers the flag (the failure it stood for has been dealt with). */
  clear(): void;
}

const VALTYPE: Record<string, number> = { s32: 0x7f, u32: 0x7f, s64: 0x7e, u64: 0x7e, f32: 0x7d, f64: 0x7c };

function valType(type: Type): number {
  const code = VALTYPE[unalias(type).kind];
  if (code === undefined) throw new Error(`internal: ${unalias(type).kind} does not pass through a trampoline`);
  return code;
}

const FUNCREF = 0x70;
const I32 = 0x7f;

function funcType(params: readonly number[], results: readonly number[]): Uint8Array {
  return concat([Uint8Array.of(0x60), encodeUleb(params.length), Uint8Array.from(params), encodeUleb(results.length), Uint8Array.from(results)]);
}

function header(): Uint8Array {
  return Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
}

function vector(items: readonly Uint8Array[]): Uint8Array {
  return concat([encodeUleb(items.length), ...items]);
}

function trampolineBytes(params: readonly number[], results: readonly number[]): Uint8Array {
  // The slot and the flag are the module's own (exported), not imported: its code then
  // reaches them without an indirection.
  const code: number[] = [0x00, 0x41, 0x01, 0x24, 0x00];
  params.forEach((_, i) => code.push(0x20, ...encodeUleb(i)));
  code.push(0x41, 0x00, 0x11, 0x00, 0x00, 0x41, 0x00, 0x24, 0x00, 0x0b);
  return concat([
    header(),
    section(1, vector([funcType(params, results)])),
    section(3, vector([encodeUleb(0)])),
    section(4, vector([Uint8Array.of(FUNCREF, 0x01, 0x01, 0x01)])),
    section(6, vector([Uint8Array.of(I32, 0x01, 0x41, 0x00, 0x0b)])),
    section(7, vector([
      concat([encodeName('call'), Uint8Array.of(0x00, 0x00)]),
      concat([encodeName('slot'), Uint8Array.of(0x01, 0x00)]),
      concat([encodeName('in'), Uint8Array.of(0x03, 0x00)]),
    ])),
    section(10, vector([concat([encodeUleb(code.length), Uint8Array.from(code)])])),
  ]);
}

/** A module that makes a JavaScript function a wasm function of the signature (tables hold only those). */
function wrapperBytes(params: readonly number[], results: readonly number[]): Uint8Array {
  return concat([
    header(),
    section(1, vector([funcType(params, results)])),
    section(2, vector([concat([encodeName('f'), encodeName('f'), Uint8Array.of(0x00, 0x00)])])),
    section(7, vector([concat([encodeName('f'), Uint8Array.of(0x00, 0x00)])])),
  ]);
}

const modules = new Map<string, { trampoline: WebAssembly.Module; wrapper: WebAssembly.Module }>();

function modulesFor(params: readonly number[], results: readonly number[]) {
  const key = `${params.join(',')}:${results.join(',')}`;
  let m = modules.get(key);
  if (!m) {
    m = { trampoline: new WebAssembly.Module(trampolineBytes(params, results) as Uint8Array<ArrayBuffer>), wrapper: new WebAssembly.Module(wrapperBytes(params, results) as Uint8Array<ArrayBuffer>) };
    modules.set(key, m);
  }
  return m;
}

/** A trampoline for a signature that passes through (`passesThrough`), calling `fallback` while disarmed. */
export function coreTrampoline(sig: { readonly params: readonly { readonly type: Type }[]; readonly result?: Type | undefined }, fallback: CoreFunction): Trampoline {
  const params = sig.params.map((p) => valType(p.type));
  const results = sig.result === undefined ? [] : [valType(sig.result)];
  const { trampoline, wrapper } = modulesFor(params, results);
  const wrapped = new WebAssembly.Instance(wrapper, { f: { f: fallback } }).exports.f as CoreFunction;
  const exports = new WebAssembly.Instance(trampoline, {}).exports as { call: CoreFunction; slot: WebAssembly.Table; in: WebAssembly.Global };
  const { call, slot, in: flag } = exports;
  slot.set(0, wrapped);
  return {
    call,
    arm(core) { slot.set(0, core); },
    disarm() { slot.set(0, wrapped); },
    get interrupted() { return flag.value !== 0; },
    clear() { flag.value = 0; },
  };
}

// The trampoline of direct links (host/component/canon/core-trampoline.ts) and which
// signatures may use one (core-entry.ts): calls reach the armed wasm function, the fallback
// while disarmed, and the flag stays raised exactly when the armed function did not return.
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { passesThrough } from '../../../host/component/canon/core-entry.js';
import { coreTrampoline } from '../../../host/component/canon/core-trampoline.js';
import type { Type } from '../../../common/wit/model.js';

type Fn = (...a: unknown[]) => unknown;

async function wasmFunctions(): Promise<Record<string, Fn>> {
  const bytes = await parse(`(module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "trap") (param i32 i32) (result i32) unreachable)
    (func (export "wide") (param i64 f64) (result f64) (f64.add (f64.convert_i64_s (local.get 0)) (local.get 1))))`);
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  return new WebAssembly.Instance(module, {}).exports as unknown as Record<string, Fn>;
}

const u32: Type = { kind: 'u32' };
const sig = { params: [{ type: u32 }, { type: u32 }], result: u32 };

describe('core trampoline', () => {
  it('calls the fallback while disarmed and the armed function once armed, wasm to wasm', async () => {
    const fns = await wasmFunctions();
    const seen: unknown[][] = [];
    const t = coreTrampoline(sig, (a, b) => { seen.push([a, b]); return -1; });
    expect(t.call(2, 3)).toBe(-1);
    expect(seen).toEqual([[2, 3]]);
    t.arm(fns.add!);
    expect(t.call(2, 3)).toBe(5);
    // Core i32 values: what a u32 above 2^31 is on the wasm side.
    expect(t.call(0x7fffffff, 1)).toBe(-0x80000000);
    t.disarm();
    expect(t.call(4, 5)).toBe(-1);
    expect(seen).toHaveLength(2);
    expect(t.interrupted).toBe(false);
  });

  it('keeps its flag raised when the armed function traps, until cleared', async () => {
    const fns = await wasmFunctions();
    const t = coreTrampoline(sig, () => 0);
    t.arm(fns.trap!);
    expect(() => t.call(1, 2)).toThrow(WebAssembly.RuntimeError);
    expect(t.interrupted).toBe(true);
    t.clear();
    expect(t.interrupted).toBe(false);
    t.arm(fns.add!);
    expect(t.call(1, 2)).toBe(3);
    expect(t.interrupted).toBe(false);
  });

  it('raises the flag for a JavaScript exception out of the fallback too (the fallback clears it itself)', () => {
    const t = coreTrampoline(sig, () => { throw new Error('no'); });
    expect(() => t.call(1, 2)).toThrow('no');
    expect(t.interrupted).toBe(true);
  });

  it('takes 64-bit integers and floats', async () => {
    const fns = await wasmFunctions();
    const t = coreTrampoline({ params: [{ type: { kind: 's64' } }, { type: { kind: 'f64' } }], result: { kind: 'f64' } }, () => 0);
    t.arm(fns.wide!);
    expect(t.call(40n, 2.5)).toBe(42.5);
  });

  it('refuses an armed function of another signature at the call (a trap, not a wrong value)', async () => {
    const fns = await wasmFunctions();
    const t = coreTrampoline({ params: [{ type: u32 }], result: u32 }, () => 0);
    t.arm(fns.add!);
    expect(() => t.call(1)).toThrow(WebAssembly.RuntimeError);
  });
});

describe('which signatures pass core values through', () => {
  const p = (...kinds: string[]) => kinds.map((kind) => ({ type: { kind } as Type }));
  it.each(['s32', 'u32', 's64', 'u64', 'f32', 'f64'])('%s does', (kind) => {
    expect(passesThrough({ params: p(kind, kind), result: { kind } as Type })).toBe(true);
  });
  it.each(['bool', 'char', 'u8', 's8', 'u16', 's16', 'string'])('%s does not (lifting it normalises or checks it)', (kind) => {
    expect(passesThrough({ params: p(kind) })).toBe(false);
    expect(passesThrough({ params: [], result: { kind } as Type })).toBe(false);
  });
  it('an enum, a record or a list does not; more than 16 parameters do not', () => {
    expect(passesThrough({ params: [{ type: { kind: 'list', element: { kind: 'u32' } } }] })).toBe(false);
    expect(passesThrough({ params: [{ type: { kind: 'enum', name: 'e', cases: [{ name: 'a' }], owner: { kind: 'none' } } as unknown as Type }] })).toBe(false);
    expect(passesThrough({ params: p(...Array<string>(17).fill('u32')) })).toBe(false);
    expect(passesThrough({ params: p(...Array<string>(16).fill('u32')) })).toBe(true);
  });
});

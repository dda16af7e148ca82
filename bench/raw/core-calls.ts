/**
 * Hand-written lowering of the bench component's exports on its core instance: the floor
 * any component runtime pays (encode, call, decode, post-return). No library code, so a
 * fresh process can use it as the raw side of cold start.
 */

export interface HandLowered {
  greet(name: string): string;
  sum(values: Uint32Array): bigint;
  newCounter(start: number): number;
  increment(rep: number, by: number): number;
}

const API = 'bench:calls/api@0.1.0';

export function coreCalls(instance: WebAssembly.Instance): HandLowered {
  const x = instance.exports as Record<string, (...a: never[]) => unknown> & { memory: WebAssembly.Memory };
  const realloc = x.cabi_realloc as (a: number, b: number, c: number, d: number) => number;
  const greet = x[`${API}#greet`] as (p: number, n: number) => number;
  const greetPost = x[`cabi_post_${API}#greet`] as (p: number) => void;
  const sum = x[`${API}#sum`] as (p: number, n: number) => bigint;
  const ctor = x[`${API}#[constructor]counter`] as (n: number) => number;
  const increment = x[`${API}#[method]counter.increment`] as (rep: number, by: number) => number;
  const memory = x.memory;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    greet(name) {
      const ptr = realloc(0, 0, 1, name.length * 3);
      const { written } = encoder.encodeInto(name, new Uint8Array(memory.buffer, ptr, name.length * 3));
      const ret = greet(ptr, written);
      const view = new DataView(memory.buffer);
      const out = decoder.decode(new Uint8Array(memory.buffer, view.getUint32(ret, true), view.getUint32(ret + 4, true)));
      greetPost(ret);
      return out;
    },
    sum(values) {
      const ptr = realloc(0, 0, 4, values.byteLength);
      new Uint8Array(memory.buffer).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), ptr);
      return BigInt.asUintN(64, sum(ptr, values.length));
    },
    newCounter: (start) => ctor(start),
    increment: (rep, by) => increment(rep, by) >>> 0,
  };
}

// The benchmark plugin: small calls, so the figures measure the boundary, not the work.
export function greet(name: string): string {
  return "Hello, " + name + "!";
}

export function sum(values: Uint32Array): u64 {
  let total: u64 = 0;
  for (let i = 0; i < values.length; i++) total += <u64>unchecked(values[i]);
  return total;
}

export function work(rounds: u32): u32 {
  let x: u32 = 2166136261;
  for (let i: u32 = 0; i < rounds; i++) x = (x ^ i) * 16777619;
  return x;
}

export class Counter {
  private value: u32;

  constructor(start: u32) {
    this.value = start;
  }

  increment(by: u32): u32 {
    this.value += by;
    return this.value;
  }
}

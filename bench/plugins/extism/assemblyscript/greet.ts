// The cold-start and call baseline for Extism: the same `greet` as the bench component,
// written against Extism's host ABI (the `extism:host/env` imports its SDKs provide), the
// way Extism's plugin kits do it: the input is copied into linear memory in 8-byte words,
// the greeting built there, copied out into a block Extism allocates, and set as output.
@external("extism:host/env", "input_length") declare function input_length(): u64;
@external("extism:host/env", "input_load_u64") declare function input_load_u64(offset: u64): u64;
@external("extism:host/env", "input_load_u8") declare function input_load_u8(offset: u64): u8;
@external("extism:host/env", "alloc") declare function extism_alloc(length: u64): u64;
@external("extism:host/env", "store_u64") declare function store_u64(offset: u64, value: u64): void;
@external("extism:host/env", "store_u8") declare function store_u8(offset: u64, value: u8): void;
@external("extism:host/env", "output_set") declare function output_set(offset: u64, length: u64): void;

const PREFIX = "Hello, ";

function readInput(into: usize, length: u64): void {
  let i: u64 = 0;
  for (; i + 8 <= length; i += 8) store<u64>(into + <usize>i, input_load_u64(i));
  for (; i < length; i++) store<u8>(into + <usize>i, input_load_u8(i));
}

function writeOutput(from: usize, length: u64): void {
  const block = extism_alloc(length);
  let i: u64 = 0;
  for (; i + 8 <= length; i += 8) store_u64(block + i, load<u64>(from + <usize>i));
  for (; i < length; i++) store_u8(block + i, load<u8>(from + <usize>i));
  output_set(block, length);
}

export function greet(): i32 {
  const nameLength = input_length();
  const prefix = String.UTF8.encode(PREFIX);
  const prefixLength = <u64>prefix.byteLength;
  const total = prefixLength + nameLength + 1;
  const out = heap.alloc(<usize>total);
  memory.copy(out, changetype<usize>(prefix), <usize>prefixLength);
  readInput(out + <usize>prefixLength, nameLength);
  store<u8>(out + <usize>(total - 1), 0x21); // "!"
  writeOutput(out, total);
  heap.free(out);
  return 0;
}

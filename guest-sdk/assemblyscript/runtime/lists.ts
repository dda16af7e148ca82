// Lists of numbers cross as one memory copy each way; other lists are walked by the glue.
import { allocTracked } from "./memory";

/** Copies `len` elements of `elemSize` bytes into a new typed array `T`; frees the source when owned. */
export function liftTypedArray<T>(ptr: usize, len: i32, elemSize: i32, owned: bool): T {
  const out = instantiate<T>(len);
  // @ts-ignore: typed arrays have dataStart
  if (len > 0) memory.copy(out.dataStart, ptr, <usize>len * <usize>elemSize);
  if (owned && len > 0) heap.free(ptr);
  return out;
}

/** Copies a typed array into a tracked buffer and returns its address. */
export function lowerTypedArray<T>(value: T, align: usize): usize {
  // @ts-ignore: typed arrays have byteLength and dataStart
  const bytes = <usize>value.byteLength;
  const ptr = allocTracked(bytes, align);
  // @ts-ignore
  if (bytes > 0) memory.copy(ptr, value.dataStart, bytes);
  return ptr;
}

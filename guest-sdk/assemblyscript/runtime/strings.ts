// Strings cross the boundary as UTF-8 (ptr, byte length). AssemblyScript strings are UTF-16;
// lone surrogates become U+FFFD on the way out, so the host always receives valid UTF-8.
import { allocTracked } from "./memory";

let loweredLength: usize = 0;

/** Decodes a UTF-8 string from memory; frees the buffer when the glue owns it. */
export function liftString(ptr: usize, len: usize, owned: bool): string {
  if (len == 0) return "";
  const s = String.UTF8.decodeUnsafe(ptr, len, false);
  if (owned) heap.free(ptr);
  return s;
}

/** Encodes a string into a tracked buffer; returns the pointer (length: `lastLength()`). */
export function lowerString(s: string): usize {
  const units = s.length;
  if (units == 0) {
    loweredLength = 0;
    return 1;
  }
  const len = <usize>String.UTF8.byteLength(s, false);
  const ptr = allocTracked(len, 1);
  String.UTF8.encodeUnsafe(changetype<usize>(s), units, ptr, false, String.UTF8.ErrorMode.REPLACE);
  loweredLength = len;
  return ptr;
}

/** The byte length of the string `lowerString` encoded last. */
export function lastLength(): usize {
  return loweredLength;
}

// Memory for the Canonical ABI: the `cabi_realloc` the host allocates with, and the
// allocations the glue makes for values it hands to the host (freed after the call).

/** The allocator the host calls to place arguments and results in this module's memory. */
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (newSize == 0) {
    if (oldPtr != 0 && oldSize != 0) heap.free(oldPtr);
    return align;
  }
  if (oldPtr == 0 || oldSize == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

// Pointers the glue allocated for the current call; freed by post-return or after an import call.
const tracked = new Array<usize>();

/** Allocates `size` bytes the glue frees with `freeTracked`. A zero size allocates nothing. */
export function allocTracked(size: usize, align: usize): usize {
  if (size == 0) return align;
  const ptr = heap.alloc(size);
  tracked.push(ptr);
  return ptr;
}

/** Frees what `allocTracked` allocated since the mark (0 = everything). */
export function freeTracked(mark: i32 = 0): void {
  for (let i = tracked.length - 1; i >= mark; i--) heap.free(unchecked(tracked[i]));
  tracked.length = mark;
}

/** A mark for `freeTracked`, so an import call frees only its own arguments. */
export function trackedMark(): i32 {
  return tracked.length;
}

/** Frees a buffer the host allocated with `cabi_realloc` (zero-sized ones were never allocated). */
export function freeHostBuffer(ptr: usize, size: usize): void {
  if (size != 0) heap.free(ptr);
}

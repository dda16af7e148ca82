/**
 * One private copy per distinct content. A wasm spec keeps a copy of the bytes it was given
 * (the application may change its array afterwards) for the load and for every restart; a
 * thousand plugins loaded from the same bytes would keep a thousand identical copies — for
 * the bench component, 18 KiB each, most of what an instance cost beyond its core instances.
 *
 * Copies are found by length and confirmed by comparing the bytes (a memcmp, cheaper than
 * hashing), held weakly so that a copy no spec uses any more is collected. Nothing writes to
 * a copy: it is read, checked and compiled, never handed back to the application.
 */
const copies = new Map<number, WeakRef<Uint8Array>[]>();
const collected = new FinalizationRegistry<number>((length) => {
  const left = copies.get(length)?.filter((r) => r.deref() !== undefined);
  if (left && left.length > 0) copies.set(length, left);
  else copies.delete(length);
});

/** A copy of `bytes` that later changes to `bytes` cannot reach, shared with equal contents. */
export function sharedCopy(bytes: Uint8Array): Uint8Array {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const candidates = copies.get(bytes.byteLength) ?? [];
  for (const ref of candidates) {
    const copy = ref.deref();
    if (copy && view.equals(copy)) return copy;
  }
  const copy = new Uint8Array(bytes);
  copies.set(bytes.byteLength, [...candidates, new WeakRef(copy)]);
  collected.register(copy, bytes.byteLength);
  return copy;
}

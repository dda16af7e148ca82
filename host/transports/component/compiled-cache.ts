/**
 * Compiled components by content (sha256), kept for the life of the process: loading the
 * same plugin again, or a thousand instances of it, parses and compiles it once.
 */
import { createHash } from 'node:crypto';
import type { Definition } from '../../component/binary/ast.js';
import { compileComponent, type CompiledComponent } from '../../component/instantiate.js';

const compiled = new Map<string, Promise<CompiledComponent>>();
const MAX_ENTRIES = 256;
const digests = new WeakMap<CompiledComponent, string>();

/** The sha256 of the bytes a component was compiled from (when it came through this cache). */
export function digestOf(compiled: CompiledComponent): string | undefined {
  return digests.get(compiled);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The compiled component of `bytes`, if this process has it (or is compiling it). */
export function compiledInMemory(digest: string): Promise<CompiledComponent> | undefined {
  return compiled.get(digest);
}

export function compileCached(bytes: Uint8Array, digest = sha256(bytes), parsed?: Definition[]): Promise<CompiledComponent> {
  let entry = compiled.get(digest);
  if (!entry) {
    entry = compileComponent(bytes, parsed).then((c) => {
      digests.set(c, digest);
      return c;
    });
    // A failure is not cached: the next attempt reports it again.
    entry.catch(() => compiled.delete(digest));
    if (compiled.size >= MAX_ENTRIES) compiled.delete(compiled.keys().next().value!);
    compiled.set(digest, entry);
  }
  return entry;
}

/** Forgets every compiled component (tests use it to stand for a fresh process). */
export function clearCompiledCache(): void {
  compiled.clear();
}

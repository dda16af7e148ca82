/**
 * Compiled components by content, kept for the life of the process: loading the same
 * plugin again, or a thousand instances of it, parses and compiles it once.
 *
 * Entries are found by a cheap content hash (FNV-1a over the bytes, with the length) and
 * confirmed by comparing the bytes themselves, so no cryptographic hash is needed on this
 * path: `node:crypto` is not loaded for an inline plugin (importing it costs a fresh process
 * 10–18 ms on this machine, a fifth of a cold start). The persistent cache and integrity
 * checks, which do need sha256, load it when they are used.
 */
import type { Definition } from '../../component/binary/ast.js';
import { compileComponent, type CompiledComponent, type CompileOptions } from '../../component/instantiate.js';

interface Entry {
  /** A copy: the caller may change its array after the load. */
  readonly bytes: Buffer;
  /** Compiled with fuel checks: the same bytes compile to a different component. */
  readonly interruptible: boolean;
  readonly compiled: Promise<CompiledComponent>;
}

const entries = new Map<string, Entry[]>();
const MAX_ENTRIES = 256;
let count = 0;

/** The sha256 of `bytes` in lowercase hex (`node:crypto` loads on the first use). */
export { sha256Hex as sha256 } from '../../integrity/digest.js';

/** FNV-1a (32-bit) of the bytes, with the length and the instrumentation: where to look, not proof of identity. */
function contentKey(bytes: Uint8Array, interruptible: boolean): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${(h >>> 0).toString(16)}${interruptible ? ':fuel' : ''}`;
}

function find(key: string, bytes: Uint8Array, interruptible: boolean): Entry | undefined {
  const candidates = entries.get(key);
  if (!candidates) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return candidates.find((e) => e.interruptible === interruptible && e.bytes.equals(view));
}

/** The compiled component of `bytes`, if this process has it (or is compiling it). */
export function compiledInMemory(bytes: Uint8Array, options: CompileOptions = {}): Promise<CompiledComponent> | undefined {
  const interruptible = options.interruptible === true;
  return find(contentKey(bytes, interruptible), bytes, interruptible)?.compiled;
}

/** `parsed`: the component's definitions, when they are known already (the persistent cache). */
export function compileCached(bytes: Uint8Array, parsed?: Definition[], options: CompileOptions = {}): Promise<CompiledComponent> {
  const interruptible = options.interruptible === true;
  const key = contentKey(bytes, interruptible);
  const found = find(key, bytes, interruptible);
  if (found) return found.compiled;
  const entry: Entry = { bytes: Buffer.from(bytes), interruptible, compiled: compileComponent(bytes, parsed, { interruptible }) };
  // A failure is not cached: the next attempt reports it again.
  entry.compiled.catch(() => forget(key, entry));
  if (count >= MAX_ENTRIES) evictOldest();
  entries.set(key, [...(entries.get(key) ?? []), entry]);
  count++;
  return entry.compiled;
}

function forget(key: string, entry: Entry): void {
  const left = entries.get(key)?.filter((e) => e !== entry);
  if (!left) return;
  count -= (entries.get(key)!.length - left.length);
  if (left.length > 0) entries.set(key, left);
  else entries.delete(key);
}

function evictOldest(): void {
  const [key, list] = entries.entries().next().value!;
  forget(key, list[0]!);
}

/** Forgets every compiled component (tests use it to stand for a fresh process). */
export function clearCompiledCache(): void {
  entries.clear();
  count = 0;
}

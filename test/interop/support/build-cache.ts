// Components of the interop corpus are built by the tests from source with third-party
// toolchains; a build is kept under .cache/interop by the sha256 of everything it read
// (sources, WIT, toolchain versions, adapter), so only a change rebuilds. Delete the
// directory to force a rebuild.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root } from '../../helpers.js';

export const CACHE_DIR = root('.cache/interop');

/** What a corpus build gives a test: a component, or why the toolchain cannot run here. */
export type Built = { readonly ok: true; readonly wasm: string } | { readonly ok: false; readonly skip: string };

export function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(typeof p === 'string' ? `${p.length}:${p}` : p);
  return hash.digest('hex');
}

/** The component `name` for `key`, built with `build` unless already kept. */
export async function cachedBuild(name: string, key: string, build: () => Promise<Uint8Array>): Promise<string> {
  const path = join(CACHE_DIR, `${name}-${key.slice(0, 16)}.wasm`);
  const kept = await readFile(path).catch(() => undefined);
  if (kept) return path;
  const bytes = await build();
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
  return path;
}

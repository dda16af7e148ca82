/**
 * Where this package's own files are (the host WIT package, the AssemblyScript runtime),
 * whether it runs from `dist/` or from source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'plugin-actors') {
      cached = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('plugin-actors: cannot find the package root');
    dir = parent;
  }
}

/** The WIT package `plugin-actors:host` (the interfaces the host gives every plugin). */
export function hostWitDir(): string {
  return join(packageRoot(), 'wit', 'host');
}

export function assemblyScriptRuntimeDir(): string {
  return join(packageRoot(), 'guest-sdk', 'assemblyscript', 'runtime');
}

export function assemblyScriptTransform(): string {
  return join(packageRoot(), 'guest-sdk', 'assemblyscript', 'transform.mjs');
}

let version: string | undefined;

/** This package's version (cache entries written by another version are not reused). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

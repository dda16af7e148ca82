/**
 * Where a script the library starts by path lives (the worker's entry, the reaper): in the
 * bundle beside the library when it runs bundled (`dist/bundle`), as tsc's output
 * otherwise, and tsc's output too when the library itself runs from TypeScript sources
 * (tests), since a worker or a child process cannot run `.ts`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../common/package-files.js';

/** Set to true by the bundler (scripts/bundle.mjs). */
declare const PLUGIN_ACTORS_BUNDLE: boolean | undefined;

/** `bundled`: the file name in dist/bundle; `compiled`: the path below dist/ of tsc's output. */
export function entryScript(bundled: string, compiled: string): string | undefined {
  const path = typeof PLUGIN_ACTORS_BUNDLE !== 'undefined' && PLUGIN_ACTORS_BUNDLE
    ? join(packageRoot(), 'dist', 'bundle', bundled)
    : join(packageRoot(), 'dist', compiled);
  return existsSync(path) ? path : undefined;
}

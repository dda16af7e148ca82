/**
 * The worker's entry script. From compiled JavaScript it is the sibling file; from sources
 * run by a TypeScript tool (tests), workers cannot load `.ts`, so the compiled copy in
 * `dist/` is used (`npm test` builds first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../../common/package-files.js';

export function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'worker-entry.js');
  const compiled = join(packageRoot(), 'dist', 'host', 'transports', 'worker', 'worker-entry.js');
  if (!existsSync(compiled)) throw new Error('plugin-actors: run `npm run build` first (the worker transport runs compiled JavaScript)');
  return compiled;
}

/**
 * `plugin-actors.json`: what `plugin-actors build` needs to know about a plugin project.
 *
 *   {
 *     "language": "assemblyscript" | "rust",
 *     "wit": "../wit",                      WIT file or directory (relative to the manifest)
 *     "world": "example:greeter/greeter",   world to implement (optional if only one)
 *     "output": "build/greeter.wasm",       component to write
 *     "exports": { "example:greeter/api": "src/api.ts" }   author modules (AssemblyScript)
 *   }
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PluginHostError } from '../../common/errors.js';

export interface PluginManifest {
  readonly dir: string;
  readonly language: 'assemblyscript' | 'rust';
  readonly wit: string;
  readonly world?: string;
  readonly output: string;
  readonly exports: Readonly<Record<string, string>>;
}

export const MANIFEST = 'plugin-actors.json';

export async function readManifest(projectDir: string): Promise<PluginManifest> {
  const dir = resolve(projectDir);
  const path = join(dir, MANIFEST);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new PluginHostError('ERR_BUILD_FAILED', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const m = raw as Record<string, unknown>;
  const bad = (field: string, expected: string): never => {
    throw new PluginHostError('ERR_BUILD_FAILED', `${path}: "${field}" must be ${expected}, got ${JSON.stringify(m[field])}`);
  };
  if (m.language !== 'assemblyscript' && m.language !== 'rust') bad('language', '"assemblyscript" or "rust"');
  if (typeof m.wit !== 'string') bad('wit', 'a path to a WIT file or directory');
  if (m.world !== undefined && typeof m.world !== 'string') bad('world', 'a world name');
  if (typeof m.output !== 'string' || !m.output.endsWith('.wasm')) bad('output', 'a path ending in .wasm');
  if (m.exports !== undefined && (typeof m.exports !== 'object' || m.exports === null || Object.values(m.exports).some((v) => typeof v !== 'string'))) {
    bad('exports', 'an object of module paths');
  }
  return {
    dir,
    language: m.language as PluginManifest['language'],
    wit: resolve(dir, m.wit as string),
    ...(m.world !== undefined ? { world: m.world as string } : {}),
    output: resolve(dir, m.output as string),
    exports: (m.exports as Record<string, string> | undefined) ?? {},
  };
}

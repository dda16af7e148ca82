/**
 * What a component file says about itself, for `inspect` and `wit`: its WIT (as
 * wasm-tools, shipped in jco-transpile, reads it out of the binary's types, so components
 * from any toolchain work), the world's imports and exports, size and sha256.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PluginHostError } from '../common/errors.js';
import { parseWitSource } from '../common/wit/load.js';
import type { World } from '../common/wit/model.js';

export interface ComponentFacts {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly sha256: string;
  /** The component's WIT text (its root world, with the packages it refers to). */
  readonly wit: string;
  readonly world: { readonly imports: readonly string[]; readonly exports: readonly string[] };
}

export async function readComponent(file: string): Promise<ComponentFacts> {
  const bytes = new Uint8Array(await readFile(file).catch((cause: unknown) => {
    throw new PluginHostError('ERR_LOAD_FAILED', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }));
  const tools = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const wit = await tools.componentWit(bytes).catch((cause: unknown) => {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `${file} is not a WebAssembly component: ${String((cause as { payload?: unknown }).payload ?? (cause as Error).message ?? cause)}`, { cause });
  });
  return { file, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), wit, world: worldItems(wit) };
}

/** The root world's import and export names, from the WIT text. */
function worldItems(wit: string): ComponentFacts['world'] {
  let world: World | undefined;
  try {
    const resolved = parseWitSource(wit);
    world = [...(resolved.main?.worlds.values() ?? [])][0];
  } catch {
    world = undefined;
  }
  if (world) return { imports: [...world.imports.keys()], exports: [...world.exports.keys()] };
  // The text uses something this front end refuses: read the item lines of the root world.
  const names = (verb: string) => [...wit.matchAll(new RegExp(`^\\s*${verb}\\s+([^;:{]+(?::[^;{]*)?)\\s*;`, 'gm'))].map((m) => m[1]!.trim());
  return { imports: names('import'), exports: names('export') };
}

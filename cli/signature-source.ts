/**
 * Where a plugin's detached signature comes from, for `inspect` and `verify`: `--signature`
 * (a file or the base64 text), else `<plugin>.sig` beside it, else the `signature` of a
 * runtime manifest (`plugin.json`) in its folder. Keys (`--key`) are PEM files or base64 SPKI text.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface FoundSignature {
  readonly signature: string;
  readonly from: string;
}

export async function findSignature(plugin: string, given?: string): Promise<FoundSignature | undefined> {
  if (given !== undefined) return existsSync(given) ? { signature: (await readFile(given, 'utf8')).trim(), from: given } : { signature: given.trim(), from: '--signature' };
  if (existsSync(`${plugin}.sig`)) return { signature: (await readFile(`${plugin}.sig`, 'utf8')).trim(), from: `${plugin}.sig` };
  const manifest = join(dirname(plugin), 'plugin.json');
  if (existsSync(manifest)) {
    try {
      const m = JSON.parse(await readFile(manifest, 'utf8')) as { wasm?: string; signature?: unknown };
      if (typeof m.signature === 'string' && (m.wasm === undefined || basename(m.wasm) === basename(plugin))) return { signature: m.signature, from: manifest };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A key argument: a file holding a PEM or base64 key, or the key text itself. */
export async function readKey(value: string): Promise<string> {
  return existsSync(value) ? (await readFile(value, 'utf8')).trim() : value.trim();
}

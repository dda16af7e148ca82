// The kv capability as a subprocess plugin: a key-value store kept in a JSON file (the path
// in KV_FILE). It is the only part of the pipeline that touches the filesystem.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { serve } from 'plugin-actors/guest';

const file = process.env.KV_FILE;
if (!file) throw new Error('KV_FILE names the store file');
const values = new Map<string, string>(Object.entries(readJson(file)));

function readJson(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function persist(): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(values), null, 2));
  renameSync(`${file}.tmp`, file!);
}

await serve({
  wit: new URL('../wit', import.meta.url),
  world: 'example:pipeline/kv-store',
  exports: {
    'example:pipeline/kv': {
      get: (key: string) => values.get(key),
      set: (key: string, value: string) => { values.set(key, value); persist(); },
      keys: (prefix: string) => [...values.keys()].filter((k) => k.startsWith(prefix)).sort(),
    },
  },
});

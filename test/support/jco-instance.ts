// Runs a component through jco's own transpiler (the reference), with an import object, so a
// test can check that the same object works unchanged here and there.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type JcoExports = Record<string, unknown>;

/** The exports jco's `--instantiation sync` glue gives for `bytes` and `imports`. */
export async function instantiateWithJco(bytes: Uint8Array, imports: Record<string, unknown>): Promise<JcoExports> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  const { files } = await transpileBytes(bytes, { name: 'component', instantiation: { tag: 'sync' } } as never);
  const dir = await mkdtemp(join(tmpdir(), 'plugin-actors-jco-'));
  try {
    for (const [name, data] of Object.entries(files as Record<string, Uint8Array>)) if (!name.includes('/')) await writeFile(join(dir, name), data);
    const glue = (await import(pathToFileURL(join(dir, 'component.js')).href)) as {
      instantiate: (getModule: (name: string) => WebAssembly.Module, imports: unknown) => JcoExports;
    };
    const modules = new Map<string, WebAssembly.Module>();
    for (const name of Object.keys(files as Record<string, Uint8Array>)) {
      if (name.endsWith('.wasm')) modules.set(name, new WebAssembly.Module(await readFile(join(dir, name))));
    }
    return glue.instantiate((name) => modules.get(name)!, imports);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The raw floor of a component's instance: its core modules instantiated directly, in the
 * order the component defines them, with every function import a stub that passes its
 * first argument through (enough for `[resource-new]`, which returns the rep it is given)
 * every table import the last table an earlier instance exported, and every memory the
 * host's compile made an import a fresh memory of its declared size. No library code.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Compiles the core modules `bench/core-modules.ts` extracted into `dir`, in definition order. */
export async function compileCoreModules(dir: string): Promise<WebAssembly.Module[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.wasm')).sort();
  return Promise.all(files.map(async (f) => WebAssembly.compile(await readFile(join(dir, f)))));
}

export function instantiateCoreModules(modules: readonly WebAssembly.Module[]): WebAssembly.Instance[] {
  const instances: WebAssembly.Instance[] = [];
  let table: WebAssembly.Table | undefined;
  for (const module of modules) {
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    for (const i of WebAssembly.Module.imports(module)) {
      let value: WebAssembly.ImportValue;
      if (i.kind === 'function') value = (a: unknown) => a;
      else if (i.kind === 'table' && table) value = table;
      // A memory the host's compile turned into an import (`memory-limit.ts`), named `index:min:max`.
      else if (i.kind === 'memory' && i.module === 'plugin-actors:memory') {
        const [, min, max] = i.name.split(':');
        value = new WebAssembly.Memory({ initial: Number(min), ...(max ? { maximum: Number(max) } : {}) });
      }
      else throw new Error(`the raw baseline cannot stub ${i.kind} ${i.module}.${i.name}`);
      (imports[i.module] ??= {})[i.name] = value;
    }
    const instance = new WebAssembly.Instance(module, imports);
    for (const e of Object.values(instance.exports)) if (e instanceof WebAssembly.Table) table = e;
    instances.push(instance);
  }
  return instances;
}

/** The instance that holds the guest's code (the one exporting `cabi_realloc`). */
export function mainInstance(instances: readonly WebAssembly.Instance[]): WebAssembly.Instance {
  const main = instances.find((i) => 'cabi_realloc' in i.exports);
  if (!main) throw new Error('no core instance exports cabi_realloc');
  return main;
}

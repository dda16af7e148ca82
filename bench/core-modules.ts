/** The bench component's core modules as separate files (000.wasm, 001.wasm, … in definition order): raw baselines compile these. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Definition } from '../host/component/binary/ast.js';
import { parseComponent } from '../host/component/binary/parse.js';

export async function extractCoreModules(component: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  let n = 0;
  const visit = async (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') await writeFile(join(dir, `${String(n++).padStart(3, '0')}.wasm`), d.bytes);
      else if (d.kind === 'component') await visit(d.body);
    }
  };
  await visit(parseComponent(new Uint8Array(await readFile(component))));
}


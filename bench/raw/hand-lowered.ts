/** The bench component's core instances, made directly from its compiled core modules and called by hand-written lowering. */
import type { Definition } from '../../host/component/binary/ast.js';
import { parseComponent } from '../../host/component/binary/parse.js';
import { coreCalls, type HandLowered } from './core-calls.js';
import { instantiateCoreModules, mainInstance } from './core-instances.js';

export type { HandLowered } from './core-calls.js';

export async function handLowered(bytes: Uint8Array): Promise<HandLowered> {
  // The guest's own core modules, compiled from their bytes in definition order: the
  // component's compiled ones import the memories the host supplies (memory-limit.ts).
  const modules: Promise<WebAssembly.Module>[] = [];
  const visit = (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') modules.push(WebAssembly.compile(d.bytes as Uint8Array<ArrayBuffer>));
      else if (d.kind === 'component') visit(d.body);
    }
  };
  visit(parseComponent(bytes));
  return coreCalls(mainInstance(instantiateCoreModules(await Promise.all(modules))));
}

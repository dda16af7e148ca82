/** The bench component's core instances, made directly from its compiled core modules and called by hand-written lowering. */
import type { Definition } from '../../host/component/binary/ast.js';
import { compileComponent } from '../../host/component/instantiate.js';
import { coreCalls, type HandLowered } from './core-calls.js';
import { instantiateCoreModules, mainInstance } from './core-instances.js';

export type { HandLowered } from './core-calls.js';

export async function handLowered(bytes: Uint8Array): Promise<HandLowered> {
  const compiled = await compileComponent(bytes);
  // In definition order (the compiled map fills in the order compilations finish).
  const modules: WebAssembly.Module[] = [];
  const visit = (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') modules.push(compiled.modules.get(d)!);
      else if (d.kind === 'component') visit(d.body);
    }
  };
  visit(compiled.definitions);
  return coreCalls(mainInstance(instantiateCoreModules(modules)));
}

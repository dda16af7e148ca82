/**
 * The form of a compiled component a worker starts from: the host's parsed and validated
 * definitions and its compiled core modules, structured-cloneable within a process, so the
 * worker neither reads nor parses the component again and compiles nothing (a
 * `WebAssembly.Module` crosses to a worker without recompiling). Made once per compiled
 * component: every member of a pool and every restart starts from the same object.
 *
 * The core modules' bytes are left out (the modules are compiled; the runtime never reads
 * them), so a worker costs no copy of the component.
 */
import type { Definition } from '../../component/binary/ast.js';
import type { CompiledComponent } from '../../component/instantiate.js';

export interface PreparedComponent {
  readonly definitions: readonly Definition[];
  /** Keys are the objects inside `definitions`: one structured clone keeps them the same objects. */
  readonly modules: ReadonlyMap<Definition, WebAssembly.Module>;
  readonly imports: CompiledComponent['imports'];
}

const prepared = new WeakMap<CompiledComponent, PreparedComponent>();
const NO_BYTES = new Uint8Array(0);

export function prepareForWorker(compiled: CompiledComponent): PreparedComponent {
  let form = prepared.get(compiled);
  if (!form) {
    const modules = new Map<Definition, WebAssembly.Module>();
    const strip = (defs: readonly Definition[]): Definition[] => defs.map((d) => {
      if (d.kind === 'core module') {
        const copy: Definition = { ...d, bytes: NO_BYTES };
        modules.set(copy, compiled.modules.get(d)!);
        return copy;
      }
      return d.kind === 'component' ? { ...d, body: strip(d.body) } : d;
    });
    form = { definitions: strip(compiled.definitions), modules, imports: compiled.imports };
    prepared.set(compiled, form);
  }
  return form;
}

/** The worker's side: the compiled component again, with the glue templates the host has. */
export function compiledFromPrepared(form: PreparedComponent, templates: Record<string, unknown>): CompiledComponent {
  return { definitions: form.definitions, modules: form.modules, imports: form.imports, templates: new Map(Object.entries(templates)) as CompiledComponent['templates'] };
}

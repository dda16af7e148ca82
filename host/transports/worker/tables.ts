/**
 * The numbering both threads agree on: exports in the order the component declares them,
 * and the host-served imports by wire name (`import#function`, or the import's own name).
 */
import type { ExportedInterface } from '../../component/exports.js';
import type { ExternValue, FuncValue } from '../../component/instantiate.js';

export function workerExports(exported: Map<string, ExportedInterface>): { interfaceName: string; name: string; fn: FuncValue & { kind: 'freestanding' | 'method' | 'static' | 'constructor' } }[] {
  const out: { interfaceName: string; name: string; fn: FuncValue & { kind: 'freestanding' | 'method' | 'static' | 'constructor' } }[] = [];
  for (const iface of exported.values()) {
    for (const [name, fn] of iface.functions) {
      const kind = name.startsWith('[method]') ? 'method' : name.startsWith('[static]') ? 'static' : name.startsWith('[constructor]') ? 'constructor' : 'freestanding';
      out.push({ interfaceName: iface.name, name, fn: Object.assign(Object.create(fn) as FuncValue, { kind }) as FuncValue & { kind: typeof kind } });
    }
  }
  return out;
}

/** Calls `visit` for each function an import provides, with its wire name. */
export function collectImports(importName: string, value: ExternValue, visit: (wireName: string, fn: FuncValue) => void): void {
  if (value.sort === 'func') visit(importName, value.func);
  else if (value.sort === 'instance') {
    for (const [name, x] of value.instance.exports) if (x.sort === 'func') visit(`${importName}#${name}`, x.func);
  }
}

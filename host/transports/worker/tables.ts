/**
 * The numbering both threads of a worker plugin agree on without a handshake (docs/protocol.md
 * §13): exports in the order of `functionTable` over the component's world, which both
 * threads read from the same component; host-served imports in the order the host lists
 * their wire names in the worker's start data.
 */
import type { WitFunction } from '../../../common/wit/model.js';
import type { ExternValue, FuncValue } from '../../component/instantiate.js';

/** Calls `visit` for each function an import provides, with its wire name (`import#function`, or the import's own name). */
export function collectImports(importName: string, value: ExternValue, visit: (wireName: string, fn: FuncValue) => void): void {
  if (value.sort === 'func') visit(importName, value.func);
  else if (value.sort === 'instance') {
    for (const [name, x] of value.instance.exports) if (x.sort === 'func') visit(`${importName}#${name}`, x.func);
  }
}

/** An imported host function as the peer's tables describe it. */
export function importFunction(wireName: string, fn: FuncValue): WitFunction {
  const hash = wireName.lastIndexOf('#');
  const name = hash < 0 ? wireName : wireName.slice(hash + 1);
  return { name, shortName: name, kind: 'freestanding', params: fn.sig.params, async: false, ...(fn.sig.result !== undefined ? { result: fn.sig.result } : {}) };
}

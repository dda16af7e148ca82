/**
 * The numbering both threads of a worker plugin agree on without a handshake (docs/protocol.md
 * §13): exports in the order of `functionTable` over the component's world, which both
 * threads read from the same component; host-served imports in the order the host lists
 * their wire names in the worker's start data. Host-served imports include the methods,
 * constructors and statics of host resources.
 */
import { unalias, type ResourceType, type WitFunction } from '../../../common/wit/model.js';
import { parseFunctionName } from '../../../common/wit/names.js';
import type { ExternValue, FuncValue } from '../../component/instantiate.js';

/** Calls `visit` for each function an import provides, with its wire name (`import#function`, or the import's own name). */
export function collectImports(importName: string, value: ExternValue, visit: (wireName: string, fn: FuncValue) => void): void {
  if (value.sort === 'func') visit(importName, value.func);
  else if (value.sort === 'instance') {
    for (const [name, x] of value.instance.exports) if (x.sort === 'func') visit(`${importName}#${name}`, x.func);
  }
}

/** The function name part of a wire name (`iface#[method]r.get` → `[method]r.get`). */
export function functionNameOf(wireName: string): string {
  const hash = wireName.lastIndexOf('#');
  return hash < 0 ? wireName : wireName.slice(hash + 1);
}

/** An imported host function as the peer's tables describe it (a method's `self` travels as a handle). */
export function importFunction(wireName: string, fn: FuncValue): WitFunction {
  const name = functionNameOf(wireName);
  const parsed = parseFunctionName(name);
  const self = parsed.kind === 'method' ? fn.sig.params[0]?.type : undefined;
  const resource = self && (self.kind === 'borrow' || self.kind === 'own') ? (unalias(self.resource) as ResourceType) : undefined;
  return {
    name, shortName: parsed.name, kind: resource ? 'method' : parsed.kind === 'method' ? 'freestanding' : parsed.kind,
    params: fn.sig.params, async: false,
    ...(resource ? { resource } : {}),
    ...(fn.sig.result !== undefined ? { result: fn.sig.result } : {}),
  };
}

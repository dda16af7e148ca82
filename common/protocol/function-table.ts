/**
 * The numbered function tables of a connection: the host sends them in WELCOME, both sides
 * refer to functions by index afterwards. Exports are what the host may call; imports are
 * what the plugin may call on the host. Order: world items in order, functions in
 * declaration order (resource constructors, methods and statics where the resource is).
 */
import type { WitFunction, World } from '../wit/model.js';

export interface TableEntry {
  /** `iface-key#function-name`, or the bare name of a world-level function. */
  readonly wireName: string;
  /** The world's key for the interface (`ns:pkg/iface@ver`, a plain name), or '' for world-level. */
  readonly interfaceKey: string;
  readonly func: WitFunction;
}

export function functionTable(world: World, direction: 'import' | 'export'): TableEntry[] {
  const out: TableEntry[] = [];
  for (const [key, item] of direction === 'import' ? world.imports : world.exports) {
    if (item.kind === 'function') out.push({ wireName: key, interfaceKey: '', func: item.func });
    else if (item.kind === 'interface') {
      for (const func of item.iface.functions.values()) out.push({ wireName: `${key}#${func.name}`, interfaceKey: key, func });
    }
  }
  return out;
}

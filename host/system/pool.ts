/**
 * A pool: `instances` members of one plugin, each a plugin entry of its own (named
 * `name.0`, `name.1`, …, each with its own incarnations and restart policy). Calls to the
 * pool's root actor go to the running member with the fewest calls outstanding; a resource
 * actor belongs to the member that made it, so its calls stay there; a member that crashes
 * is restarted by its policy while the others keep serving.
 */
import type { WitFunction } from '../../common/wit/model.js';
import type { PluginEntry } from './plugin-entry.js';
import { rootMethod, type PathOf } from './root-method.js';

export interface Pool {
  readonly name: string;
  readonly members: readonly PluginEntry[];
  /** Calls in flight per member, for the balancing. */
  readonly outstanding: number[];
  /** Root-actor proxies of the pool, by interface. */
  readonly interfaceProxies: Map<string, object>;
}

/** The name of member `index` of pool `name`. */
export function memberName(name: string, index: number): string {
  return `${name}.${index}`;
}

/** One function of the pool's root actor: picks a member per call. */
export function poolMethod(pool: Pool, interfaceName: string, fn: WitFunction, pathOf: PathOf): (...args: unknown[]) => unknown {
  const methods = pool.members.map((member) => rootMethod(member, interfaceName, fn, false, pathOf));
  const { outstanding } = pool;
  return (...args: unknown[]) => {
    let best = -1;
    for (let i = 0; i < pool.members.length; i++) {
      if (pool.members[i]!.current === undefined) continue;
      if (best < 0 || outstanding[i]! < outstanding[best]!) best = i;
    }
    // No member runs: the first one says why (restarting, or down for good).
    if (best < 0) best = 0;
    const chosen = best;
    outstanding[chosen]!++;
    const settled = () => { outstanding[chosen]!--; };
    const result = methods[chosen]!(...args) as Promise<unknown>;
    result.then(settled, settled);
    return result;
  };
}

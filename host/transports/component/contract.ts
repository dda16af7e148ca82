/**
 * The load-time contract check of a wasm plugin (`world`/`wit` in its spec): the component's
 * exports and imports, read from its types, must structurally match the world the
 * application expects — with the same comparison the process handshake makes
 * (`compareWorlds`). So a component built against another version of the contract is
 * refused with ERR_WORLD_MISMATCH naming the first difference, instead of loading and
 * failing later with misleading errors; and an import the guest declares with other types
 * than the application's WIT (a host `add(u32, u32)` the guest calls with strings) never
 * reaches the host function.
 */
import { PluginHostError } from '../../../common/errors.js';
import { hostWitDir } from '../../../common/package-files.js';
import { compareWorlds } from '../../../common/wit/equal.js';
import { loadWit, selectWorld } from '../../../common/wit/load.js';
import { worldId, type World } from '../../../common/wit/model.js';
import { componentContract } from '../../component/component-world.js';
import { instantiateComponent, type CompiledComponent, type ExternValue, type ImportResolver } from '../../component/instantiate.js';

export interface ContractOptions {
  /** WIT file or directory defining the expected world. */
  readonly wit?: string;
  /** Which world of `wit` (`ns:pkg/world[@version]`); needed when it defines several. */
  readonly world?: string;
}

/** The expected world, loaded once per launch (the spec names files; this is the I/O step). */
export async function expectedWorld(options: ContractOptions): Promise<World | undefined> {
  if (options.wit === undefined) return undefined;
  return selectWorld(await loadWit(options.wit, { deps: [hostWitDir()] }), options.world);
}

/** @throws ERR_WORLD_MISMATCH */
export function checkContract(plugin: string, compiled: CompiledComponent, resolve: ImportResolver, expected: World): void {
  const imported = new Map<string, ExternValue>();
  const types = instantiateComponent(compiled, (name, type, space) => {
    const value = resolve(name, type, space);
    imported.set(name, value);
    return value;
  }, { typesOnly: true });
  const diff = compareWorlds(expected, componentContract(types, imported));
  if (diff) throw new PluginHostError('ERR_WORLD_MISMATCH', `plugin ${plugin} does not match world ${worldId(expected)}: ${diff}`, { plugin });
}

/**
 * The world a plugin build implements: the project's WIT plus the `plugin-actors:host`
 * package, with `plugin-actors:host/log` always imported (guests route `abort` and their
 * own logging through it; the host always provides it).
 */
import type { Resolved, World } from '../../common/wit/model.js';
import { interfaceId } from '../../common/wit/model.js';
import { loadWit, selectInterface, selectWorld } from '../../common/wit/load.js';
import { printPackages } from '../../common/wit/print.js';
import { hostWitDir } from '../../common/package-files.js';

export interface PluginWorld {
  readonly resolved: Resolved;
  readonly world: World;
  /** Every package, printed: what gets embedded in the component. */
  readonly witSource: string;
}

export async function loadPluginWorld(witPath: string, worldName: string | undefined): Promise<PluginWorld> {
  const resolved = await loadWit(witPath, { deps: [hostWitDir()] });
  const world = selectWorld(resolved, worldName);
  const log = selectInterface(resolved, 'plugin-actors:host/log');
  const logId = interfaceId(log)!;
  if (!world.imports.has(logId)) world.imports = new Map([[logId, { kind: 'interface', iface: log }], ...world.imports]);
  return { resolved, world, witSource: printPackages(resolved.packages, world.package) };
}

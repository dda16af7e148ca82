/**
 * The exported functions a Node plugin's `exports` object does not implement, found before
 * the handshake so that the host refuses the plugin at load instead of at its first call.
 * Methods are not checked: an object may get them in its constructor (class fields).
 */
import { resolveHostCall } from '../../common/host-objects.js';
import { functionTable } from '../../common/protocol/function-table.js';
import type { World } from '../../common/wit/model.js';
import { stripVersion } from '../../common/wit/names.js';

export function missingExports(world: World, implementations: Readonly<Record<string, unknown>>): string[] {
  return functionTable(world, 'export')
    .filter((e) => e.func.kind !== 'method')
    .filter((e) => !resolveHostCall(implementations, e.interfaceKey, e.func) && !resolveHostCall(implementations, stripVersion(e.interfaceKey), e.func))
    .map((e) => e.wireName);
}

/**
 * WASI for a component that imports some of it; the implementations (and the Node modules
 * they use, node:crypto among them) load only then.
 */
import type { Logger } from '../../system/node-connection.js';
import type { WasiGrants } from './grant-rules.js';
import type { WasiHost } from './grants.js';

const NO_WASI: WasiHost = { imports: {}, flush() {}, close() {} };

export async function wasiFor(grants: WasiGrants, plugin: string, logger: Logger, imported: readonly string[]): Promise<WasiHost> {
  if (!imported.some((name) => name.startsWith('wasi:'))) return NO_WASI;
  const { wasiImports } = await import('./grants.js');
  return wasiImports(grants, plugin, logger, imported);
}

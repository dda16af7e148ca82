/**
 * Core module + WIT → component, with wasm-tools (as shipped by jco-transpile). The WIT
 * travels as text: the world and its dependencies printed as nested packages.
 */
import { PluginHostError } from '../../common/errors.js';

export async function makeComponent(core: Uint8Array, witSource: string, world: string, stringEncoding: 'utf8' | 'utf16' = 'utf8'): Promise<Uint8Array> {
  const tools = await import('@bytecodealliance/jco-transpile/wasm-tools').catch((cause: unknown) => {
    throw new PluginHostError('ERR_TOOLCHAIN_MISSING', 'building components needs @bytecodealliance/jco-transpile (npm install @bytecodealliance/jco-transpile)', { cause });
  });
  const embedded = await tools.componentEmbed({ binary: core, witSource, world, stringEncoding });
  return tools.componentNew(embedded);
}

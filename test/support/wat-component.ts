// A component from a core module written in WAT and the WIT world it implements, built with
// jco-transpile's wasm-tools, for worlds the guest generators cannot express.
import { readFile } from 'node:fs/promises';
import { makeComponent } from '../../guest-sdk/build/component.js';

export async function componentFromWat(watPath: string, witPath: string, world: string): Promise<Uint8Array> {
  const { parse } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const core = await parse(await readFile(watPath, 'utf8'));
  return makeComponent(core, await readFile(witPath, 'utf8'), world);
}

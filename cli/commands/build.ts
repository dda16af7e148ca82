/** `plugin-actors build [dir…]`: builds plugin projects into components. */
import { buildPlugin } from '../../guest-sdk/build/index.js';

export const usage = 'build [dir…]      build plugin projects (plugin-actors.json) into .wasm components';

export async function run(args: string[]): Promise<number> {
  const dirs = args.filter((a) => !a.startsWith('-'));
  const debug = args.includes('--debug');
  for (const dir of dirs.length > 0 ? dirs : ['.']) {
    await buildPlugin(dir, { optimize: !debug });
  }
  return 0;
}

/**
 * `plugin-actors build`: turns a plugin project (see `manifest.ts`) into a `.wasm` component.
 */
import { resolve } from 'node:path';
import { PluginHostError } from '../../common/errors.js';
import { buildAssemblyScript, type BuildResult } from './assemblyscript.js';
import { readManifest } from './manifest.js';
import { buildRust } from './rust.js';
import { consoleReporter, type BuildReporter } from './steps.js';

export type { BuildResult, BuildReporter };
export { consoleReporter, silentReporter } from './steps.js';

export interface BuildOptions {
  /** Progress lines go here; default: stderr. */
  readonly reporter?: BuildReporter;
  /** Optimize the core module (default true). */
  readonly optimize?: boolean;
  /** Write the component here instead of the manifest's `output`. */
  readonly output?: string;
}

export async function buildPlugin(projectDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const read = await readManifest(projectDir);
  const manifest = options.output ? { ...read, output: resolve(options.output) } : read;
  const reporter = options.reporter ?? consoleReporter;
  switch (manifest.language) {
    case 'assemblyscript': return buildAssemblyScript(manifest, reporter, options);
    case 'rust': return buildRust(manifest, reporter);
    default: throw new PluginHostError('ERR_UNSUPPORTED', `building ${manifest.language} plugins is not supported yet`);
  }
}

/**
 * `plugin-actors build`: turns a plugin project (see `manifest.ts`) into a `.wasm` component.
 */
import { PluginHostError } from '../../host/src/errors.js';
import { buildAssemblyScript, type BuildResult } from './assemblyscript.js';
import { readManifest } from './manifest.js';
import { consoleReporter, type BuildReporter } from './steps.js';

export type { BuildResult, BuildReporter };
export { consoleReporter, silentReporter } from './steps.js';

export interface BuildOptions {
  /** Progress lines go here; default: stderr. */
  readonly reporter?: BuildReporter;
  /** Optimize the core module (default true). */
  readonly optimize?: boolean;
}

export async function buildPlugin(projectDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const manifest = await readManifest(projectDir);
  const reporter = options.reporter ?? consoleReporter;
  switch (manifest.language) {
    case 'assemblyscript': return buildAssemblyScript(manifest, reporter, options);
    default: throw new PluginHostError('ERR_UNSUPPORTED', `building ${manifest.language} plugins is not supported yet`);
  }
}

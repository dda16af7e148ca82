/**
 * Integrity of a process plugin: the file `integrity.path` names is read and checked just
 * before the spawn. The operating system opens the program again to run it, so a writer
 * of that file has a window between the check and the exec (docs/security.md): pin files
 * only the host's user can write.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PluginHostError } from '../../../common/errors.js';
import { checkIntegrity, type Integrity, type IntegrityPolicy } from '../../integrity/index.js';

export async function checkProgramFile(plugin: string, options: { readonly cwd?: string; readonly integrity?: Integrity }, policy: IntegrityPolicy): Promise<void> {
  const path = options.integrity?.path;
  if (path === undefined) {
    if (policy.trustedKeys && policy.trustedKeys.length > 0) {
      throw new PluginHostError('ERR_SIGNATURE', `plugin ${plugin} is not signed (integrity: { path, signature }), and the ActorSystem only runs plugins signed by its trustedKeys`, { plugin });
    }
    return;
  }
  // Relative to the plugin's working directory, like the command's own arguments.
  const file = resolve(options.cwd ?? process.cwd(), path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new PluginHostError('ERR_INTEGRITY', `plugin ${plugin}: cannot read the pinned file ${file}: ${(cause as Error).message}`, { plugin, cause });
  }
  checkIntegrity(bytes, options.integrity, policy, plugin, file);
}

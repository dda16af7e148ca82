/**
 * `wasi:filesystem` (`types`, `preopens`): a plugin sees the directories its `fs` grant
 * names, and nothing else; without the grant it sees no directory at all (`get-directories`
 * is empty), and as every descriptor comes from a preopen, no file operation can be made.
 *
 * Pieces: `grant.ts` (the grant's shape and checks), `resolve.ts` (confined path
 * resolution, and why it has no check-then-use race), `descriptor.ts` and
 * `path-operations.ts` (the operations), `open-files.ts` (descriptor limits and cleanup),
 * `file-streams.ts`, `directory-entries.ts`, `stat.ts`, `errors.ts` (error codes).
 *
 *   const fs = filesystemInterfaces(checkFilesystemGrant({ preopens: { '/data': { path: './data' } } }), { warn });
 *   imports = { ...fs.interfaces }; … fs.close();   // when the plugin's node ends
 */
import { constants } from 'node:fs';
import { IoError } from '../io/error.js';
import { Descriptor, type FilesystemContext } from './descriptor.js';
import { DirectoryEntryStream } from './directory-entries.js';
import type { Preopen } from './grant.js';
import { codeOf } from './errors.js';
import { OpenFiles, type OpenFd } from './open-files.js';
import type { RaceHooks } from './resolve.js';

export interface FilesystemOptions {
  /** Where to report a preopen that could not be opened (it is then left out). */
  readonly warn?: (message: string) => void;
  /** How many host descriptors the plugin may hold (default 256). */
  readonly maxOpen?: number;
  /** Test hooks (see `RaceHooks`). */
  readonly hooks?: RaceHooks;
}

export function filesystemInterfaces(preopens: readonly Preopen[], options: FilesystemOptions = {}): { interfaces: Record<string, object>; close(): void } {
  const files = new OpenFiles(options.maxOpen);
  const context: FilesystemContext = { files, ...(options.hooks ? { hooks: options.hooks } : {}) };
  // Opened on the first `get-directories`: a host that only inspects the component opens nothing.
  let roots: { preopen: Preopen; handle: OpenFd }[] | undefined;

  const openRoots = () => preopens.flatMap((preopen) => {
    try {
      return [{ preopen, handle: files.open(preopen.hostPath, constants.O_RDONLY | constants.O_DIRECTORY) }];
    } catch (error) {
      options.warn?.(`preopen ${preopen.guestPath} (${preopen.hostPath}) cannot be opened (${codeOf(error) ?? String(error)}); the plugin does not see it`);
      return [];
    }
  });

  const getDirectories = (): [Descriptor, string][] => {
    roots ??= openRoots();
    return roots.map(({ preopen, handle }) => [
      new Descriptor(handle.retain(), 'directory', { read: true, mutateDirectory: !preopen.readOnly }, !preopen.readOnly, context),
      preopen.guestPath,
    ]);
  };

  return {
    interfaces: {
      'wasi:filesystem/types': {
        Descriptor,
        DirectoryEntryStream,
        filesystemErrorCode: (error: IoError): string | undefined => (error instanceof IoError ? error.filesystemCode : undefined),
      },
      'wasi:filesystem/preopens': { getDirectories },
    },
    close: () => files.closeAll(),
  };
}

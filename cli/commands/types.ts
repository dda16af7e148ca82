/** `plugin-actors types <wit> [--world w] -o <dir>`: TypeScript declarations of a world for hosts and Node plugins. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostWitDir } from '../../common/package-files.js';
import { loadWit, selectWorld } from '../../common/wit/load.js';
import { generateTypeScript } from '../../guest-sdk/codegen/typescript/generate.js';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import type { Output } from '../output.js';

export const command: Command = {
  name: 'types',
  summary: 'generate TypeScript types of a WIT world (host and Node plugin side)',
  help: `usage: plugin-actors types <wit-file-or-dir> [--world <name>] -o <dir> [--json]

Writes <dir>/<world>.d.ts: each exported interface's functions and resources as the host
calls them (system.load<World>(…), node.exports('ns:pkg/iface')), what the application
must provide for the plugin's imports, and what a Node plugin implements (serve<World>()).
Values follow jco's mapping (bigint for 64-bit integers, typed arrays, { tag, val }, …).

options:
  --world <name>     the world (needed when the WIT defines several)
  -o, --out <dir>    output directory
  --json             print the written files as JSON`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { world: { type: 'string' }, out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1 || !values.out) throw new UsageError('expected a WIT path and -o <dir>');
    const resolved = await loadWit(positionals[0]!, { deps: [hostWitDir()] });
    const { files } = generateTypeScript({ world: selectWorld(resolved, values.world) });
    await mkdir(values.out, { recursive: true });
    const written: string[] = [];
    for (const [name, text] of files) {
      const path = join(values.out, name);
      await writeFile(path, text);
      written.push(path);
    }
    if (values.json) out.json({ files: written });
    else for (const f of written) out.line(`wrote ${f}`);
    return EXIT.OK;
  },
};

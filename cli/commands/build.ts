/** `plugin-actors build [dir…]`: builds plugin projects into components. */
import { buildPlugin } from '../../guest-sdk/build/index.js';
import { EXIT, parseCommandLine, type Command } from '../command.js';
import type { Output } from '../output.js';

export const command: Command = {
  name: 'build',
  summary: 'build plugin projects (plugin-actors.json) into .wasm components',
  help: `usage: plugin-actors build [dir…] [--debug] [--json]

Builds each plugin project (a directory with plugin-actors.json; default: the current
directory): generates the bindings, compiles with asc or cargo, writes the component.

options:
  --debug   build without optimisation
  --json    print the built components as JSON ([{ dir, output, bytes }])`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { debug: { type: 'boolean' } });
    const built = [];
    for (const dir of positionals.length > 0 ? positionals : ['.']) {
      const result = await buildPlugin(dir, { optimize: !values.debug });
      built.push({ dir, ...result });
    }
    if (values.json) out.json(built);
    return EXIT.OK;
  },
};

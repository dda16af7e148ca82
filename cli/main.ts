#!/usr/bin/env node
/** The `plugin-actors` command: wires subcommands; each lives in `commands/`. */
import { isPluginHostError } from '../common/errors.js';
import * as build from './commands/build.js';
import * as serve from './commands/serve.js';

const commands: Record<string, { usage: string; run(args: string[]): Promise<number> }> = { build, serve };

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`usage: plugin-actors <command>\n\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n`);
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  try {
    return await command.run(args);
  } catch (e) {
    process.stderr.write(`plugin-actors ${name}: ${isPluginHostError(e) ? `${e.code}: ${e.message}` : (e as Error).stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

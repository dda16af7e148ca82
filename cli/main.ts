#!/usr/bin/env node
/** The `plugin-actors` command: finds the subcommand and runs it; each lives in `commands/`. */
import { isPluginHostError } from '../common/errors.js';
import { EXIT, UsageError, type Command } from './command.js';
import { processOutput } from './output.js';
import { packageVersion } from '../common/package-files.js';
import * as build from './commands/build.js';
import * as create from './commands/new.js';
import * as inspect from './commands/inspect.js';
import * as wit from './commands/wit.js';
import * as call from './commands/call.js';
import * as types from './commands/types.js';
import * as keygen from './commands/keygen.js';
import * as sign from './commands/sign.js';
import * as verify from './commands/verify.js';
import * as serve from './commands/serve.js';

const commands: readonly Command[] = [build, create, inspect, wit, call, types, keygen, sign, verify, serve].map((m) => m.command);

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: plugin-actors <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'plugin-actors <command> --help shows a command\'s options; plugin-actors --version its version.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === args[0]) : undefined;
    out.line(topic ? topic.help : overview());
    return EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    out.line(packageVersion());
    return EXIT.OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    out.error(`plugin-actors: unknown command '${name}'\n\n${overview()}`);
    return EXIT.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out.line(command.help);
    return EXIT.OK;
  }
  try {
    return await command.run(args, out);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`plugin-actors ${name}: ${e.message}\n\n${command.help}`);
      return EXIT.USAGE;
    }
    out.error(`plugin-actors ${name}: ${isPluginHostError(e) ? `${e.code}: ${e.message}` : (e as Error).stack ?? String(e)}`);
    return EXIT.FAILED;
  }
}

process.exitCode = await main(process.argv.slice(2));

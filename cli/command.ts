/**
 * What every `plugin-actors` subcommand is: a name, a one-line summary for the command
 * list, its help text, and `run`, which returns the exit code. Argument errors throw
 * `UsageError` (exit code 2), so each command's parsing stays declarative.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PluginHostError } from '../common/errors.js';
import type { Output } from './output.js';

/** Exit codes, the same for every command. */
export const EXIT = {
  OK: 0,
  /** The operation failed (a build error, a plugin that would not load, a failed call). */
  FAILED: 1,
  /** The command line was not understood. */
  USAGE: 2,
  /** `verify`: the signature or digest does not match. */
  REJECTED: 3,
} as const;

export interface Command {
  readonly name: string;
  /** One line for `plugin-actors --help`. */
  readonly summary: string;
  /** The full `--help` text (usage line first). */
  readonly help: string;
  run(args: string[], out: Output): Promise<number>;
}

export class UsageError extends PluginHostError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Common = { help: { type: 'boolean'; short: 'h' }; json: { type: 'boolean' } };
/** What `parseCommandLine` returns: the options' values (plus `help` and `json`) and the positionals. */
export type ParsedCommandLine<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & Common; allowPositionals: true; strict: true }>>;

/** `node:util` parseArgs, strict, with its complaints turned into `UsageError`s. */
export function parseCommandLine<O extends Options>(args: string[], options: O): ParsedCommandLine<O> {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

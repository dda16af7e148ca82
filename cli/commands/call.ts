/** `plugin-actors call <plugin> <iface>#<fn> [json args…]`: one call into a plugin, the result as JSON. */
import { ActorSystem } from '../../host/actor-system.js';
import type { Logger } from '../../host/system/node-connection.js';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import type { Output } from '../output.js';

export const command: Command = {
  name: 'call',
  summary: 'load a plugin, call one function, print the result as JSON',
  help: `usage: plugin-actors call <plugin.wasm> <iface>#<fn> [json-arg…] [options]
       plugin-actors call --command "<program args…>" <iface>#<fn> [json-arg…] [options]

Loads the plugin (a .wasm component, or a process plugin started by --command), calls the
function with the arguments (each one JSON value; "123n" is a bigint, for 64-bit
integers), prints the result as JSON on stdout and stops the plugin. <iface> is the
interface's name (full, without version, or short); a world-level function is #<fn> or <fn>.
A WIT result's err, like any failure, goes to stderr with exit code 1.

options:
  --command <cmd>      start a process plugin (split on spaces; quote with "…")
  --world <world>      the world the process plugin must implement
  --wit <path>         WIT the process plugin's types must match
  --timeout <ms>       deadline of the call (default none)
  --isolation <mode>   inline (default) or worker, for .wasm
  --json               results are always JSON; errors too with --json ({ error: { code, message, payload? } })`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, {
      command: { type: 'string' }, world: { type: 'string' }, wit: { type: 'string' }, timeout: { type: 'string' }, isolation: { type: 'string' },
    });
    const rest = values.command !== undefined ? positionals : positionals.slice(1);
    const wasm = values.command !== undefined ? undefined : positionals[0];
    const [target, ...argTexts] = rest;
    if ((values.command === undefined && !wasm) || !target) throw new UsageError('expected a plugin (a .wasm file or --command) and <iface>#<fn>');
    if (values.isolation !== undefined && values.isolation !== 'inline' && values.isolation !== 'worker') throw new UsageError('--isolation is inline or worker');
    const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) throw new UsageError('--timeout takes a positive number of milliseconds');
    const callArgs = argTexts.map(parseArgument);
    const system = new ActorSystem({ logger: stderrLogger(out) });
    try {
      const node = await system.load(wasm !== undefined
        ? { name: 'plugin', wasm, ...(values.isolation ? { isolation: values.isolation as 'inline' | 'worker' } : {}) }
        : { name: 'plugin', command: splitCommand(values.command!), ...(values.world ? { world: values.world } : {}), ...(values.wit ? { wit: values.wit } : {}) });
      const fn = target.startsWith('#') ? target.slice(1) : target;
      const result = await system.remoteCall(node.id, fn, callArgs, timeoutMs ? { timeoutMs } : undefined);
      out.json(result);
      return EXIT.OK;
    } catch (e) {
      if (!values.json) throw e;
      const err = e as { code?: string; message?: string; payload?: unknown };
      out.json({ error: { code: err.code ?? 'ERR_UNKNOWN', message: err.message ?? String(e), ...(err.payload !== undefined ? { payload: err.payload } : {}) } });
      return EXIT.FAILED;
    } finally {
      await system.close();
    }
  },
};

function parseArgument(text: string): unknown {
  try {
    return revive(JSON.parse(text));
  } catch {
    throw new UsageError(`argument ${JSON.stringify(text)} is not JSON (a string needs quotes: '"text"')`);
  }
}

/** "123n" → 123n, deeply. */
function revive(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+n$/.test(value)) return BigInt(value.slice(0, -1));
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

/** Splits a command line on spaces, keeping "double" or 'single' quoted parts together. */
export function splitCommand(text: string): string[] {
  const parts = [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  if (parts.length === 0) throw new UsageError('--command is empty');
  return parts;
}

/** Plugin logs go to stderr, so stdout holds only the result. */
function stderrLogger(out: Output): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => out.error(`[${level}]${fields?.plugin ? ` ${String(fields.plugin)}:` : ''} ${message}`);
  return { debug: () => {}, info: write('info'), warn: write('warn'), error: write('error') };
}

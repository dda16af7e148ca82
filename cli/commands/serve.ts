/**
 * `plugin-actors serve --nats <url> …`: a runner. Hosts one plugin in a local actor system
 * (its grants, limits and supervision as in any host) and serves it on NATS to the hosts
 * that load it with `remote: { nats, node }` (docs/distributed.md). Runs until SIGINT or
 * SIGTERM, then ends its sessions and stops the plugin.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { PluginSpec } from '../../host/plugin-spec.js';
import { startRunner, type RunnerPlugin } from '../../host/remote/runner.js';
import { readManifest } from '../../host/distribution/read-manifest.js';
import { specsFromManifest } from '../../host/distribution/manifest-specs.js';
import { UsageError, type Command } from '../command.js';

export const usage = 'serve --nats <url> --wit <path> [--world <id>] [--name <node>] [--namespace <ns>] [--spec <file.json>]\n'
  + '                    [--connect-options <file.json>] [--token <t>] [--user <u> --pass <p>] [--health-interval-ms <n>] [--health-timeout-ms <n>]\n'
  + '                    [--allow-env <NAME>]… (environment variables a process plugin receives besides PATH and the like)\n'
  + '                    (<plugin.wasm> | --command "<program> <args…>" | <manifest: plugin.json, package.json or their folder>… [--allow-manifest-grants])\n'
  + '                    host a plugin and serve it to remote hosts over NATS';

interface Parsed {
  nats: string[];
  allowEnv: string[];
  namespace?: string;
  wit?: string;
  world?: string;
  name?: string;
  spec?: string;
  command?: string;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  connectOptions?: string;
  token?: string;
  user?: string;
  pass?: string;
  allowManifestGrants?: boolean;
  /** Positionals: a .wasm path, or a manifest (file or folder). */
  wasm: string[];
}

export async function run(args: string[]): Promise<number> {
  const p = parse(args);
  const plugins = await pluginsOf(p);
  // Credentials and TLS settings of the NATS client: a JSON file (kept off the command line), then flags.
  const connectOptions = {
    ...(p.connectOptions ? JSON.parse(await readFile(p.connectOptions, 'utf8')) as object : {}),
    ...(p.token ? { token: p.token } : {}), ...(p.user ? { user: p.user, pass: p.pass ?? '' } : {}),
  };
  const runner = await startRunner({
    nats: p.nats, plugins, connectOptions,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    ...(p.healthIntervalMs || p.healthTimeoutMs ? { health: { ...(p.healthIntervalMs ? { intervalMs: p.healthIntervalMs } : {}), ...(p.healthTimeoutMs ? { timeoutMs: p.healthTimeoutMs } : {}) } } : {}),
  });
  process.stdout.write(`plugin-actors serve: ${runner.id} serves ${plugins.map((x) => x.spec.name).join(', ')} on ${p.nats.join(', ')}\n`);
  await new Promise<void>((done) => {
    const stop = () => { done(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await runner.close();
  return 0;
}

/** Several manifests make several plugins on one runner; a .wasm or --command is one plugin. */
async function pluginsOf(p: Parsed): Promise<RunnerPlugin[]> {
  const manifests = p.wasm.length > 1 && !p.command && !p.spec && p.wasm.every((w) => !w.endsWith('.wasm'));
  if (!manifests) return [await pluginOf(p)];
  if (p.name || p.wit || p.world) throw usageError('--name, --wit and --world apply to one plugin: each manifest names its own');
  return Promise.all(p.wasm.map((path) => manifestPlugin(p, path)));
}

async function pluginOf(p: Parsed): Promise<RunnerPlugin> {
  const given = p.wasm[0];
  if (p.wasm.length === 1 && !p.command && !p.spec && !given!.endsWith('.wasm')) return manifestPlugin(p, given!);
  if (!p.wit) throw usageError('--wit <path> is required: hosts receive the plugin\'s world from it');
  let spec: Record<string, unknown> = {};
  if (p.spec) spec = JSON.parse(await readFile(p.spec, 'utf8')) as Record<string, unknown>;
  if (p.wasm.length > 1) throw usageError('one plugin per runner: start another runner for another plugin');
  if (p.wasm.length === 1 && p.command) throw usageError('give a .wasm path or --command, not both');
  if (p.wasm.length === 1) spec = { ...spec, wasm: resolve(p.wasm[0]!) };
  if (p.command) spec = { ...spec, command: commandOf(p.command) };
  if (spec.wasm === undefined && spec.command === undefined) throw usageError('give a plugin: a .wasm path, --command, or a --spec with wasm or command');
  const name = p.name ?? (spec.name as string | undefined) ?? (typeof spec.wasm === 'string' ? basename(spec.wasm, extname(spec.wasm)) : undefined);
  if (!name) throw usageError('--name <node> is required for a --command plugin');
  if (spec.command !== undefined && p.allowEnv.length > 0) spec = { ...spec, allowEnv: [...((spec.allowEnv as string[] | undefined) ?? []), ...p.allowEnv] };
  return { spec: { ...spec, name } as PluginSpec as RunnerPlugin['spec'], wit: resolve(p.wit), ...(p.world ? { world: p.world } : {}) };
}

/**
 * A plugin from its runtime manifest (`plugin.json`, a package.json's `pluginActors`, or a
 * folder holding one): its component (or command), world and WIT. Grants the manifest asks
 * for are given only with --allow-manifest-grants: serving a plugin is not trusting it.
 */
async function manifestPlugin(p: Parsed, path: string): Promise<RunnerPlugin> {
  const { manifest, dir, source } = await readManifest(resolve(path));
  const specs = specsFromManifest(manifest, dir);
  const spec = specs.wasm ?? specs.process!;
  const wit = p.wit ? resolve(p.wit) : specs.wit;
  if (!wit) throw usageError(`${source} names no wit: give --wit <path> (hosts receive the plugin's world from it)`);
  if ('grants' in spec && spec.grants && !p.allowManifestGrants) {
    throw usageError(`${source} asks for grants (${Object.keys(spec.grants).join(', ')}): pass --allow-manifest-grants to give them`);
  }
  const env = 'command' in spec && p.allowEnv.length > 0 ? { allowEnv: p.allowEnv } : {};
  return { spec: { ...spec, ...env, name: p.name ?? manifest.name } as RunnerPlugin['spec'], wit, world: p.world ?? manifest.world };
}

/** A JSON array of strings, or words split at spaces. */
function commandOf(text: string): string[] {
  if (text.trim().startsWith('[')) return JSON.parse(text) as string[];
  return text.split(/\s+/).filter(Boolean);
}

function parse(args: string[]): Parsed {
  const p: Parsed = { nats: [], allowEnv: [], wasm: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw usageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--nats': p.nats.push(value()); break;
      case '--namespace': p.namespace = value(); break;
      case '--wit': p.wit = value(); break;
      case '--world': p.world = value(); break;
      case '--name': p.name = value(); break;
      case '--spec': p.spec = value(); break;
      case '--command': p.command = value(); break;
      case '--connect-options': p.connectOptions = value(); break;
      case '--allow-manifest-grants': p.allowManifestGrants = true; break;
      case '--allow-env': p.allowEnv.push(value()); break;
      case '--token': p.token = value(); break;
      case '--user': p.user = value(); break;
      case '--pass': p.pass = value(); break;
      case '--health-interval-ms': p.healthIntervalMs = Number(value()); break;
      case '--health-timeout-ms': p.healthTimeoutMs = Number(value()); break;
      default:
        if (a.startsWith('-')) throw usageError(`unknown option ${a}`);
        p.wasm.push(a);
    }
  }
  if (p.nats.length === 0) throw usageError('--nats <url> is required');
  return p;
}

/** A mistake on the command line: exit code 2, the message and the usage (cli/main.ts). */
function usageError(message: string): UsageError {
  return new UsageError(message);
}

export const command: Command = {
  name: 'serve',
  summary: 'host plugins and serve them to remote hosts over NATS',
  help: `usage: plugin-actors ${usage}`,
  run: (args) => run(args),
};

/**
 * The runtime manifest: what a distributed plugin says about itself, in `plugin.json` beside
 * it or under the `pluginActors` key of its package.json. It is not the build manifest
 * (`plugin-actors.json`, read by `plugin-actors build`): this one is read by the host that
 * loads the plugin. `validateManifest` is pure: it checks every field and refuses unknown
 * keys (a misspelt `sha256` must not be ignored), without touching a file.
 */
import { PluginHostError } from '../../common/errors.js';
import type { WasiGrants } from '../capabilities/wasi/grants.js';
import { isValidNodeName } from '../system/actor-id.js';

export interface PluginManifest {
  /** The plugin's node name (a package's name when the manifest is in its package.json). */
  readonly name: string;
  /** The plugin's own version (free-form; semver recommended). */
  readonly version: string;
  /** The world it implements, `ns:pkg/world[@version]`. */
  readonly world: string;
  /** A WIT file or directory defining `world`, relative to the manifest: checks the plugin against it. */
  readonly wit?: string;
  /** The component, relative to the manifest. */
  readonly wasm?: string;
  /** Where the component runs. @default 'inline' */
  readonly isolation?: 'inline' | 'worker';
  /**
   * A subprocess plugin: the program and its arguments, run in the manifest's folder.
   * `"node"` as the program means the Node.js running the host. With `wasm` too, this is
   * the fallback used when the component cannot be loaded by this host.
   */
  readonly command?: readonly string[];
  /** The file the command runs (relative), covered by `entrySha256`/`entrySignature` (or `sha256`/`signature` without `wasm`). */
  readonly entry?: string;
  /** Lowercase hex sha256 of the component (or, without `wasm`, of `entry`). */
  readonly sha256?: string;
  /** Base64 detached ed25519 signature over the same bytes. */
  readonly signature?: string;
  /** sha256 of `entry`, when the manifest has both `wasm` and `command`. */
  readonly entrySha256?: string;
  /** Signature of `entry`, when the manifest has both `wasm` and `command`. */
  readonly entrySignature?: string;
  /** WASI grants the plugin asks for (wasm only); given only if the application allows them. */
  readonly grants?: WasiGrants;
  /** Free-form description, shown by tools. */
  readonly description?: string;
}

const KEYS = ['name', 'version', 'world', 'wit', 'wasm', 'isolation', 'command', 'entry', 'sha256', 'signature', 'entrySha256', 'entrySignature', 'grants', 'description'] as const;
const WORLD = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)(?:@[0-9A-Za-z.+-]+)?$/;

/**
 * Checks a parsed manifest. `source` names where it came from, for messages.
 * @throws ERR_MANIFEST_INVALID naming the field and the source
 */
export function validateManifest(value: unknown, source: string): PluginManifest {
  const fail = (message: string) => new PluginHostError('ERR_MANIFEST_INVALID', `${source}: ${message}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw fail('a manifest is a JSON object');
  const m = value as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    if (!(KEYS as readonly string[]).includes(key)) throw fail(`${JSON.stringify(key)} is not a manifest field (fields: ${KEYS.join(', ')})`);
  }
  const text = (key: string, required = false): void => {
    if (m[key] === undefined) { if (required) throw fail(`\`${key}\` is required`); return; }
    if (typeof m[key] !== 'string' || m[key] === '') throw fail(`\`${key}\` must be a non-empty string`);
  };
  text('name', true);
  if (!isValidNodeName(m.name as string)) throw fail(`\`name\` must match [A-Za-z0-9][A-Za-z0-9._-]*, got ${JSON.stringify(m.name)}`);
  text('version', true);
  text('world', true);
  if (!WORLD.test(m.world as string)) throw fail(`\`world\` must be ns:pkg/world[@version], got ${JSON.stringify(m.world)}`);
  for (const key of ['wit', 'wasm', 'entry', 'signature', 'entrySignature', 'description']) text(key);
  for (const key of ['wit', 'wasm', 'entry']) {
    if (typeof m[key] === 'string' && isAbsoluteOrEscaping(m[key] as string)) throw fail(`\`${key}\` must be a path inside the plugin's folder, got ${JSON.stringify(m[key])}`);
  }
  for (const key of ['sha256', 'entrySha256']) {
    if (m[key] !== undefined && (typeof m[key] !== 'string' || !/^[0-9a-f]{64}$/.test(m[key] as string))) throw fail(`\`${key}\` must be 64 lowercase hex digits`);
  }
  if (m.wasm === undefined && m.command === undefined) throw fail('a manifest needs `wasm` (a component) or `command` (a subprocess), or both');
  if (m.command !== undefined) {
    const c = m.command;
    if (!Array.isArray(c) || c.length === 0 || c.some((p) => typeof p !== 'string' || p === '')) throw fail('`command` must be a non-empty array of non-empty strings');
  }
  if (m.isolation !== undefined && m.isolation !== 'inline' && m.isolation !== 'worker') throw fail(`\`isolation\` must be "inline" or "worker", got ${JSON.stringify(m.isolation)}`);
  if (m.wasm === undefined) {
    for (const key of ['isolation', 'grants', 'entrySha256', 'entrySignature']) {
      if (m[key] !== undefined) throw fail(`\`${key}\` needs \`wasm\` (without it, \`sha256\`/\`signature\` cover \`entry\`)`);
    }
    if ((m.sha256 !== undefined || m.signature !== undefined) && m.entry === undefined) throw fail('`sha256`/`signature` of a command plugin need `entry`, the file they cover');
  }
  if ((m.entrySha256 !== undefined || m.entrySignature !== undefined) && (m.entry === undefined || m.command === undefined)) {
    throw fail('`entrySha256`/`entrySignature` need `command` and `entry`');
  }
  if (m.entry !== undefined && m.command === undefined) throw fail('`entry` needs `command`');
  if (m.grants !== undefined && (m.grants === null || typeof m.grants !== 'object' || Array.isArray(m.grants))) throw fail('`grants` must be an object of WASI grants');
  return Object.freeze({ ...m }) as unknown as PluginManifest;
}

function isAbsoluteOrEscaping(path: string): boolean {
  return path.startsWith('/') || path.split(/[\\/]/).includes('..');
}

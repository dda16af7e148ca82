/**
 * Finding a plugin's manifest: `plugin.json` in its folder, or the `pluginActors` key of the
 * folder's package.json (an npm-package plugin; its name and version default to the
 * package's). Both are read, never executed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PluginHostError } from '../../common/errors.js';
import { validateManifest, type PluginManifest } from './manifest.js';

/** The runtime manifest's file name (the build manifest is `plugin-actors.json`). */
export const MANIFEST_FILE = 'plugin.json';
/** The key of a package.json that holds a runtime manifest. */
export const PACKAGE_KEY = 'pluginActors';

export interface FoundManifest {
  readonly manifest: PluginManifest;
  /** The folder manifest paths are relative to. */
  readonly dir: string;
  /** The file the manifest came from. */
  readonly source: string;
}

/**
 * Reads the manifest of `path`: a `plugin.json`, a `package.json`, or a folder holding one
 * (`plugin.json` first).
 * @throws ERR_MANIFEST_INVALID when there is none, or it does not parse or validate
 */
export async function readManifest(path: string): Promise<FoundManifest> {
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  if (!isDir) return readManifestFile(path);
  const own = join(path, MANIFEST_FILE);
  if (await exists(own)) return readManifestFile(own);
  const pkg = join(path, 'package.json');
  if (await exists(pkg)) return readManifestFile(pkg);
  throw new PluginHostError('ERR_MANIFEST_INVALID', `${path}: no ${MANIFEST_FILE}, and no package.json with a "${PACKAGE_KEY}" key`);
}

async function readManifestFile(file: string): Promise<FoundManifest> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new PluginHostError('ERR_MANIFEST_INVALID', `${file}: cannot be read (${(cause as Error).message})`, { cause });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PluginHostError('ERR_MANIFEST_INVALID', `${file}: not JSON (${(cause as Error).message})`, { cause });
  }
  const dir = dirname(file);
  if (basename(file) !== 'package.json') return { manifest: validateManifest(json, file), dir, source: file };
  const pkg = (json ?? {}) as Record<string, unknown>;
  const section = pkg[PACKAGE_KEY];
  if (section === undefined) throw new PluginHostError('ERR_MANIFEST_INVALID', `${file}: no "${PACKAGE_KEY}" key (a package plugin keeps its manifest there)`);
  if (section === null || typeof section !== 'object' || Array.isArray(section)) throw new PluginHostError('ERR_MANIFEST_INVALID', `${file}: "${PACKAGE_KEY}" must be an object`);
  const defaults = {
    ...(typeof pkg.name === 'string' ? { name: nodeNameOfPackage(pkg.name) } : {}),
    ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
    ...(typeof pkg.description === 'string' ? { description: pkg.description } : {}),
  };
  return { manifest: validateManifest({ ...defaults, ...section }, `${file} (${PACKAGE_KEY})`), dir, source: file };
}

/** `@acme/upper` → `acme.upper`: a node name cannot hold `@` or `/`. */
export function nodeNameOfPackage(name: string): string {
  return name.replace(/^@/, '').replace('/', '.');
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Loading many plugins: every plugin folder in a directory (`loadAll`), or npm packages the
 * application names (`loadPackages`). A broken plugin is reported and skipped; it never
 * stops the others. Packages are found the way Node finds them (`node_modules` of the
 * application's folder and its parents), by name only: nothing is discovered by crawling.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PluginHostError, isPluginHostError } from '../../common/errors.js';
import { loadFromManifest, type LoadedPlugin, type LoadManifestOptions, type PluginLoader } from './load-manifest.js';
import { readManifest } from './read-manifest.js';

/** A plugin that could not be loaded, and why. */
export interface PluginLoadFailure {
  /** The plugin's folder, or the package name. */
  readonly source: string;
  /** Its name, when the manifest got far enough to say. */
  readonly name?: string;
  readonly error: PluginHostError;
}

export interface LoadAllResult {
  /** In the order they were loaded (folder names sorted, or the packages' order). */
  readonly loaded: readonly LoadedPlugin[];
  readonly failed: readonly PluginLoadFailure[];
}

/** Loads each subfolder of `dir` that holds a manifest, one after another (sorted by name; dot-folders skipped). */
export async function loadAll(loader: PluginLoader, dir: string, options: LoadManifestOptions = {}): Promise<LoadAllResult> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new PluginHostError('ERR_LOAD_FAILED', `cannot read plugin folder ${dir} (${(cause as Error).message})`, { cause });
  });
  const folders: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    // A symbolic link to a plugin folder counts as one (plugins installed by linking).
    if (e.isDirectory() || (e.isSymbolicLink() && await stat(join(dir, e.name)).then((s) => s.isDirectory(), () => false))) folders.push(join(dir, e.name));
  }
  folders.sort();
  return loadEach(loader, folders.map((folder) => ({ source: folder, folder: async () => folder })), options);
}

export interface LoadPackagesOptions extends LoadManifestOptions {
  /** The application's folder: its package.json gives `plugins` when no names are given, and packages are looked up from it. @default process.cwd() */
  readonly from?: string;
}

const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Loads npm packages carrying a `pluginActors` manifest: those named, or the `plugins`
 * list of the application's package.json.
 * @throws ERR_INVALID_OPTION when no names are given and the package.json has no `plugins` list
 */
export async function loadPackages(loader: PluginLoader, names: readonly string[] | undefined, options: LoadPackagesOptions = {}): Promise<LoadAllResult> {
  const from = resolve(options.from ?? process.cwd());
  const list = names ?? await pluginsOfApplication(from);
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string')) throw new PluginHostError('ERR_INVALID_OPTION', 'loadPackages takes a list of package names');
  const { from: _from, ...rest } = options;
  return loadEach(loader, list.map((name) => ({ source: name, folder: () => packageFolder(name, from) })), rest);
}

async function loadEach(loader: PluginLoader, plugins: readonly { source: string; folder: () => Promise<string> }[], options: LoadManifestOptions): Promise<LoadAllResult> {
  const loaded: LoadedPlugin[] = [];
  const failed: PluginLoadFailure[] = [];
  for (const plugin of plugins) {
    let name: string | undefined;
    try {
      const found = await readManifest(await plugin.folder());
      name = found.manifest.name;
      loaded.push(await loadFromManifest(loader, found, options));
    } catch (e) {
      const error = isPluginHostError(e) ? e : new PluginHostError('ERR_LOAD_FAILED', `plugin ${name ?? plugin.source}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      failed.push({ source: plugin.source, ...(name ? { name } : {}), error });
      loader.logger.warn(`plugin ${name ?? plugin.source} skipped: ${error.message}`, { ...(name ? { plugin: name } : {}), source: plugin.source, code: error.code });
    }
  }
  return { loaded, failed };
}

async function pluginsOfApplication(from: string): Promise<readonly string[]> {
  const file = join(from, 'package.json');
  const pkg = await readFile(file, 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>, (cause: unknown) => {
    throw new PluginHostError('ERR_INVALID_OPTION', `loadPackages() without names reads "plugins" from ${file}, which cannot be read`, { cause });
  });
  if (!Array.isArray(pkg.plugins)) throw new PluginHostError('ERR_INVALID_OPTION', `${file} has no "plugins" list of package names`);
  return pkg.plugins as string[];
}

/** The package's folder in the nearest `node_modules` holding it, as Node resolves bare names. */
async function packageFolder(name: string, from: string): Promise<string> {
  if (!PACKAGE_NAME.test(name)) throw new PluginHostError('ERR_MANIFEST_INVALID', `${JSON.stringify(name)} is not an npm package name`);
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (await stat(join(candidate, 'package.json')).then(() => true, () => false)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new PluginHostError('ERR_LOAD_FAILED', `package ${name} is not installed (looked in node_modules from ${from} up)`);
}

/**
 * Entry points of the WIT front end: text or files in, resolved packages out, and lookup
 * of a world or interface by name.
 *
 * Example:
 *   const wit = await loadWit('./wit');                  // a directory with deps/
 *   const world = selectWorld(wit, 'example:greeter/greeter');
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginHostError } from '../errors.js';
import type { SourceFile } from './ast.js';
import type { Interface, Package, Resolved, World } from './model.js';
import { interfaceId, packageId, worldId } from './model.js';
import { parseWit } from './parser.js';
import { resolveFiles, type ResolveOptions } from './resolve.js';

export type { ResolveOptions };

/** Parses and resolves WIT text; it may hold several `package x:y { … }` blocks. */
export function parseWitSource(text: string, options: ResolveOptions & { file?: string } = {}): Resolved {
  return resolveFiles([parseWit(text, options.file ?? '<wit>')], options);
}

/** Parses and resolves several WIT texts together (e.g. a package and its dependencies). */
export function parseWitSources(sources: readonly { text: string; file: string }[], options: ResolveOptions = {}): Resolved {
  return resolveFiles(sources.map((s) => parseWit(s.text, s.file)), options);
}

/**
 * Loads WIT from a `.wit` file or a directory. A directory's `*.wit` files form its main
 * package; `deps/` holds dependencies, each a `.wit` file or a directory of them.
 */
export interface LoadWitOptions extends ResolveOptions {
  /**
   * More dependency locations (a `.wit` file, or a directory of one package), used for
   * packages the sources do not bring themselves.
   */
  readonly deps?: readonly string[];
}

export async function loadWit(path: string, options: LoadWitOptions = {}): Promise<Resolved> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new PluginHostError('ERR_WIT_NOT_FOUND', `WIT path ${path} does not exist`, { cause });
  });
  const extra: SourceFile[] = [];
  for (const dep of options.deps ?? []) {
    const depInfo = await stat(dep).catch((cause: unknown) => {
      throw new PluginHostError('ERR_WIT_NOT_FOUND', `WIT dependency ${dep} does not exist`, { cause });
    });
    extra.push(...(depInfo.isFile() ? [parseWit(await readFile(dep, 'utf8'), dep)] : await readWitDir(dep)));
  }
  if (info.isFile()) {
    const main = parseWit(await readFile(path, 'utf8'), path);
    if (!main.packageDecl && main.nested.length === 0) {
      throw new PluginHostError('ERR_WIT_RESOLVE', `${path}: no \`package\` header was found (start the file with \`package namespace:name;\`)`);
    }
    return withoutShadowed(extra, [main], (files) => resolveFiles(files, options));
  }
  const depFiles: SourceFile[] = [];
  const depsDir = join(path, 'deps');
  if (await isDirectory(depsDir)) {
    for (const entry of (await readdir(depsDir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(depsDir, entry.name);
      if (entry.isDirectory()) depFiles.push(...(await readWitDir(full)));
      else if (entry.name.endsWith('.wit')) depFiles.push(parseWit(await readFile(full, 'utf8'), full));
    }
  }
  const mainFiles = await readWitDir(path);
  if (mainFiles.length === 0) throw new PluginHostError('ERR_WIT_NOT_FOUND', `no .wit files in ${path}`);
  if (mainFiles.every((f) => !f.packageDecl && f.nested.length === 0)) {
    throw new PluginHostError('ERR_WIT_RESOLVE', `${path}: no \`package\` header was found in any WIT file for this package`);
  }
  // Dependencies resolve as their own packages; the main files share one package name.
  return withoutShadowed(extra, [...depFiles, ...mainFiles], (files) => resolveDirectoryPackages(
    files.filter((f) => !mainFiles.includes(f)), mainFiles, options));
}

/** Adds `extra` dependency files whose packages the other files do not define. */
function withoutShadowed(extra: SourceFile[], files: SourceFile[], resolve: (files: SourceFile[]) => Resolved): Resolved {
  const declared = new Set(files.flatMap((f) => [
    ...(f.packageDecl ? [packageId(f.packageDecl)] : []), ...f.nested.map((n) => packageId(n.name)),
  ]));
  const added = extra.filter((f) => !(f.packageDecl && declared.has(packageId(f.packageDecl))));
  return resolve([...added, ...files]);
}

function resolveDirectoryPackages(depFiles: SourceFile[], mainFiles: SourceFile[], options: ResolveOptions): Resolved {
  const mainName = samePackage(mainFiles);
  const depDirs = groupByDirectory(depFiles);
  const all: SourceFile[] = [];
  // Files of a dependency directory without their own `package` line take their sibling's.
  for (const files of depDirs.values()) {
    const name = samePackage(files);
    for (const f of files) all.push(name && !f.packageDecl && f.items.length > 0 ? { ...f, packageDecl: name } : f);
  }
  for (const f of mainFiles) all.push(mainName && !f.packageDecl && f.items.length > 0 ? { ...f, packageDecl: mainName } : f);
  const resolved = resolveFiles(all, options, mainName);
  const main = mainName ? resolved.packages.find((p) => packageId(p.name) === packageId(mainName)) : resolved.main;
  return { packages: resolved.packages, main };
}

/** The package the files of one directory declare; they must agree. */
function samePackage(files: SourceFile[]): SourceFile['packageDecl'] {
  let name: SourceFile['packageDecl'];
  let from: SourceFile | undefined;
  for (const f of files) {
    if (!f.packageDecl) continue;
    if (name && packageId(name) !== packageId(f.packageDecl)) {
      throw new PluginHostError('ERR_WIT_RESOLVE', `${f.file}: declares package ${packageId(f.packageDecl)}, but ${from!.file} in the same directory declares ${packageId(name)}`);
    }
    name ??= f.packageDecl;
    from ??= f;
  }
  return name;
}

function groupByDirectory(files: SourceFile[]): Map<string, SourceFile[]> {
  const groups = new Map<string, SourceFile[]>();
  for (const f of files) {
    const dir = f.file.slice(0, f.file.lastIndexOf('/'));
    const key = f.file.endsWith('.wit') && dir.endsWith('/deps') ? f.file : dir;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}

async function readWitDir(dir: string): Promise<SourceFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.wit')).sort();
  return Promise.all(names.map(async (n) => parseWit(await readFile(join(dir, n), 'utf8'), join(dir, n))));
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds a world: `name` in the main package, or `ns:pkg/name[@version]`. Without a
 * name, the main package's only world.
 */
export function selectWorld(resolved: Resolved, spec?: string): World {
  const all = resolved.packages.flatMap((p) => [...p.worlds.values()]);
  if (spec === undefined) {
    const candidates = resolved.main ? [...resolved.main.worlds.values()] : all;
    if (candidates.length === 1) return candidates[0]!;
    throw new PluginHostError('ERR_WIT_NOT_FOUND', candidates.length === 0
      ? 'the WIT sources define no world'
      : `the WIT sources define several worlds (${candidates.map(worldId).join(', ')}); name one`);
  }
  const found = spec.includes(':')
    ? all.filter((w) => matchesId(worldId(w), spec))
    : [...(resolved.main?.worlds.values() ?? all)].filter((w) => w.name === spec);
  if (found.length === 1) return found[0]!;
  throw new PluginHostError('ERR_WIT_NOT_FOUND', found.length === 0
    ? `world ${spec} not found (known worlds: ${all.map(worldId).join(', ') || 'none'})`
    : `world ${spec} is ambiguous: ${found.map(worldId).join(', ')}`);
}

/** Finds a named interface by `ns:pkg/name[@version]`. */
export function selectInterface(resolved: Resolved, spec: string): Interface {
  const all = resolved.packages.flatMap((p: Package) => [...p.interfaces.values()]);
  const found = all.filter((i) => matchesId(interfaceId(i)!, spec));
  if (found.length === 1) return found[0]!;
  throw new PluginHostError('ERR_WIT_NOT_FOUND', found.length === 0
    ? `interface ${spec} not found`
    : `interface ${spec} is ambiguous: ${found.map((i) => interfaceId(i)).join(', ')}`);
}

/** `ns:pkg/x@1.0.0` matches `ns:pkg/x@1.0.0` and `ns:pkg/x`. */
export function matchesId(full: string, spec: string): boolean {
  if (full === spec) return true;
  const at = full.indexOf('@');
  return at >= 0 && !spec.includes('@') && full.slice(0, at) === spec;
}

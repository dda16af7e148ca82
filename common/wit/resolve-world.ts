/**
 * World elaboration: world-level types, imports and exports, `include`, and the imports a
 * world implies (an interface that `use`s types from another needs that one imported).
 */
import type { SourceFile, TypeDefAst, UsePath, WorldAst, WorldItemAst } from './ast.js';
import type { Interface, NamedType, Package, TypeOwner, World, WorldItem } from './model.js';
import { interfaceId } from './model.js';
import { collidingName } from './names.js';
import { declareInterface, emptyNamedType, fillInterface, type ResolveContext } from './resolve.js';
import { fillFunction, fillResourceMembers, fillTypeBody, type TypeScope } from './resolve-types.js';

interface WorldEntry { world: World; ast: WorldAst; origin: SourceFile; state: 'new' | 'busy' | 'done' }

export function elaborateWorld(cx: ResolveContext, entry: WorldEntry): void {
  if (entry.state === 'done') return;
  if (entry.state === 'busy') throw cx.error({ file: entry.origin, at: entry.ast.at }, `world \`${entry.world.name}\` includes itself`);
  entry.state = 'busy';
  const { world, ast, origin: file } = entry;
  const pkg = world.package;
  const owner: TypeOwner = { kind: 'world', world };
  const scope: TypeScope = { types: world.types, file };
  const usedInterfaces: Interface[] = [];

  for (const item of ast.items) {
    if (!cx.enabled(item.gate)) continue;
    if (item.kind === 'use') {
      for (const alias of cx.useAliases(item, pkg, file, owner)) cx.define(world.types, alias, undefined, { file, at: item.at });
      usedInterfaces.push(cx.lookupInterface(item.path, pkg, file));
    } else if (isTypeDef(item)) {
      cx.define(world.types, emptyNamedType(item, owner), undefined, { file, at: item.at });
    }
  }
  for (const item of ast.items) {
    if (!cx.enabled(item.gate) || !isTypeDef(item)) continue;
    const type = world.types.get(item.name)!;
    fillTypeBody(cx, scope, type, item);
    if (item.kind === 'resource' && type.kind === 'resource') fillResourceMembers(cx, scope, type, item, new Map());
  }

  for (const item of ast.items) {
    if (!cx.enabled(item.gate) || (item.kind !== 'import' && item.kind !== 'export')) continue;
    const map = item.kind === 'import' ? world.imports : world.exports;
    let key: string;
    let value: WorldItem;
    const target = item.target;
    if (target.kind === 'path') {
      const iface = cx.lookupInterface(target.path, pkg, file);
      filled(cx, iface);
      key = item.name ?? interfaceId(iface)!;
      value = { kind: 'interface', iface };
    } else if (target.kind === 'func') {
      key = item.name!;
      value = { kind: 'function', func: fillFunction(cx, scope, key, target.type, item) };
    } else {
      key = item.name!;
      const iface = declareInterface(cx, { items: target.items, docs: item.docs, gate: item.gate }, pkg, file);
      filled(cx, iface);
      value = { kind: 'interface', iface };
    }
    const clash = collidingName([...map.keys(), ...(item.kind === 'import' ? world.types.keys() : [])], key);
    if (clash !== undefined) {
      throw cx.error({ file, at: item.at }, clash === key
        ? `\`${key}\` is ${item.kind}ed more than once by world \`${world.name}\``
        : `${item.kind} \`${key}\` in world \`${world.name}\` conflicts with ${item.kind} \`${clash}\` (kebab-case identifiers are case-insensitive)`);
    }
    map.set(key, value);
  }

  for (const item of ast.items) {
    if (item.kind !== 'include' || !cx.enabled(item.gate)) continue;
    const included = lookupWorld(cx, item.path, pkg, file);
    const includedEntry = cx.worlds.find((w) => w.world === included);
    if (includedEntry) elaborateWorld(cx, includedEntry);
    const origin = { file, at: item.at };
    const rename = new Map(item.with.map((w) => [w.from, w.to]));
    for (const from of rename.keys()) {
      if (!included.imports.has(from) && !included.exports.has(from) && !included.types.has(from) || from.includes(':')) {
        throw cx.error(origin, `no import or export kebab-name \`${from}\` in world \`${included.name}\`. Note that an ID does not support renaming`);
      }
    }
    mergeInto(cx, world.imports, included.imports, rename, origin);
    mergeInto(cx, world.exports, included.exports, rename, origin);
    // World-level types (and resources, with their functions) come along too.
    for (const [key, type] of included.types) {
      const name = rename.get(key) ?? key;
      const existing = world.types.get(name);
      if (existing === type) continue;
      if (existing || world.imports.has(name)) throw cx.error(origin, `\`${name}\` from the included world conflicts with an item of the same name; rename it with \`with { ${name} as … }\``);
      world.types.set(name, type);
    }
  }

  addImpliedImports(cx, world, usedInterfaces, { file, at: ast.at });
  entry.state = 'done';
}

function isTypeDef(item: WorldItemAst): item is TypeDefAst {
  return item.kind !== 'import' && item.kind !== 'export' && item.kind !== 'include' && item.kind !== 'use';
}

function filled(cx: ResolveContext, iface: Interface): void {
  const pending = cx.pendingByInterface.get(iface);
  if (pending) fillInterface(cx, pending);
}

function lookupWorld(cx: ResolveContext, path: UsePath, pkg: Package, file: SourceFile): World {
  const target = path.kind === 'local'
    ? pkg
    : cx.findPackage({ namespace: path.namespace, name: path.package, version: path.version }, { file, at: path.at });
  const world = target.worlds.get(path.name);
  if (!world) throw cx.error({ file, at: path.at }, `world \`${path.name}\` is not defined`);
  return world;
}

function mergeInto(
  cx: ResolveContext, into: Map<string, WorldItem>, from: Map<string, WorldItem>,
  rename: Map<string, string>, origin: { file: SourceFile; at: number },
): void {
  for (const [key, item] of from) {
    const isInterfaceId = key.includes(':');
    const name = isInterfaceId ? key : rename.get(key) ?? key;
    const existing = into.get(name);
    if (existing) {
      if (existing.kind === 'interface' && item.kind === 'interface' && existing.iface === item.iface) continue;
      throw cx.error(origin, `\`${name}\` from the included world conflicts with an item of the same name; rename it with \`with { ${name} as … }\``);
    }
    // A renamed function is a function of that name (its canonical name is what components use).
    into.set(name, name !== key && item.kind === 'function' ? { kind: 'function', func: { ...item.func, name, shortName: name } } : item);
  }
}

/** The named interfaces whose types `iface` uses. */
function dependencies(iface: Interface): Interface[] {
  const deps: Interface[] = [];
  for (const t of iface.types.values()) {
    if (t.kind !== 'alias') continue;
    const dep = definingInterface(t.target);
    if (dep && dep !== iface && !deps.includes(dep)) deps.push(dep);
  }
  return deps;
}

function definingInterface(t: unknown): Interface | undefined {
  const named = t as Partial<NamedType>;
  const owner = named.owner;
  return owner?.kind === 'interface' ? owner.iface : undefined;
}

/**
 * Imports every interface the world's imports, exports and world-level `use`s depend on.
 * An exported interface's dependencies are imported unless they are exported too; an
 * interface may not end up needed both ways (wit-parser's `elaborate_world_exports`: an
 * export would otherwise see two copies of one interface, the imported and the exported).
 */
function addImpliedImports(cx: ResolveContext, world: World, usedInterfaces: Interface[], origin: { file: SourceFile; at: number }): void {
  const exportList = new Map<Interface, string>();
  for (const [key, item] of world.exports) if (item.kind === 'interface') exportList.set(item.iface, key);
  const ordered = new Map<string, WorldItem>();
  const visiting = new Set<Interface>();
  const importInterface = (iface: Interface) => {
    const id = interfaceId(iface);
    if (!id || ordered.has(id) || visiting.has(iface)) return;
    visiting.add(iface);
    for (const dep of dependencies(iface)) importInterface(dep);
    ordered.set(id, { kind: 'interface', iface });
  };
  for (const iface of usedInterfaces) importInterface(iface);
  for (const [key, item] of world.imports) {
    if (item.kind === 'interface') for (const dep of dependencies(item.iface)) importInterface(dep);
    if (!ordered.has(key)) ordered.set(key, item);
  }
  const exported = new Set<Interface>();
  const requiredImports = new Set<Interface>();
  /** False when `iface` would be needed as an import and as an export. */
  const addExport = (iface: Interface, asExport: boolean): boolean => {
    if (exported.has(iface)) return asExport;
    if (!asExport && requiredImports.has(iface)) return true;
    if (!dependencies(iface).every((dep) => addExport(dep, asExport && exportList.has(dep)))) return false;
    if (asExport) {
      if (requiredImports.has(iface)) return false;
      exported.add(iface);
    } else {
      requiredImports.add(iface);
      importInterface(iface);
    }
    return true;
  };
  for (const [iface, key] of exportList) {
    if (!addExport(iface, true)) {
      throw cx.error(origin, `interface \`${key}\` transitively depends on an interface in incompatible ways: it is needed both as an import and as an export of world \`${world.name}\``);
    }
  }
  world.imports = ordered;
}

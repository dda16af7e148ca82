/**
 * Name resolution: parsed WIT files in, the shared-object model of `model.ts` out.
 *
 * The work runs in passes so that order of definition never matters:
 *   1. group items into packages and create empty interfaces, worlds and named types;
 *   2. bind `use` items (on demand, following chains across interfaces, detecting cycles);
 *   3. fill type bodies and functions;
 *   4. elaborate worlds (includes, implied imports) — see `resolve-world.ts`;
 *   5. validate (no recursive types, no borrows in results) — see `validate.ts`.
 */
import { PluginHostError } from '../errors.js';
import type {
  InterfaceAst, InterfaceItem, NestedPackage, SourceFile, TopItem, TypeDefAst, UsePath, WorldAst,
} from './ast.js';
import { Lexer } from './lexer.js';
import type {
  AliasType, Gate, Interface, NamedType, Package, PackageName, Resolved, TypeOwner, World,
} from './model.js';
import { packageId } from './model.js';
import { fillFunction, fillResourceMembers, fillTypeBody, type TypeScope } from './resolve-types.js';
import { elaborateWorld } from './resolve-world.js';
import { validatePackages } from './validate.js';

export interface ResolveOptions {
  /** `@unstable` features to keep; `'all'` keeps every gated item. Default: none. */
  features?: readonly string[] | 'all';
}

/** Where an item came from, for error messages. */
export interface Origin { readonly file: SourceFile; readonly at: number }

interface PendingInterface {
  iface: Interface;
  ast: { items: InterfaceItem[] };
  origin: SourceFile;
  state: 'new' | 'binding' | 'bound' | 'filled';
}

/** Resolution state shared by the passes. */
export class ResolveContext {
  readonly packages = new Map<string, Package>();
  readonly interfaces: PendingInterface[] = [];
  readonly pendingByInterface = new Map<Interface, PendingInterface>();
  readonly worlds: { world: World; ast: WorldAst; origin: SourceFile; state: 'new' | 'busy' | 'done' }[] = [];
  /** File-scoped names from top-level `use … as …;`. */
  readonly fileUses = new Map<SourceFile, Map<string, UsePath>>();
  /** Where each named type and function was defined, for validation errors. */
  readonly origins = new WeakMap<object, Origin>();

  constructor(readonly options: ResolveOptions) {}

  error(origin: Origin, message: string): PluginHostError {
    const { line, column } = new Lexer(origin.file.text, origin.file.file).position(origin.at);
    return new PluginHostError('ERR_WIT_RESOLVE', `${origin.file.file}:${line}:${column}: ${message}`, {
      location: { file: origin.file.file, line, column },
    });
  }

  /** False for items behind an `@unstable` feature that is not enabled. */
  enabled(gate: Gate | undefined): boolean {
    if (!gate?.unstable) return true;
    const features = this.options.features;
    return features === 'all' || (features ?? []).includes(gate.unstable);
  }

  /** The interface a use path names, from a file inside package `pkg`. */
  lookupInterface(path: UsePath, pkg: Package, file: SourceFile): Interface {
    if (path.kind === 'local') {
      const aliased = this.fileUses.get(file)?.get(path.name);
      if (aliased) return this.lookupInterface(aliased, pkg, file);
      const iface = pkg.interfaces.get(path.name);
      if (!iface) throw this.error({ file, at: path.at }, `interface \`${path.name}\` is not defined in package ${packageId(pkg.name)}`);
      return iface;
    }
    const target = this.findPackage({ namespace: path.namespace, name: path.package, version: path.version }, { file, at: path.at });
    const iface = target.interfaces.get(path.name);
    if (!iface) throw this.error({ file, at: path.at }, `package ${packageId(target.name)} has no interface \`${path.name}\``);
    return iface;
  }

  findPackage(name: PackageName, origin: Origin): Package {
    const exact = this.packages.get(packageId(name));
    if (exact) return exact;
    if (name.version === undefined) {
      const candidates = [...this.packages.values()].filter((p) => p.name.namespace === name.namespace && p.name.name === name.name);
      if (candidates.length === 1) return candidates[0]!;
      if (candidates.length > 1) {
        throw this.error(origin, `package ${name.namespace}:${name.name} is ambiguous: versions ${candidates.map((c) => c.name.version).join(', ')} are present; add @version`);
      }
    }
    const known = [...this.packages.keys()].join(', ') || 'none';
    throw this.error(origin, `package ${packageId(name)} not found (known packages: ${known}); add it to the WIT sources or a deps/ folder`);
  }

  /** Binds the `use` items of an interface (and, first, of the interfaces they point to). */
  bindUses(pending: PendingInterface): void {
    if (pending.state !== 'new') {
      if (pending.state === 'binding') throw this.error({ file: pending.origin, at: 0 }, `\`use\` statements form a cycle through interface \`${pending.iface.name ?? '<inline>'}\``);
      return;
    }
    pending.state = 'binding';
    const owner: TypeOwner = { kind: 'interface', iface: pending.iface };
    for (const item of pending.ast.items) {
      if (item.kind !== 'use' || !this.enabled(item.gate)) continue;
      const aliases = this.useAliases(item, pending.iface.package!, pending.origin, owner);
      for (const alias of aliases) this.define(pending.iface.types, alias, pending.iface.functions, { file: pending.origin, at: item.at });
    }
    pending.state = 'bound';
  }

  /** Aliases created by one `use path.{a, b as c};`. */
  useAliases(item: Extract<InterfaceItem, { kind: 'use' }>, pkg: Package, file: SourceFile, owner: TypeOwner): AliasType[] {
    const target = this.lookupInterface(item.path, pkg, file);
    const targetPending = this.pendingByInterface.get(target);
    if (targetPending) this.bindUses(targetPending);
    return item.names.map((n) => {
      const type = target.types.get(n.name);
      if (!type) throw this.error({ file, at: n.at }, `interface \`${target.name}\` has no type \`${n.name}\``);
      return { kind: 'alias', name: n.as ?? n.name, owner, target: type, gate: item.gate } satisfies AliasType;
    });
  }

  define(types: Map<string, NamedType>, type: NamedType, functions: Map<string, unknown> | undefined, origin: Origin): void {
    if (types.has(type.name) || functions?.has(type.name)) throw this.error(origin, `name \`${type.name}\` is defined more than once`);
    types.set(type.name, type);
    this.origins.set(type, origin);
  }
}

/** Resolves parsed files into packages. `mainPackage` names the package of files without a `package` line. */
export function resolveFiles(files: readonly SourceFile[], options: ResolveOptions = {}, mainPackage?: PackageName): Resolved {
  const cx = new ResolveContext(options);
  let main: Package | undefined;
  const defaultName = mainPackage ?? files.find((f) => f.packageDecl)?.packageDecl;

  for (const file of files) {
    if (file.items.length > 0) {
      const name = file.packageDecl ?? defaultName;
      if (!name) throw cx.error({ file, at: 0 }, 'no `package` declaration: start the file with `package namespace:name;`');
      main = declarePackage(cx, name, file, file.items, file.docs);
    } else if (file.packageDecl) {
      main = declarePackage(cx, file.packageDecl, file, [], file.docs);
    }
    for (const nested of file.nested) {
      const pkg = declarePackage(cx, nested.name, file, nested.items, nested.docs);
      if (file.items.length === 0 && !file.packageDecl) main = pkg;
    }
  }

  for (const pending of cx.interfaces) cx.bindUses(pending);
  for (const pending of cx.interfaces) fillInterface(cx, pending);
  for (const entry of cx.worlds) elaborateWorld(cx, entry);
  const packages = [...cx.packages.values()];
  validatePackages(cx, packages);
  return { packages, main };
}

function declarePackage(cx: ResolveContext, name: PackageName, file: SourceFile, items: TopItem[], docs: string | undefined): Package {
  const id = packageId(name);
  let pkg = cx.packages.get(id);
  if (!pkg) {
    pkg = { name: { namespace: name.namespace, name: name.name, version: name.version }, interfaces: new Map(), worlds: new Map(), docs };
    cx.packages.set(id, pkg);
  } else if (docs && !pkg.docs) {
    pkg.docs = docs;
  }
  const uses = cx.fileUses.get(file) ?? new Map<string, UsePath>();
  cx.fileUses.set(file, uses);
  for (const item of items) {
    if (item.kind === 'top-use') {
      const local = item.as ?? item.path.name;
      if (uses.has(local)) throw cx.error({ file, at: item.at }, `\`${local}\` is already used in this file`);
      uses.set(local, item.path);
    } else if (item.kind === 'interface') {
      if (!cx.enabled(item.gate)) continue;
      if (pkg.interfaces.has(item.name) || pkg.worlds.has(item.name)) throw cx.error({ file, at: item.at }, `\`${item.name}\` is defined more than once in package ${id}`);
      pkg.interfaces.set(item.name, declareInterface(cx, item, pkg, file));
    } else {
      if (!cx.enabled(item.gate)) continue;
      if (pkg.interfaces.has(item.name) || pkg.worlds.has(item.name)) throw cx.error({ file, at: item.at }, `\`${item.name}\` is defined more than once in package ${id}`);
      const world: World = { name: item.name, package: pkg, imports: new Map(), exports: new Map(), types: new Map(), docs: item.docs, gate: item.gate };
      pkg.worlds.set(item.name, world);
      cx.worlds.push({ world, ast: item, origin: file, state: 'new' });
    }
  }
  return pkg;
}

/** Creates an interface with empty named types, to be bound and filled by later passes. */
export function declareInterface(cx: ResolveContext, ast: Pick<InterfaceAst, 'items' | 'docs' | 'gate'> & { name?: string }, pkg: Package, file: SourceFile): Interface {
  const iface: Interface = { name: ast.name, package: pkg, types: new Map(), functions: new Map(), docs: ast.docs, gate: ast.gate };
  const owner: TypeOwner = { kind: 'interface', iface };
  for (const item of ast.items) {
    if (item.kind === 'use' || item.kind === 'func' || !cx.enabled(item.gate)) continue;
    cx.define(iface.types, emptyNamedType(item, owner), undefined, { file, at: item.at });
  }
  const pending: PendingInterface = { iface, ast, origin: file, state: 'new' };
  cx.interfaces.push(pending);
  cx.pendingByInterface.set(iface, pending);
  return iface;
}

export function emptyNamedType(item: TypeDefAst, owner: TypeOwner): NamedType {
  const base = { name: item.name, owner, docs: item.docs, gate: item.gate };
  switch (item.kind) {
    case 'record': return { kind: 'record', ...base, fields: [] };
    case 'variant': return { kind: 'variant', ...base, cases: [] };
    case 'enum': return { kind: 'enum', ...base, cases: [] };
    case 'flags': return { kind: 'flags', ...base, flags: [] };
    case 'resource': return { kind: 'resource', ...base, methods: [], statics: [] };
    case 'alias': return { kind: 'alias', ...base, target: { kind: 'bool' } };
  }
}

/** Fills type bodies and functions of one interface. */
export function fillInterface(cx: ResolveContext, pending: PendingInterface): void {
  if (pending.state === 'filled') return;
  cx.bindUses(pending);
  const { iface, origin: file } = pending;
  const scope: TypeScope = { types: iface.types, file };
  for (const item of pending.ast.items) {
    if (item.kind === 'use' || !cx.enabled(item.gate)) continue;
    if (item.kind === 'func') {
      if (iface.functions.has(item.name) || iface.types.has(item.name)) throw cx.error({ file, at: item.at }, `name \`${item.name}\` is defined more than once`);
      iface.functions.set(item.name, fillFunction(cx, scope, item.name, item.type, item));
      continue;
    }
    const type = iface.types.get(item.name)!;
    fillTypeBody(cx, scope, type, item);
    if (item.kind === 'resource' && type.kind === 'resource') fillResourceMembers(cx, scope, type, item, iface.functions);
  }
  pending.state = 'filled';
}

export type { NestedPackage };

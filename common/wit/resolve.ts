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
import { collidingName } from './names.js';
import type {
  AliasType, Gate, Interface, NamedType, Package, PackageName, Resolved, TypeOwner, World,
} from './model.js';
import { packageId } from './model.js';
import { fillFunction, fillResourceMembers, fillTypeBody, type TypeScope } from './resolve-types.js';
import { elaborateWorld } from './resolve-world.js';
import { checkGates } from './gates.js';
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
  /** The package each file's top-level items belong to. */
  readonly filePackages = new Map<SourceFile, Package>();
  /** Where each package was declared, and whether by a nested `package x { … }` block. */
  readonly packageOrigins = new Map<string, { origin: Origin; nested: boolean }>();
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
  lookupInterface(path: UsePath, pkg: Package, file: SourceFile, throughFileUse = false): Interface {
    if (path.kind === 'local') {
      // A file-level `use` names an interface of the package (or a foreign one), not another `use`.
      const aliased = throughFileUse ? undefined : this.fileUses.get(file)?.get(path.name);
      if (aliased) return this.lookupInterface(aliased, pkg, file, true);
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
    this.checkUnique([types.keys(), functions?.keys() ?? []], type.name, origin);
    types.set(type.name, type);
    this.origins.set(type, origin);
  }

  /** Refuses `name` if it collides, ignoring case, with a name already defined in the scope. */
  checkUnique(scopes: Iterable<string>[], name: string, origin: Origin, what = 'name'): void {
    for (const keys of scopes) {
      const clash = collidingName(keys, name);
      if (clash === undefined) continue;
      throw this.error(origin, clash === name
        ? `${what} \`${name}\` is defined more than once`
        : `${what} \`${name}\` conflicts with \`${clash}\` (kebab-case identifiers are case-insensitive)`);
    }
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
      main = declarePackage(cx, name, file, file.items, file.docs, { file, at: file.packageDecl?.at ?? 0 }, false);
    } else if (file.packageDecl) {
      main = declarePackage(cx, file.packageDecl, file, [], file.docs, { file, at: file.packageDecl.at }, false);
    }
    for (const nested of file.nested) {
      const pkg = declarePackage(cx, nested.name, file, nested.items, nested.docs, { file, at: nested.at }, true);
      if (file.items.length === 0 && !file.packageDecl) main = pkg;
    }
  }

  // Top-level `use` must name an interface, whether anything refers to it or not.
  for (const file of files) {
    const pkg = cx.filePackages.get(file);
    for (const path of cx.fileUses.get(file)?.values() ?? []) if (pkg) cx.lookupInterface(path, pkg, file);
  }
  for (const pending of cx.interfaces) cx.bindUses(pending);
  for (const pending of cx.interfaces) fillInterface(cx, pending);
  for (const entry of cx.worlds) elaborateWorld(cx, entry);
  const packages = [...cx.packages.values()];
  validatePackages(cx, packages);
  return { packages, main };
}

/**
 * Declares the items one file (or one nested block) gives a package. A package spread over
 * several files is declared by their `package x;` lines; a nested `package x { … }` block
 * defines a whole package, so it may not meet another declaration of the same package.
 */
function declarePackage(
  cx: ResolveContext, name: PackageName, file: SourceFile, items: TopItem[], docs: string | undefined, origin: Origin, nested: boolean,
): Package {
  const id = packageId(name);
  const previous = cx.packageOrigins.get(id);
  if (previous && (previous.nested || nested)) {
    const { line, column } = new Lexer(previous.origin.file.text, previous.origin.file.file).position(previous.origin.at);
    throw cx.error(origin, `package \`${id}\` is defined in two different locations (also at ${previous.origin.file.file}:${line}:${column})`);
  }
  if (!previous) cx.packageOrigins.set(id, { origin, nested });
  let pkg = cx.packages.get(id);
  if (!pkg) {
    pkg = { name: { namespace: name.namespace, name: name.name, version: name.version }, interfaces: new Map(), worlds: new Map(), docs };
    cx.packages.set(id, pkg);
  } else if (docs) {
    if (pkg.docs) throw cx.error(origin, `found doc comments on multiple 'package' items of ${id}`);
    pkg.docs = docs;
  }
  checkGates(cx, pkg.name, file, items);
  if (!nested || !cx.filePackages.has(file)) cx.filePackages.set(file, pkg);
  const uses = cx.fileUses.get(file) ?? new Map<string, UsePath>();
  cx.fileUses.set(file, uses);
  const definedHere = new Set<string>();
  const fileScoped = (local: string, at: number) => {
    if (uses.has(local) || definedHere.has(local)) throw cx.error({ file, at }, `duplicate name \`${local}\` in this file`);
  };
  for (const item of items) {
    if (item.kind === 'top-use') {
      const local = item.as ?? item.path.name;
      fileScoped(local, item.at);
      uses.set(local, item.path);
      continue;
    }
    if (cx.enabled(item.gate)) {
      fileScoped(item.name, item.at);
      definedHere.add(item.name);
    }
    if (item.kind === 'interface') {
      if (!cx.enabled(item.gate)) continue;
      cx.checkUnique([pkg.interfaces.keys(), pkg.worlds.keys()], item.name, { file, at: item.at }, `in package ${id}, the name`);
      pkg.interfaces.set(item.name, declareInterface(cx, item, pkg, file));
    } else {
      if (!cx.enabled(item.gate)) continue;
      cx.checkUnique([pkg.interfaces.keys(), pkg.worlds.keys()], item.name, { file, at: item.at }, `in package ${id}, the name`);
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
      cx.checkUnique([iface.functions.keys(), iface.types.keys()], item.name, { file, at: item.at });
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

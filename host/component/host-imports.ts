/**
 * Binds a component's root imports to host-provided JavaScript objects, with jco's
 * conventions: an interface import is an object keyed by the interface name (with or
 * without `@version`) whose functions are lowerCamelCase; resources are classes in
 * UpperCamelCase, whose methods are called on the instances the guest holds. A world-level
 * function or resource is given under its own name, bare or as `{ default: … }`; a
 * world-level resource's constructor, methods and statics come from its class. Which
 * member counts is `hostMember`'s rule (common/host-objects.ts).
 */
import { PluginHostError } from '../../common/errors.js';
import { builtinNote, checkImport, coreCallOf, type CoreCallBinding, IMPORT_CHECK, hostMember, hostMethod, isBuiltinName, lookupImport, missingMethod, resourceOfFunctionName, rootImportValue, worldLevelFunction, type HostImports } from '../../common/host-objects.js';
import { camelCase, parseFunctionName, pascalCase } from '../../common/wit/names.js';
import type { Decl, ExternType, TypeDef } from './binary/ast.js';
import { passesThrough } from './canon/core-entry.js';
import type { CallStyle } from './canon/functions.js';
import type { CompiledComponent, ExternValue, ImportResolver, InstanceValue } from './instantiate.js';
import { componentWorld } from './component-world.js';
import type { Interface } from '../../common/wit/model.js';
import type { RuntimeResource } from './runtime/resources.js';
import { evalInstanceType, newResource, typeAt, type ExternSig, type FuncSig } from './runtime/types.js';


/**
 * Names of root imports the host object does not provide. Interfaces that only define
 * types (no functions, no resources) need nothing from the host and are never missing.
 */
export function missingImports(compiled: CompiledComponent, imports: HostImports): string[] {
  const missing = compiled.imports
    .filter((i) => rootImportValue(imports, i.name) === undefined && !typesOnly(compiled, i.type) && !(i.type.sort === 'type' && i.type.bound.kind === 'eq'))
    .map((i) => i.name);
  // A missing world-level resource is named once, not again for each of its functions.
  const names = new Set(missing);
  return missing.filter((name) => { const r = resourceOfFunctionName(name); return r === undefined || !names.has(r); });
}

/**
 * Whether the component imports a resource type (from an interface, or at world level):
 * dropping a handle of one runs host code outside any import call.
 */
export function importsResources(compiled: CompiledComponent): boolean {
  const rootTypes = rootTypeDefs(compiled);
  return compiled.imports.some((i) => {
    if (i.type.sort === 'type') return i.type.bound.kind === 'sub-resource';
    if (i.type.sort !== 'instance') return i.type.sort !== 'func';
    const def = rootTypes[i.type.index];
    return def?.kind !== 'instance' || declaresResource(def.decls);
  });
}

/** Whether instance declarators export a resource type (anywhere inside). Unknown instance types count as doing so. */
function declaresResource(decls: readonly Decl[]): boolean {
  const local: (TypeDef | undefined)[] = [];
  for (const d of decls) {
    if (d.kind === 'type') local.push(d.def);
    else if (d.kind === 'alias' && d.alias.sort === 'type') local.push(undefined);
    else if (d.kind === 'export' && d.type.sort === 'type') {
      if (d.type.bound.kind !== 'eq') return true;
      local.push(undefined);
    } else if (d.kind === 'export' && d.type.sort === 'instance') {
      const inner = local[d.type.index];
      if (inner?.kind !== 'instance' || declaresResource(inner.decls)) return true;
    }
  }
  return false;
}

function rootTypeDefs(compiled: CompiledComponent): (TypeDef | undefined)[] {
  const rootTypes: (TypeDef | undefined)[] = [];
  for (const d of compiled.definitions) {
    if (d.kind === 'type') rootTypes.push(d.def);
    else if ((d.kind === 'alias' && d.alias.sort === 'type') || (d.kind === 'import' && d.type.sort === 'type')) rootTypes.push(undefined);
    else if (d.kind === 'export' && d.sort === 'type') rootTypes.push(undefined);
  }
  return rootTypes;
}

/** True for an instance import whose type declares no functions and no resources, nested instances included. */
function typesOnly(compiled: CompiledComponent, type: ExternType): boolean {
  if (type.sort !== 'instance') return false;
  const def = rootTypeDefs(compiled)[type.index];
  return def?.kind === 'instance' && declaresNothingHosted(def.decls);
}

/** Whether instance declarators export only type equalities (and such instances). Unknown types count as hosted. */
function declaresNothingHosted(decls: readonly Decl[]): boolean {
  const local: (TypeDef | undefined)[] = [];
  for (const d of decls) {
    if (d.kind === 'type') local.push(d.def);
    else if (d.kind === 'alias' && d.alias.sort === 'type') local.push(undefined);
    else if (d.kind === 'export') {
      if (d.type.sort === 'type') {
        if (d.type.bound.kind !== 'eq') return false;
        local.push(undefined);
      } else if (d.type.sort === 'instance') {
        const inner = local[d.type.index];
        if (inner?.kind !== 'instance' || !declaresNothingHosted(inner.decls)) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

export interface ResolverOptions {
  /**
   * Bind a linked function that takes core values (`CORE_CALL`, `canon/core-entry.ts`) as
   * the core import itself: for instances whose imports run in the same thread (inline).
   */
  readonly coreCalls?: boolean;
  /** Hears of every core call bound (its `attribute` is to be asked about failures). */
  readonly onCoreCall?: (binding: CoreCallBinding) => void;
}

export function hostImportResolver(imports: HostImports, plugin: string, options: ResolverOptions = {}): ImportResolver {
  const coreCalls = options.coreCalls === true ? options.onCoreCall ?? (() => {}) : undefined;
  return (name, type, space) => {
    // Types-only instances and type equalities need nothing from the host.
    const value = rootImportValue(imports, name) ?? (type.sort === 'instance' ? {} : type.sort === 'type' && type.bound.kind === 'eq' ? null : undefined);
    if (value === undefined) throw missing(plugin, name, 'is not provided');
    return bind(plugin, imports, name, type, space, value, coreCalls);
  };
}

function missing(plugin: string, name: string, what: string): PluginHostError {
  return new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${name}, which ${what}`, { plugin });
}

type CoreCalls = ((binding: CoreCallBinding) => void) | undefined;

function bind(plugin: string, imports: HostImports, name: string, type: ExternType, space: Parameters<ImportResolver>[2], value: unknown, coreCalls: CoreCalls): ExternValue {
  switch (type.sort) {
    case 'func': {
      const t = typeAt(space, type.index);
      if (t.kind !== 'func') throw new PluginHostError('ERR_COMPONENT_INVALID', `import ${name} has a non-function type`);
      return { sort: 'func', func: { name, sig: t.sig, call: rootCallStyle(plugin, name, value, lookupImport(imports, name) === value) } };
    }
    case 'instance': {
      const t = typeAt(space, type.index);
      if (t.kind !== 'instance') throw new PluginHostError('ERR_COMPONENT_INVALID', `import ${name} has a non-instance type`);
      if (value === null || typeof value !== 'object') throw missing(plugin, name, 'the host gives as something other than an object');
      const host = value as Record<string, unknown>;
      const sigs = evalInstanceType(t.decls, t.space, (resource) => hostResource(host, resource));
      if (IMPORT_CHECK in host) checkImport(host, importedInterface(name, sigs), name);
      return { sort: 'instance', instance: bindInstance(plugin, name, sigs, host, coreCalls) };
    }
    case 'type':
      if (type.bound.kind === 'sub-resource') {
        const cls = worldLevelFunction(value);
        return { sort: 'type', type: { kind: 'resource', resource: newResource(name, cls ? { hostClass: cls as unknown as RuntimeResource['hostClass'] } : {}) } };
      }
      return { sort: 'type', type: typeAt(space, type.bound.index) };
    default:
      throw new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `importing a ${type.sort} (${name}) is not supported`);
  }
}

/** The imported instance as the WIT model has it (what a link compares with its target's export). */
function importedInterface(name: string, sigs: Map<string, ExternSig>): Interface {
  const exports = new Map<string, ExternValue>();
  const unbound = { kind: 'function', fn: () => undefined } as const;
  for (const [n, sig] of sigs) {
    if (sig.sort === 'func') exports.set(n, { sort: 'func', func: { name: n, sig: sig.sig, call: unbound } });
    else if (sig.sort === 'type') exports.set(n, { sort: 'type', type: sig.type });
  }
  const item = componentWorld({ exports: new Map([[name, { sort: 'instance', instance: { exports } }]]) }).world.exports.get(name);
  return (item as { iface: Interface }).iface;
}

function hostResource(host: Record<string, unknown>, name: string): RuntimeResource {
  const cls = hostMember(host, pascalCase(name));
  return newResource(name, typeof cls === 'function' ? { hostClass: cls as RuntimeResource['hostClass'] } : {});
}

function bindInstance(plugin: string, importName: string, sigs: Map<string, ExternSig>, host: Record<string, unknown>, coreCalls: CoreCalls): InstanceValue {
  const exports = new Map<string, ExternValue>();
  for (const [name, sig] of sigs) {
    if (sig.sort === 'type') {
      exports.set(name, { sort: 'type', type: sig.type });
    } else if (sig.sort === 'func') {
      exports.set(name, { sort: 'func', func: { name: `${importName}#${name}`, sig: sig.sig, call: callStyle(plugin, importName, name, host, coreCalls && { sig: sig.sig, bound: coreCalls }) } });
    } else if (sig.sort === 'instance') {
      // A nested instance that holds no functions and no resources needs nothing from the host.
      const inner = hostMember(host, camelCase(name)) ?? hostMember(host, name) ?? (needsHost(sig.exports) ? undefined : {});
      if (inner === null || typeof inner !== 'object') throw missing(plugin, `${importName}/${name}`, 'is not provided');
      exports.set(name, { sort: 'instance', instance: bindInstance(plugin, `${importName}/${name}`, sig.exports, inner as Record<string, unknown>, coreCalls) });
    }
  }
  return { exports };
}

/** Whether an instance's exports include a function or a resource (anywhere inside). */
function needsHost(sigs: Map<string, ExternSig>): boolean {
  for (const sig of sigs.values()) {
    if (sig.sort === 'func' || (sig.sort === 'type' && sig.type.kind === 'resource')) return true;
    if (sig.sort === 'instance' && needsHost(sig.exports)) return true;
  }
  return false;
}

/**
 * A root function import: a world-level function (bare or `{ default }`), or a world-level
 * resource's function — from its class, or given under its own name (`byName`, see
 * `rootImportValue`). Always a `function` style: glue templates are shared by call site
 * across instances, so a site's style must not depend on how the import object gives it.
 */
function rootCallStyle(plugin: string, name: string, value: unknown, byName: boolean): CallStyle {
  const parsed = parseFunctionName(name);
  const fn = worldLevelFunction(value);
  if (parsed.kind === 'freestanding' || byName) {
    if (!fn) throw missing(plugin, name, 'the host gives as something other than a function or `{ default: function }`');
    return { kind: 'function', fn };
  }
  if (parsed.kind === 'method') return { kind: 'function', fn: methodFunction(camelCase(parsed.name), name) };
  if (!fn) throw missing(plugin, name, `needs the class of resource \`${parsed.resource!}\` (given as \`${parsed.resource!}\` or \`{ default: class }\`)`);
  const cls = fn as unknown as HostClass;
  if (parsed.kind === 'constructor') return { kind: 'function', fn: (...args: unknown[]) => new cls(...args) };
  return resourceCallStyle(plugin, name, parsed, cls, parsed.resource!);
}

type HostClass = (new (...a: unknown[]) => unknown) & Record<string, unknown>;

/** `core`: the import's signature, when a core call may bind it (`ResolverOptions.coreCalls`). */
function callStyle(plugin: string, importName: string, name: string, host: Record<string, unknown>, core?: { sig: FuncSig; bound: (b: CoreCallBinding) => void }): CallStyle {
  const parsed = parseFunctionName(name);
  const where = `${importName}#${name}`;
  if (parsed.kind === 'method') return methodCallStyle(camelCase(parsed.name), where);
  if (parsed.kind === 'freestanding') {
    const fn = hostMember(host, camelCase(name));
    if (typeof fn !== 'function') throw missing(plugin, where, `has no function \`${camelCase(name)}\` in the host's object${builtinNote(camelCase(name))}`);
    const binding = core && passesThrough(core.sig) ? coreCallOf(fn) : undefined;
    if (binding) {
      core!.bound(binding);
      return { kind: 'core', fn: binding.fn, binding };
    }
    return { kind: 'function', fn: fn.bind(host) as (...a: unknown[]) => unknown };
  }
  const className = pascalCase(parsed.resource!);
  const cls = hostMember(host, className);
  if (typeof cls !== 'function') throw missing(plugin, where, `needs a class \`${className}\` in the host's object`);
  return resourceCallStyle(plugin, where, parsed, cls as HostClass, className);
}

/**
 * A resource method, looked up on the object at each call (as jco does). A name no built-in
 * has is a plain call (`self[name](…)`, in the inline glue and the worker alike); a name the
 * built-in prototypes also have goes through `hostMethod`, so only a method the application
 * wrote is ever called.
 */
function methodCallStyle(name: string, where: string): CallStyle {
  return isBuiltinName(name) ? { kind: 'function', fn: methodFunction(name, where) } : { kind: 'method', name };
}

/** Calls method `name` of the `self` it is given first, by `hostMethod`'s rule. */
function methodFunction(name: string, where: string): (...args: unknown[]) => unknown {
  return (self, ...args) => {
    const method = hostMethod(self, name);
    if (!method) throw missingMethod(where, name);
    return method.apply(self, args);
  };
}

/** A resource's constructor or static, from its class. */
function resourceCallStyle(plugin: string, where: string, parsed: ReturnType<typeof parseFunctionName>, cls: HostClass, className: string): CallStyle {
  if (parsed.kind === 'constructor') return { kind: 'construct', cls };
  const fn = hostMember(cls, camelCase(parsed.name));
  if (typeof fn !== 'function') throw missing(plugin, where, `needs a static \`${className}.${camelCase(parsed.name)}\`${builtinNote(camelCase(parsed.name))}`);
  return { kind: 'function', fn: (fn as (...a: unknown[]) => unknown).bind(cls) };
}


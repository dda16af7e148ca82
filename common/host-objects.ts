/**
 * Finds the host implementation of an imported WIT function in a jco-style imports object
 * (interface name → object of lowerCamelCase functions and UpperCamelCase resource classes;
 * a world-level function or resource under its own name, bare or as jco's `{ default }`).
 * The one place that decides which JavaScript value satisfies an import, for every transport
 * and for the Node guest SDK's exports.
 *
 * The rule for reading a member of the application's objects (the imports object, an
 * interface object, a class, a resource instance) is `hostMember`: an ordinary property
 * read, as jco's glue does, so methods on a class's prototype chain count, inherited ones
 * included — but nothing JavaScript gives every object or function does. A member found on
 * `Object.prototype` or `Function.prototype`, or the `constructor` link a class gives its
 * instances, is absent: an import named `to-string` is satisfied only by a `toString` the
 * application wrote, never by `Object.prototype.toString`.
 */
import { PluginHostError } from './errors.js';
import type { Interface, WitFunction } from './wit/model.js';
import { camelCase, pascalCase, stripVersion } from './wit/names.js';

/** A jco-style imports object: interface name (with or without `@version`) → implementation. */
export type HostImports = Readonly<Record<string, unknown>>;

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Marks a host function (or resource class, or method) that wants the context of the call
 * that reached it, after its WIT arguments: the signal that aborts when the plugin cancels
 * the call or the call that caused it ends (links use it to bound every hop). Unmarked
 * functions get exactly their WIT arguments, as in jco.
 */
export const WANTS_CALL_CONTEXT = Symbol.for('plugin-actors.wants-call-context');

/** What a function marked `WANTS_CALL_CONTEXT` receives after its WIT arguments. */
export interface HostCallContext {
  readonly signal?: AbortSignal;
}

export function wantsCallContext(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { [WANTS_CALL_CONTEXT]?: boolean })[WANTS_CALL_CONTEXT] === true;
}

/**
 * On a host function: the same function taking and returning core values, which an inline
 * importer may bind as its core import when the signature passes them through unchanged
 * (links between two instances of one thread). Not registered: only the library sets it.
 */
export const CORE_CALL = Symbol('plugin-actors.core-call');

export interface CoreCallBinding {
  readonly fn: (...core: unknown[]) => unknown;
  /**
   * Asked about every failure of the importer's calls: when it was this call's target that
   * failed (a trap that unwound through the importer), ends the target and returns the
   * error the importer's call failed with; otherwise undefined.
   */
  readonly attribute?: (cause: unknown) => unknown;
}

/** The `CORE_CALL` of a host function, if it has one. */
export function coreCallOf(fn: unknown): CoreCallBinding | undefined {
  const core = typeof fn === 'function' ? (fn as { [CORE_CALL]?: CoreCallBinding })[CORE_CALL] : undefined;
  return core !== undefined && typeof core.fn === 'function' ? core : undefined;
}

/**
 * On an imports value: checks the importer's view of the interface before anything is bound
 * (a link compares it with the target's export; throws a PluginHostError on a mismatch).
 */
export const IMPORT_CHECK = Symbol.for('plugin-actors.import-check');

/** Runs the `IMPORT_CHECK` of the value bound to an imported interface, if it has one. */
export function checkImport(value: unknown, iface: Interface, importName: string): void {
  const check = isObjectLike(value) ? (value as { [IMPORT_CHECK]?: unknown })[IMPORT_CHECK] : undefined;
  if (typeof check === 'function') (check as (i: Interface, name: string) => void).call(value, iface, importName);
}

/**
 * Whether `key` is a name the built-in prototypes define (`toString`, `constructor`, `call`,
 * …), so that a plain read of it may reach a built-in. `Function.prototype` inherits from
 * `Object.prototype`, so one `in` covers both, including anything added to them at run time.
 */
export function isBuiltinName(key: string): boolean {
  return key in Function.prototype;
}

/**
 * `target[key]`, unless it would come from `Object.prototype` or `Function.prototype` or is
 * the automatic `constructor` link of a prototype (then undefined). Names the built-ins do
 * not define are a plain read, so a Proxy with only a `get` trap still serves them.
 */
export function hostMember(target: object, key: string): unknown {
  if (!isBuiltinName(key)) return (target as Record<string, unknown>)[key];
  for (let o: object | null = target; o !== null && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    const value = (target as Record<string, unknown>)[key];
    // `class C {}` gives `C.prototype.constructor === C`: the class, not a method named `constructor`.
    return key === 'constructor' && typeof value === 'function' && (value as { prototype?: unknown }).prototype === o ? undefined : value;
  }
  return undefined;
}

function isObjectLike(value: unknown): value is object {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/** Finds the host value for an import name: exact, then without `@version`. */
export function lookupImport(imports: HostImports, name: string): unknown {
  const exact = hostMember(imports, name);
  if (exact !== undefined) return exact;
  const bare = stripVersion(name);
  return bare === name ? undefined : hostMember(imports, bare);
}

/**
 * The function (or class) a world-level import is given as: the value itself, or jco's
 * `{ default: fn }` (what `jco transpile --instantiation` reads, and what an ES module
 * namespace with a default export looks like).
 */
export function worldLevelFunction(value: unknown): AnyFunction | undefined {
  if (typeof value === 'function') return value as AnyFunction;
  if (!isObjectLike(value)) return undefined;
  const fn = hostMember(value, 'default');
  return typeof fn === 'function' ? fn as AnyFunction : undefined;
}

/**
 * The value a root import of a component is looked up by. A world-level resource's
 * constructor, methods and statics (`[constructor]r`, `[method]r.m`, `[static]r.s`) come from
 * the class given under the resource's own name, as in jco. One given under the function's
 * own name is taken first (a method then takes `self` first): the worker's host stubs give
 * them that way; applications give the class.
 */
export function rootImportValue(imports: HostImports, name: string): unknown {
  const resource = resourceOfFunctionName(name);
  return lookupImport(imports, name) ?? (resource === undefined ? undefined : lookupImport(imports, resource));
}

/** `r` for `[constructor]r`, `[method]r.m` and `[static]r.s`; undefined for other names. */
export function resourceOfFunctionName(name: string): string | undefined {
  const match = /^\[(?:constructor|method|static)\]([^.]+)/.exec(name);
  return match?.[1];
}

/** The method `name` of a host resource object, by `hostMember`'s rule; undefined if it has none. */
export function hostMethod(self: unknown, name: string): AnyFunction | undefined {
  const fn = isObjectLike(self) ? hostMember(self, name) : undefined;
  return typeof fn === 'function' ? fn as AnyFunction : undefined;
}

export type HostCall = (self: unknown, args: readonly unknown[], context?: HostCallContext) => unknown;

/** The call, or undefined when the imports object has no implementation. */
export function resolveHostCall(imports: HostImports, interfaceKey: string, func: WitFunction): HostCall | undefined {
  if (interfaceKey === '') {
    // World level: a function or a resource class under its own (kebab-case) name.
    const value = lookupImport(imports, func.kind === 'freestanding' ? func.name : func.resource!.name);
    return functionCall(worldLevelFunction(value), undefined, func);
  }
  const owner = lookupImport(imports, interfaceKey);
  if (!isObjectLike(owner)) return undefined;
  if (func.kind === 'freestanding') return functionCall(hostMember(owner, camelCase(func.name)), owner, func);
  const cls = func.kind === 'method' ? undefined : hostMember(owner, pascalCase(func.resource!.name));
  return functionCall(cls, owner, func);
}

/**
 * The call of `func` given `fn`: the function itself, or for a resource the class (its
 * constructor and statics); a method is looked up on `self` at each call.
 */
function functionCall(fn: unknown, owner: unknown, func: WitFunction): HostCall | undefined {
  const withContext = (args: readonly unknown[], f: unknown, context: HostCallContext | undefined) => (context && wantsCallContext(f) ? [...args, context] : args as unknown[]);
  switch (func.kind) {
    case 'freestanding':
      return typeof fn === 'function' ? (_self, args, context) => (fn as AnyFunction).apply(owner, withContext(args, fn, context)) : undefined;
    case 'method': {
      const name = camelCase(func.shortName);
      return (self, args, context) => {
        const method = hostMethod(self, name);
        if (!method) throw missingMethod(func.name, name);
        return method.apply(self, withContext(args, method, context));
      };
    }
    case 'constructor':
      return typeof fn === 'function' ? (_self, args, context) => new (fn as new (...a: unknown[]) => unknown)(...withContext(args, fn, context)) : undefined;
    case 'static': {
      const method = typeof fn === 'function' ? hostMember(fn, camelCase(func.shortName)) : undefined;
      return typeof method === 'function' ? (_self, args, context) => (method as AnyFunction).apply(fn, withContext(args, method, context)) : undefined;
    }
  }
}

/** The error for a resource object that lacks a method the plugin calls (found only at the call: jco reads methods then too). */
export function missingMethod(where: string, name: string): PluginHostError {
  return new PluginHostError('ERR_IMPORT_MISSING', `${where}: the host's resource object has no method \`${name}\`${builtinNote(name)}`);
}

/** For messages: why a name every object has still counts as missing. */
export function builtinNote(name: string): string {
  return isBuiltinName(name) ? ` (the built-in \`${name}\` of every object or function does not count)` : '';
}

/** jco's rule for `result` returns: an error with `payload` (or a non-Error throw) is the err value. */
export function errorPayload(err: unknown): { isPayload: true; payload: unknown } | { isPayload: false } {
  if (err !== null && typeof err === 'object' && Object.prototype.hasOwnProperty.call(err, 'payload')) return { isPayload: true, payload: (err as { payload: unknown }).payload };
  if (err instanceof Error) return { isPayload: false };
  return { isPayload: true, payload: err };
}

/**
 * On a resource value that stands for an actor of an ActorSystem (a link's or `expose`'s
 * wrapper): the actor's id there and a way to hear when it ends. The Node guest SDK reads
 * it when it hands such a value to its host, to route the actor's id and report its end
 * (the `tree@1` feature, docs/protocol.md §12.2).
 */
export const ROUTED_ACTOR = Symbol.for('plugin-actors.routed-actor');

/** How an actor behind a `ROUTED_ACTOR` value ended, as the SDK passes it up. */
export interface RoutedEnd {
  readonly code: 'ERR_SUBTREE_DOWN' | 'ERR_ACTOR_STOPPED';
  /** The route from the actor's system to the node that went down (empty when none did). */
  readonly downAt: string;
  readonly message: string;
}

export interface RoutedActor {
  /** The printable actor id in the system that holds it. */
  readonly id: string;
  /** Calls `ended` once when the actor ends; returns a function that cancels the watch. */
  watch(ended: (end: RoutedEnd) => void): () => void;
}

export function routedActorOf(value: unknown): RoutedActor | undefined {
  return isObjectLike(value) ? (value as { [ROUTED_ACTOR]?: RoutedActor })[ROUTED_ACTOR] : undefined;
}

/**
 * Finds the host implementation of an imported WIT function in a jco-style imports object
 * (interface name → object of lowerCamelCase functions and UpperCamelCase resource classes).
 * The one place that decides which JavaScript value satisfies an import, for every transport
 * and for the Node guest SDK's exports.
 */
import type { WitFunction } from './wit/model.js';
import { camelCase, pascalCase, stripVersion } from './wit/names.js';

/** A jco-style imports object: interface name (with or without `@version`) → implementation. */
export type HostImports = Readonly<Record<string, unknown>>;

/** Finds the host value for an import name: exact, then without `@version`. */
export function lookupImport(imports: HostImports, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(imports, name)) return imports[name];
  const bare = stripVersion(name);
  if (Object.prototype.hasOwnProperty.call(imports, bare)) return imports[bare];
  return undefined;
}

export type HostCall = (self: unknown, args: readonly unknown[]) => unknown;

/** The call, or undefined when the imports object has no implementation. */
export function resolveHostCall(imports: HostImports, interfaceKey: string, func: WitFunction): HostCall | undefined {
  const owner = interfaceKey === '' ? imports : lookupImport(imports, interfaceKey);
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) return undefined;
  const host = owner as Record<string, unknown>;
  switch (func.kind) {
    case 'freestanding': {
      const fn = interfaceKey === '' ? lookupImport(imports, func.name) : host[camelCase(func.name)];
      return typeof fn === 'function' ? (_self, args) => (fn as (...a: unknown[]) => unknown).apply(host, args as unknown[]) : undefined;
    }
    case 'method': {
      const name = camelCase(func.shortName);
      return (self, args) => (self as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
    }
    case 'constructor': {
      const cls = host[pascalCase(func.resource!.name)];
      return typeof cls === 'function' ? (_self, args) => new (cls as new (...a: unknown[]) => unknown)(...args) : undefined;
    }
    case 'static': {
      const cls = host[pascalCase(func.resource!.name)] as Record<string, unknown> | undefined;
      const fn = cls?.[camelCase(func.shortName)];
      return typeof fn === 'function' ? (_self, args) => (fn as (...a: unknown[]) => unknown).apply(cls, args as unknown[]) : undefined;
    }
  }
}

/** jco's rule for `result` returns: an error with `payload` (or a non-Error throw) is the err value. */
export function errorPayload(err: unknown): { isPayload: true; payload: unknown } | { isPayload: false } {
  if (err !== null && typeof err === 'object' && Object.prototype.hasOwnProperty.call(err, 'payload')) return { isPayload: true, payload: (err as { payload: unknown }).payload };
  if (err instanceof Error) return { isPayload: false };
  return { isPayload: true, payload: err };
}

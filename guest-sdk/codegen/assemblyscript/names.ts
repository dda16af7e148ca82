/**
 * WIT names as AssemblyScript identifiers, and where each generated or author module lives.
 */
import { camelCase, pascalCase } from '../../../common/wit/names.js';

const RESERVED = new Set([
  'abstract', 'as', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'constructor', 'continue', 'debugger',
  'declare', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'from',
  'function', 'get', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'is', 'keyof', 'let', 'module',
  'namespace', 'new', 'null', 'of', 'package', 'private', 'protected', 'public', 'readonly', 'return', 'set',
  'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'type', 'typeof', 'var', 'void', 'while', 'with',
  'yield', 'bool', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'isize', 'usize', 'string',
  'memory', 'heap', 'unreachable', 'load', 'store', 'changetype', 'tag',
]);

/** A value name: function, field, parameter (`lowerCamelCase`, reserved words get `_`). */
export function asName(kebab: string): string {
  const name = camelCase(kebab);
  return RESERVED.has(name) ? `${name}_` : name;
}

const RESERVED_MEMBERS = new Set(['constructor', 'prototype', '__proto__']);

/** A method or field name (`lowerCamelCase`); member names may be keywords, except a few. */
export function asMember(kebab: string): string {
  const name = camelCase(kebab);
  return RESERVED_MEMBERS.has(name) ? `${name}_` : name;
}

/** A type name (`UpperCamelCase`). */
export function asTypeName(kebab: string): string {
  const name = pascalCase(kebab);
  return RESERVED.has(name.toLowerCase()) && name === name.toLowerCase() ? `${name}_` : name;
}

/** A constant (`CONSTANT_CASE`), for variant tags. */
export function asConstName(kebab: string): string {
  return kebab.split('-').map((w) => w.toUpperCase()).join('_');
}

/** `__cm_` plus the core name with every non-identifier byte as `$XX` (the asc transform decodes it). */
export function escapeExportName(coreName: string): string {
  let out = '__cm_';
  for (const byte of new TextEncoder().encode(coreName)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_]/.test(c) ? c : `$${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Path of the generated module for an interface id (`ns:pkg/iface@ver` → `ns/pkg/iface`). */
export function interfaceModulePath(id: string): string {
  const bare = id.replace(/@.*$/, '');
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(bare);
  if (!m) return `world/${bare}`;
  return `${m[1]}/${m[2]}/${m[3]}`;
}

/** A relative import specifier from one module path to another (both relative to one root, no extension). */
export function relativeImport(from: string, to: string): string {
  const fromParts = from.split('/').slice(0, -1);
  const toParts = to.split('/');
  let i = 0;
  while (i < fromParts.length && i < toParts.length - 1 && fromParts[i] === toParts[i]) i++;
  const up = fromParts.length - i;
  const rest = toParts.slice(i).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

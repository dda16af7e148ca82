/**
 * WIT names as Rust identifiers, and where each interface's module lives in `bindings.rs`.
 */
import type { Interface, World } from '../../../common/wit/model.js';
import { pascalCase } from '../../../common/wit/names.js';

const KEYWORDS = new Set([
  'as', 'break', 'const', 'continue', 'else', 'enum', 'extern', 'false', 'fn', 'for', 'if', 'impl', 'in', 'let',
  'loop', 'match', 'mod', 'move', 'mut', 'pub', 'ref', 'return', 'static', 'struct', 'trait', 'true', 'type',
  'unsafe', 'use', 'where', 'while', 'async', 'await', 'dyn', 'abstract', 'become', 'box', 'do', 'final', 'macro',
  'override', 'priv', 'typeof', 'unsized', 'virtual', 'yield', 'try', 'union',
]);
/** Keywords that cannot be raw identifiers. */
const NOT_RAW = new Set(['self', 'Self', 'super', 'crate']);

function escape(name: string): string {
  if (NOT_RAW.has(name)) return `${name}_`;
  return KEYWORDS.has(name) ? `r#${name}` : name;
}

/** A function, field, parameter or module name (`snake_case`). */
export function rustName(kebab: string): string {
  return escape(kebab.split('-').join('_').replace(/^(\d)/, '_$1'));
}

/** A type or enum-case name (`UpperCamelCase`). */
export function rustTypeName(kebab: string): string {
  const name = pascalCase(kebab);
  return NOT_RAW.has(name) ? `${name}_` : name;
}

/** A flags constant (`SCREAMING_SNAKE_CASE`). */
export function rustConstName(kebab: string): string {
  return kebab.split('-').map((w) => w.toUpperCase()).join('_');
}

/** Module path segments (below `bindings`) of an interface or world that defines types. */
export function modulePath(owner: Interface | World): string[] {
  if ('imports' in owner) return [];
  if (!owner.name || !owner.package) throw new Error('inline interfaces are not supported by the Rust generator');
  const p = owner.package.name;
  return [rustName(p.namespace), rustName(p.name), rustName(owner.name)];
}

/** `crate::bindings::a::b::Name`. */
export function absolutePath(segments: readonly string[], name: string): string {
  return ['crate', 'bindings', ...segments, name].join('::');
}

/**
 * WIT types as TypeScript types, under jco's value mapping (the one the host and the Node
 * guest SDK use): numbers, `bigint` for 64-bit integers, typed arrays for numeric lists,
 * `{ tag, val }` for variants, string unions for enums, objects of booleans for flags,
 * `T | undefined` for options (`{ tag: 'none' } | { tag: 'some', val }` when nested).
 *
 * Which side looks at a value decides how resources appear: the host sees a plugin's
 * resources as actors (`Remote<…>`), its own imported resources as the objects it gave;
 * a Node plugin sees its own resources as instances of its classes.
 */
import type { Interface, NamedType, ResourceType, Type, World } from '../../../common/wit/model.js';
import { interfaceId, unalias } from '../../../common/wit/model.js';
import { camelCase, pascalCase } from '../../../common/wit/names.js';

/** Who looks at the value: the host application, or the Node plugin implementing the world. */
export type Side = 'host' | 'guest';

const TYPED_ARRAYS: Record<string, string> = {
  u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array', s32: 'Int32Array',
  u64: 'BigUint64Array', s64: 'BigInt64Array', f32: 'Float32Array', f64: 'Float64Array',
};

/** Where named types live in the generated file, and which resources the plugin exports. */
export interface TypeScope {
  /** The namespace holding a named type (its interface's, or the world's). */
  namespaceOf(type: NamedType): string;
  /** Whether a resource is defined by an interface the plugin exports (an actor to the host). */
  isExported(resource: ResourceType): boolean;
}

/** `example:greeter/api` → `ExampleGreeterApi`; an inline interface gets its world key's name. */
export function interfaceNamespace(iface: Interface, key: string): string {
  const id = interfaceId(iface);
  if (!id) return pascalCase(key);
  const [pkg, rest] = id.split('/') as [string, string];
  const [ns, name] = pkg.split(':') as [string, string];
  return pascalCase(ns) + pascalCase(name) + pascalCase(rest.split('@')[0]!);
}

export function worldNamespace(world: World): string {
  return `${pascalCase(world.name)}World`;
}

export function typeName(type: NamedType): string {
  return pascalCase(type.name);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The TypeScript type of a WIT type. `input` is true for values handed to the other side
 * (the host's arguments accept plain arrays where a typed array comes back).
 */
export function tsType(type: Type, scope: TypeScope, side: Side, input = false): string {
  switch (type.kind) {
    case 'bool': return 'boolean';
    case 's8': case 'u8': case 's16': case 'u16': case 's32': case 'u32': case 'f32': case 'f64': return 'number';
    case 's64': case 'u64': return 'bigint';
    case 'char': case 'string': return 'string';
    case 'list': {
      const element = unalias(type.element);
      const typed = TYPED_ARRAYS[element.kind];
      if (typed) return input ? `${typed} | ${element.kind.endsWith('64') ? 'bigint' : 'number'}[]` : typed;
      return `${wrap(tsType(type.element, scope, side, input))}[]`;
    }
    case 'option': {
      const some = tsType(type.some, scope, side, input);
      return unalias(type.some).kind === 'option'
        ? `{ tag: 'none' } | { tag: 'some'; val: ${some} }`
        : `${some} | undefined`;
    }
    case 'result':
      return `{ tag: 'ok'; val: ${type.ok ? tsType(type.ok, scope, side, input) : 'undefined'} } | { tag: 'err'; val: ${type.err ? tsType(type.err, scope, side, input) : 'undefined'} }`;
    case 'tuple': return `[${type.types.map((t) => tsType(t, scope, side, input)).join(', ')}]`;
    case 'own': case 'borrow': return resourceValue(unalias(type.resource) as ResourceType, scope, side);
    case 'map': return `Map<${tsType(type.key, scope, side, input)}, ${tsType(type.value, scope, side, input)}>`;
    case 'future': case 'stream': case 'error-context': return 'unknown';
    case 'resource': return resourceValue(type, scope, side);
    default: return `${scope.namespaceOf(type)}.${typeName(type)}`;
  }
}

/** How a handle appears on each side. */
export function resourceValue(resource: ResourceType, scope: TypeScope, side: Side): string {
  const home = `${scope.namespaceOf(resource)}.${typeName(resource)}`;
  if (scope.isExported(resource)) return side === 'host' ? `Remote<${home}>` : `${home}Instance`;
  // The host's own resource: the host sees the objects it made; a plugin holds them as remote objects.
  return side === 'host' ? home : `${home}Handle`;
}

function wrap(t: string): string {
  return /[|&]/.test(t) ? `(${t})` : t;
}

/** A named type's declaration (records, variants, enums, flags, aliases); resources are emitted by the caller. */
export function typeDeclaration(type: NamedType, scope: TypeScope): string[] {
  const name = typeName(type);
  switch (type.kind) {
    case 'record':
      return [`export interface ${name} {`, ...type.fields.flatMap((f) => [...docLines(f.docs, '  '), `  ${propertyKey(camelCase(f.name))}: ${tsType(f.type, scope, 'host')};`]), '}'];
    case 'variant':
      return [`export type ${name} =`, ...type.cases.flatMap((c, i) => [...docLines(c.docs, '  '), `  | { tag: ${JSON.stringify(c.name)}${c.type ? `; val: ${tsType(c.type, scope, 'host')}` : ''} }${i === type.cases.length - 1 ? ';' : ''}`])];
    case 'enum':
      return [`export type ${name} = ${type.cases.map((c) => JSON.stringify(c.name)).join(' | ') || 'never'};`];
    case 'flags':
      return [`export interface ${name} {`, ...type.flags.flatMap((f) => [...docLines(f.docs, '  '), `  ${propertyKey(camelCase(f.name))}?: boolean;`]), '}'];
    case 'alias':
      return [`export type ${name} = ${tsType(type.target, scope, 'host')};`];
    case 'resource':
      return [];
  }
}

/** TSDoc lines for WIT docs. */
export function docLines(docs: string | undefined, indent: string, extra: readonly string[] = []): string[] {
  const lines = [...(docs ? docs.split('\n') : []), ...extra];
  if (lines.length === 0) return [];
  return [`${indent}/**`, ...lines.map((l) => `${indent} *${l ? ` ${l.replace(/\*\//g, '*\\/')}` : ''}`), `${indent} */`];
}

/**
 * The resolved WIT model: what a WIT source means once every name is bound.
 *
 * Named types (record, variant, enum, flags, resource, alias) are shared objects: a type
 * that refers to `point` holds the very `RecordType` object `point` was defined as, so
 * walking a type never needs a lookup. Anonymous types (list, option, …) are plain values.
 * Aliases (`type a = b;` and every `use`) stay visible for generators; value code calls
 * `unalias()` first.
 *
 * Example:
 *   const { world } = resolveWitSource(text).world('example:greeter/greeter');
 *   for (const item of world.exports.values()) …
 */

export type PrimitiveKind =
  | 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64'
  | 'f32' | 'f64' | 'char' | 'string';

export interface PrimitiveType { readonly kind: PrimitiveKind }
export interface ListType { readonly kind: 'list'; readonly element: Type; readonly length?: number }
export interface OptionType { readonly kind: 'option'; readonly some: Type }
export interface ResultType { readonly kind: 'result'; readonly ok?: Type; readonly err?: Type }
export interface TupleType { readonly kind: 'tuple'; readonly types: readonly Type[] }
export interface OwnType { readonly kind: 'own'; readonly resource: ResourceType | AliasType }
export interface BorrowType { readonly kind: 'borrow'; readonly resource: ResourceType | AliasType }
export interface FutureType { readonly kind: 'future'; readonly element?: Type }
export interface StreamType { readonly kind: 'stream'; readonly element?: Type }
export interface MapType { readonly kind: 'map'; readonly key: Type; readonly value: Type }
/** WASI 0.3's error context: an opaque handle to diagnostic information. */
export interface ErrorContextType { readonly kind: 'error-context' }

/** Where a named type was defined. */
export type TypeOwner =
  | { readonly kind: 'interface'; readonly iface: Interface }
  | { readonly kind: 'world'; readonly world: World }
  | { readonly kind: 'none' };

interface NamedBase {
  readonly name: string;
  owner: TypeOwner;
  docs?: string;
  gate?: Gate;
}

export interface Field { readonly name: string; readonly type: Type; readonly docs?: string }
export interface Case { readonly name: string; readonly type?: Type; readonly docs?: string }

export interface RecordType extends NamedBase { readonly kind: 'record'; fields: Field[] }
export interface VariantType extends NamedBase { readonly kind: 'variant'; cases: Case[] }
export interface EnumType extends NamedBase { readonly kind: 'enum'; cases: { name: string; docs?: string }[] }
export interface FlagsType extends NamedBase { readonly kind: 'flags'; flags: { name: string; docs?: string }[] }
export interface ResourceType extends NamedBase {
  readonly kind: 'resource';
  ctor?: WitFunction;
  methods: WitFunction[];
  statics: WitFunction[];
}
export interface AliasType extends NamedBase { readonly kind: 'alias'; target: Type }

export type NamedType = RecordType | VariantType | EnumType | FlagsType | ResourceType | AliasType;

export type Type =
  | PrimitiveType | ListType | OptionType | ResultType | TupleType | OwnType | BorrowType
  | FutureType | StreamType | MapType | ErrorContextType | NamedType;

/** Feature gate of an item (`@since`, `@unstable`, `@deprecated`). */
export interface Gate {
  readonly since?: string;
  readonly unstable?: string;
  readonly deprecated?: string;
}

export interface Param { readonly name: string; readonly type: Type }

export type FunctionKind = 'freestanding' | 'method' | 'static' | 'constructor';

export interface WitFunction {
  /** Canonical name as the component model spells it: `greet`, `[method]counter.get`, … */
  readonly name: string;
  /** The name as written in WIT: `greet`, `get`, `constructor`. */
  readonly shortName: string;
  readonly kind: FunctionKind;
  readonly resource?: ResourceType;
  /** Methods include their implicit `self: borrow<R>` first. */
  readonly params: readonly Param[];
  readonly result?: Type;
  readonly async: boolean;
  readonly docs?: string;
  readonly gate?: Gate;
}

export interface PackageName {
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
}

export interface Interface {
  /** Undefined for an inline interface of a world (`import x: interface { … }`). */
  readonly name?: string;
  readonly package?: Package;
  types: Map<string, NamedType>;
  functions: Map<string, WitFunction>;
  docs?: string;
  gate?: Gate;
}

export type WorldItem =
  | { readonly kind: 'interface'; readonly iface: Interface }
  | { readonly kind: 'function'; readonly func: WitFunction }
  | { readonly kind: 'type'; readonly type: NamedType };

export interface World {
  readonly name: string;
  readonly package: Package;
  /** Keyed by extern name: `ns:pkg/iface@ver` for named interfaces, the plain name otherwise. */
  imports: Map<string, WorldItem>;
  exports: Map<string, WorldItem>;
  types: Map<string, NamedType>;
  docs?: string;
  gate?: Gate;
}

export interface Package {
  readonly name: PackageName;
  interfaces: Map<string, Interface>;
  worlds: Map<string, World>;
  docs?: string;
}

/** Every package a WIT source set defines, after resolution. */
export interface Resolved {
  readonly packages: readonly Package[];
  /** The package the sources were asked for (a directory's own package, or the last top-level one). */
  readonly main?: Package;
}

export function packageId(name: PackageName): string {
  return `${name.namespace}:${name.name}${name.version ? `@${name.version}` : ''}`;
}

/** `ns:pkg/iface@ver` for a named interface; undefined for inline ones. */
export function interfaceId(iface: Interface): string | undefined {
  if (!iface.name || !iface.package) return undefined;
  const p = iface.package.name;
  return `${p.namespace}:${p.name}/${iface.name}${p.version ? `@${p.version}` : ''}`;
}

export function worldId(world: World): string {
  const p = world.package.name;
  return `${p.namespace}:${p.name}/${world.name}${p.version ? `@${p.version}` : ''}`;
}

/** Follows aliases to the type they stand for. */
export function unalias(type: Type): Exclude<Type, AliasType> {
  let t = type;
  while (t.kind === 'alias') t = t.target;
  return t;
}

/** The resource a handle type refers to, through aliases. */
export function handleResource(type: OwnType | BorrowType): ResourceType {
  const r = unalias(type.resource);
  if (r.kind !== 'resource') throw new Error('handle to a non-resource type');
  return r;
}

export const PRIMITIVE_KINDS: ReadonlySet<string> = new Set<PrimitiveKind>([
  'bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string',
]);

export function isPrimitive(type: Type): type is PrimitiveType {
  return PRIMITIVE_KINDS.has(type.kind);
}

/**
 * The definitions of a component binary, in the order they appear (index spaces are built
 * incrementally, so order is meaning). Mirrors Binary.md. Every definition and declarator
 * carries `at`, the byte offset it starts at, so the validator can say where a rule is
 * broken. Features this host does not implement are recorded as `unsupported` where the
 * decoder can still step over them.
 */

export type CoreSort = 'core func' | 'core table' | 'core memory' | 'core global' | 'core tag' | 'core type' | 'core module' | 'core instance';
export type ComponentSort = 'func' | 'value' | 'type' | 'component' | 'instance';
export type Sort = CoreSort | ComponentSort;

export type PrimName =
  | 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string';

/** A primitive, or an index into the enclosing type index space. */
export type ValType = PrimName | number;

export type DefValType =
  | { kind: 'prim'; name: PrimName }
  | { kind: 'record'; fields: { name: string; type: ValType }[] }
  | { kind: 'variant'; cases: { name: string; type?: ValType }[] }
  | { kind: 'list'; element: ValType; length?: number }
  | { kind: 'tuple'; types: ValType[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; type: ValType }
  | { kind: 'result'; ok?: ValType; err?: ValType }
  | { kind: 'own' | 'borrow'; index: number }
  | { kind: 'unsupported'; what: string };

/** Import/export names keep their attributes (Binary.md `nameattributes`). */
export interface NameAttribute {
  readonly kind: 'implements' | 'versionsuffix' | 'external-id';
  readonly value: string;
}

export type ExternType =
  | { sort: 'core module'; index: number }
  | { sort: 'func'; index: number }
  | { sort: 'value' }
  | { sort: 'type'; bound: { kind: 'eq'; index: number } | { kind: 'sub-resource' } }
  | { sort: 'component'; index: number }
  | { sort: 'instance'; index: number };

export type Alias =
  | { sort: Sort; kind: 'export'; instance: number; name: string }
  | { sort: Sort; kind: 'core export'; instance: number; name: string }
  | { sort: Sort; kind: 'outer'; count: number; index: number };

export type Decl = (
  | { kind: 'core type'; def: CoreTypeDef }
  | { kind: 'type'; def: TypeDef }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'export'; name: string; attributes?: NameAttribute[]; type: ExternType }
  | { kind: 'import'; name: string; attributes?: NameAttribute[]; type: ExternType }
) & { at?: number };

export type TypeDef =
  | DefValType
  | { kind: 'func'; params: { name: string; type: ValType }[]; result?: ValType; async: boolean }
  | { kind: 'component'; decls: Decl[] }
  | { kind: 'instance'; decls: Decl[] }
  | { kind: 'resource'; rep: 'i32'; dtor?: number };

/** Core value types; reference types beyond these are GC features this host does not read. */
export type CoreValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'exnref';

export interface CoreLimits {
  readonly min: number;
  readonly max?: number;
}

/** A core extern type as written in a module type (function and tag types by index). */
export type CoreExternDecl =
  | { kind: 'func'; type: number }
  | { kind: 'table'; element: CoreValType; limits: CoreLimits }
  | { kind: 'memory'; limits: CoreLimits; shared: boolean }
  | { kind: 'global'; type: CoreValType; mutable: boolean }
  | { kind: 'tag'; type: number };

export type CoreModuleDecl =
  | { kind: 'import'; module: string; name: string; type: CoreExternDecl; at: number }
  | { kind: 'type'; def: CoreTypeDef; at: number }
  | { kind: 'alias'; count: number; index: number; at: number }
  | { kind: 'export'; name: string; type: CoreExternDecl; at: number };

export type CoreTypeDef =
  | { kind: 'func'; params: CoreValType[]; results: CoreValType[] }
  | { kind: 'module'; decls: CoreModuleDecl[] }
  | { kind: 'unsupported'; what: string };

export interface CanonOptions {
  stringEncoding: 'utf8' | 'utf16' | 'latin1+utf16';
  memory?: number;
  realloc?: number;
  postReturn?: number;
  async: boolean;
  callback?: number;
  /** Every option as written, in order (validation refuses repeats and conflicts). */
  written?: { kind: 'string-encoding' | 'memory' | 'realloc' | 'post-return' | 'async' | 'callback' | 'unsupported'; what?: string; at: number }[];
}

export type Canon =
  | { kind: 'lift'; coreFunc: number; options: CanonOptions; type: number }
  | { kind: 'lower'; func: number; options: CanonOptions }
  | { kind: 'resource.new' | 'resource.drop' | 'resource.rep'; type: number }
  | { kind: 'unsupported'; what: string };

export type Definition = (
  | { kind: 'core module'; bytes: Uint8Array; at: number }
  | { kind: 'core instance'; expr: { kind: 'instantiate'; module: number; args: { name: string; instance: number }[] } | { kind: 'exports'; exports: { name: string; sort: CoreSort; index: number }[] } }
  | { kind: 'core type'; def?: CoreTypeDef }
  | { kind: 'component'; body: Definition[]; version?: number }
  | { kind: 'instance'; expr: { kind: 'instantiate'; component: number; args: { name: string; sort: Sort; index: number }[] } | { kind: 'exports'; exports: { name: string; attributes?: NameAttribute[]; sort: Sort; index: number }[] } }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'type'; def: TypeDef }
  | { kind: 'canon'; canon: Canon }
  | { kind: 'start' }
  | { kind: 'import'; name: string; attributes?: NameAttribute[]; type: ExternType }
  | { kind: 'export'; name: string; attributes?: NameAttribute[]; sort: Sort; index: number; type?: ExternType }
) & { at?: number };

/**
 * The definitions of a component binary, in the order they appear (index spaces are built
 * incrementally, so order is meaning). Mirrors Binary.md; only what instantiation needs is
 * kept, and features this host does not implement are recorded as `unsupported`.
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

export type Decl =
  | { kind: 'core type' }
  | { kind: 'type'; def: TypeDef }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'export'; name: string; type: ExternType }
  | { kind: 'import'; name: string; type: ExternType };

export type TypeDef =
  | DefValType
  | { kind: 'func'; params: { name: string; type: ValType }[]; result?: ValType; async: boolean }
  | { kind: 'component'; decls: Decl[] }
  | { kind: 'instance'; decls: Decl[] }
  | { kind: 'resource'; rep: 'i32'; dtor?: number };

export interface CanonOptions {
  stringEncoding: 'utf8' | 'utf16' | 'latin1+utf16';
  memory?: number;
  realloc?: number;
  postReturn?: number;
  async: boolean;
  callback?: number;
}

export type Canon =
  | { kind: 'lift'; coreFunc: number; options: CanonOptions; type: number }
  | { kind: 'lower'; func: number; options: CanonOptions }
  | { kind: 'resource.new' | 'resource.drop' | 'resource.rep'; type: number }
  | { kind: 'unsupported'; what: string };

export type Definition =
  | { kind: 'core module'; bytes: Uint8Array; at: number }
  | { kind: 'core instance'; expr: { kind: 'instantiate'; module: number; args: { name: string; instance: number }[] } | { kind: 'exports'; exports: { name: string; sort: CoreSort; index: number }[] } }
  | { kind: 'core type' }
  | { kind: 'component'; body: Definition[] }
  | { kind: 'instance'; expr: { kind: 'instantiate'; component: number; args: { name: string; sort: Sort; index: number }[] } | { kind: 'exports'; exports: { name: string; sort: Sort; index: number }[] } }
  | { kind: 'alias'; alias: Alias }
  | { kind: 'type'; def: TypeDef }
  | { kind: 'canon'; canon: Canon }
  | { kind: 'start' }
  | { kind: 'import'; name: string; type: ExternType }
  | { kind: 'export'; name: string; sort: Sort; index: number; type?: ExternType };

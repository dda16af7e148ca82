/**
 * The syntax tree of one WIT file, before names are resolved. Every node carries the
 * offset it starts at so resolution errors can point at file:line:col.
 */
import type { Gate, PackageName } from './model.js';

export interface Located { readonly at: number }

export interface SourceFile {
  readonly file: string;
  /** The text, kept to turn offsets into line:column in resolution errors. */
  readonly text: string;
  readonly packageDecl?: PackageName & Located;
  readonly items: TopItem[];
  readonly nested: NestedPackage[];
  readonly docs?: string;
}

export interface NestedPackage extends Located {
  readonly name: PackageName;
  readonly items: TopItem[];
  readonly docs?: string;
}

export type TopItem = TopUse | InterfaceAst | WorldAst;

/** An interface reference: `iface` in this package, or `ns:pkg/iface@ver`. */
export type UsePath =
  | ({ readonly kind: 'local'; readonly name: string } & Located)
  | ({ readonly kind: 'foreign'; readonly namespace: string; readonly package: string; readonly name: string; readonly version?: string } & Located);

export interface TopUse extends Located { readonly kind: 'top-use'; readonly path: UsePath; readonly as?: string }

export interface InterfaceAst extends Located {
  readonly kind: 'interface';
  readonly name: string;
  readonly docs?: string;
  readonly gate?: Gate;
  readonly items: InterfaceItem[];
}

export type InterfaceItem = UseAst | TypeDefAst | FuncAst;

export interface UseAst extends Located {
  readonly kind: 'use';
  readonly path: UsePath;
  readonly names: { readonly name: string; readonly as?: string; readonly at: number }[];
  readonly gate?: Gate;
}

export interface FuncAst extends Located {
  readonly kind: 'func';
  readonly name: string;
  readonly docs?: string;
  readonly gate?: Gate;
  readonly type: FuncTypeAst;
}

export interface FuncTypeAst extends Located {
  readonly async: boolean;
  readonly params: { readonly name: string; readonly type: TypeAst; readonly at: number }[];
  readonly result?: TypeAst;
}

export type TypeDefAst =
  | RecordAst | VariantAst | EnumAst | FlagsAst | ResourceAst | AliasAst;

interface TypeDefBase extends Located { readonly name: string; readonly docs?: string; readonly gate?: Gate }

export interface RecordAst extends TypeDefBase {
  readonly kind: 'record';
  readonly fields: { readonly name: string; readonly type: TypeAst; readonly docs?: string; readonly at: number }[];
}
export interface VariantAst extends TypeDefBase {
  readonly kind: 'variant';
  readonly cases: { readonly name: string; readonly type?: TypeAst; readonly docs?: string; readonly at: number }[];
}
export interface EnumAst extends TypeDefBase {
  readonly kind: 'enum';
  readonly cases: { readonly name: string; readonly docs?: string; readonly at: number }[];
}
export interface FlagsAst extends TypeDefBase {
  readonly kind: 'flags';
  readonly flags: { readonly name: string; readonly docs?: string; readonly at: number }[];
}
export interface ResourceAst extends TypeDefBase {
  readonly kind: 'resource';
  readonly members: ResourceMemberAst[];
}
export interface ResourceMemberAst extends Located {
  readonly kind: 'constructor' | 'method' | 'static';
  readonly name: string;
  readonly docs?: string;
  readonly gate?: Gate;
  readonly type: FuncTypeAst;
}
export interface AliasAst extends TypeDefBase { readonly kind: 'alias'; readonly target: TypeAst }

export type TypeAst =
  | ({ readonly kind: 'prim'; readonly name: string } & Located)
  | ({ readonly kind: 'named'; readonly name: string } & Located)
  | ({ readonly kind: 'list'; readonly element: TypeAst; readonly length?: number } & Located)
  | ({ readonly kind: 'option'; readonly some: TypeAst } & Located)
  | ({ readonly kind: 'result'; readonly ok?: TypeAst; readonly err?: TypeAst } & Located)
  | ({ readonly kind: 'tuple'; readonly types: TypeAst[] } & Located)
  | ({ readonly kind: 'borrow'; readonly name: string } & Located)
  | ({ readonly kind: 'own'; readonly name: string } & Located)
  | ({ readonly kind: 'future' | 'stream'; readonly element?: TypeAst } & Located)
  | ({ readonly kind: 'error-context' } & Located)
  | ({ readonly kind: 'map'; readonly key: TypeAst; readonly value: TypeAst } & Located);

export interface WorldAst extends Located {
  readonly kind: 'world';
  readonly name: string;
  readonly docs?: string;
  readonly gate?: Gate;
  readonly items: WorldItemAst[];
}

export type WorldItemAst = ExternAst | UseAst | TypeDefAst | IncludeAst;

export interface ExternAst extends Located {
  readonly kind: 'import' | 'export';
  readonly docs?: string;
  readonly gate?: Gate;
  /** Set for `import name: …`; absent for `import iface;`. */
  readonly name?: string;
  readonly target:
    | { readonly kind: 'path'; readonly path: UsePath }
    | { readonly kind: 'func'; readonly type: FuncTypeAst }
    | { readonly kind: 'interface'; readonly items: InterfaceItem[] };
}

export interface IncludeAst extends Located {
  readonly kind: 'include';
  readonly path: UsePath;
  readonly with: { readonly from: string; readonly to: string }[];
  readonly gate?: Gate;
}

/**
 * Type-level resolution: `TypeAst` → `Type` within a scope of named types, type bodies,
 * functions and resource members.
 */
import type { FuncTypeAst, ResourceAst, SourceFile, TypeAst, TypeDefAst } from './ast.js';
import type {
  AliasType, NamedType, Param, PrimitiveKind, PrimitiveType, ResourceType, Type, WitFunction,
} from './model.js';
import { unalias } from './model.js';
import type { ResolveContext } from './resolve.js';

export interface TypeScope {
  readonly types: Map<string, NamedType>;
  readonly file: SourceFile;
}

const primitives = new Map<string, PrimitiveType>();
const ERROR_CONTEXT: Type = Object.freeze({ kind: 'error-context' });

/** One shared object per primitive kind. */
export function primitive(kind: PrimitiveKind): PrimitiveType {
  let t = primitives.get(kind);
  if (!t) {
    t = Object.freeze({ kind });
    primitives.set(kind, t);
  }
  return t;
}

function lookupNamed(cx: ResolveContext, scope: TypeScope, name: string, at: number): NamedType {
  const t = scope.types.get(name);
  if (!t) throw cx.error({ file: scope.file, at }, `type \`${name}\` is not defined`);
  return t;
}

function resourceOf(cx: ResolveContext, scope: TypeScope, name: string, at: number): ResourceType | AliasType {
  const t = lookupNamed(cx, scope, name, at);
  const base = unaliasLenient(t);
  if (base?.kind !== 'resource') throw cx.error({ file: scope.file, at }, `\`${name}\` is not a resource type, so it cannot be used as a handle`);
  return t as ResourceType | AliasType;
}

/** Like `unalias`, but tolerates aliases whose target is not filled yet (returns undefined). */
function unaliasLenient(t: Type): Type | undefined {
  let cur: Type = t;
  for (let i = 0; i < 1000; i++) {
    if (cur.kind !== 'alias') return cur;
    cur = cur.target;
  }
  return undefined;
}

/**
 * Resolves a type expression. In a value position a bare resource name means `own<r>`;
 * an alias definition keeps the resource itself (`type r2 = r;` makes `r2` a resource name).
 */
export function resolveType(cx: ResolveContext, scope: TypeScope, ast: TypeAst, aliasTarget = false): Type {
  switch (ast.kind) {
    case 'prim': return primitive(ast.name as PrimitiveKind);
    case 'named': {
      const t = lookupNamed(cx, scope, ast.name, ast.at);
      if (!aliasTarget && isResourceName(t)) return { kind: 'own', resource: t as ResourceType | AliasType };
      return t;
    }
    case 'list': return ast.length === undefined
      ? { kind: 'list', element: resolveType(cx, scope, ast.element) }
      : { kind: 'list', element: resolveType(cx, scope, ast.element), length: ast.length };
    case 'option': return { kind: 'option', some: resolveType(cx, scope, ast.some) };
    case 'result': return {
      kind: 'result',
      ...(ast.ok ? { ok: resolveType(cx, scope, ast.ok) } : {}),
      ...(ast.err ? { err: resolveType(cx, scope, ast.err) } : {}),
    };
    case 'tuple': return { kind: 'tuple', types: ast.types.map((t) => resolveType(cx, scope, t)) };
    case 'own': return { kind: 'own', resource: resourceOf(cx, scope, ast.name, ast.at) };
    case 'borrow': return { kind: 'borrow', resource: resourceOf(cx, scope, ast.name, ast.at) };
    case 'future':
    case 'stream': return ast.element ? { kind: ast.kind, element: resolveType(cx, scope, ast.element) } : { kind: ast.kind };
    case 'map': return { kind: 'map', key: resolveType(cx, scope, ast.key), value: resolveType(cx, scope, ast.value) };
    case 'error-context': return ERROR_CONTEXT;
  }
}

/** True when a name denotes a resource (directly or through `use`/`type` aliases). */
function isResourceName(t: NamedType): boolean {
  let cur: Type = t;
  for (let i = 0; i < 1000 && cur.kind === 'alias'; i++) cur = cur.target;
  return cur.kind === 'resource';
}

/** Fills the body of a named type declared empty in the first pass. */
export function fillTypeBody(cx: ResolveContext, scope: TypeScope, type: NamedType, ast: TypeDefAst): void {
  const origin = { file: scope.file, at: ast.at };
  const unique = (names: { name: string; at: number }[], what: string) => {
    const seen: string[] = [];
    for (const n of names) {
      cx.checkUnique([seen], n.name, { file: scope.file, at: n.at }, `in \`${ast.name}\`, the ${what}`);
      seen.push(n.name);
    }
  };
  switch (ast.kind) {
    case 'record':
      if (type.kind !== 'record') break;
      unique(ast.fields, 'field');
      type.fields = ast.fields.map((f) => ({ name: f.name, type: resolveType(cx, scope, f.type), ...(f.docs ? { docs: f.docs } : {}) }));
      return;
    case 'variant':
      if (type.kind !== 'variant') break;
      unique(ast.cases, 'case');
      type.cases = ast.cases.map((c) => ({ name: c.name, ...(c.type ? { type: resolveType(cx, scope, c.type) } : {}), ...(c.docs ? { docs: c.docs } : {}) }));
      return;
    case 'enum':
      if (type.kind !== 'enum') break;
      unique(ast.cases, 'case');
      type.cases = ast.cases.map((c) => ({ name: c.name, ...(c.docs ? { docs: c.docs } : {}) }));
      return;
    case 'flags':
      if (type.kind !== 'flags') break;
      unique(ast.flags, 'flag');
      type.flags = ast.flags.map((f) => ({ name: f.name, ...(f.docs ? { docs: f.docs } : {}) }));
      return;
    case 'resource':
      return;
    case 'alias':
      if (type.kind !== 'alias') break;
      type.target = resolveType(cx, scope, ast.target, true);
      return;
  }
  throw cx.error(origin, `internal: type \`${ast.name}\` changed kind during resolution`);
}

/** Builds a function from its type; `name` is the canonical component-model name. */
export function fillFunction(
  cx: ResolveContext, scope: TypeScope, name: string, ast: FuncTypeAst,
  meta: { docs?: string; gate?: WitFunction['gate'] },
  member?: { kind: 'method' | 'static' | 'constructor'; resource: ResourceType; resourceName: NamedType; shortName: string },
): WitFunction {
  const params: Param[] = [];
  const seen: string[] = [];
  if (member?.kind === 'method') {
    params.push({ name: 'self', type: { kind: 'borrow', resource: member.resourceName as ResourceType } });
    seen.push('self');
  }
  for (const p of ast.params) {
    cx.checkUnique([seen], p.name, { file: scope.file, at: p.at }, 'parameter');
    seen.push(p.name);
    params.push({ name: p.name, type: resolveType(cx, scope, p.type) });
  }
  let result = ast.result ? resolveType(cx, scope, ast.result) : undefined;
  if (member?.kind === 'constructor') {
    const own: Type = { kind: 'own', resource: member.resourceName as ResourceType };
    if (!result) result = own;
    else if (!isConstructorResult(result, member.resource)) {
      throw cx.error({ file: scope.file, at: ast.at }, `a constructor of \`${member.resource.name}\` must return \`${member.resource.name}\` or \`result<${member.resource.name}, E>\``);
    }
  }
  const func: WitFunction = {
    name,
    shortName: member?.shortName ?? name,
    kind: member?.kind ?? 'freestanding',
    ...(member ? { resource: member.resource } : {}),
    params,
    ...(result ? { result } : {}),
    async: ast.async,
    ...(meta.docs ? { docs: meta.docs } : {}),
    ...(meta.gate ? { gate: meta.gate } : {}),
  };
  cx.origins.set(func, { file: scope.file, at: ast.at });
  return func;
}

function isConstructorResult(t: Type, resource: ResourceType): boolean {
  const u = unalias(t);
  if (u.kind !== 'result' || !u.ok) return false;
  const ok = unalias(u.ok);
  return ok.kind === 'own' && unalias(ok.resource) === resource;
}

/** Fills constructor, methods and statics of a resource, and lists them among the owner's functions. */
export function fillResourceMembers(
  cx: ResolveContext, scope: TypeScope, resource: ResourceType, ast: ResourceAst, functions: Map<string, WitFunction>,
): void {
  const names: string[] = [];
  for (const m of ast.members) {
    if (!cx.enabled(m.gate)) continue;
    cx.checkUnique([names], m.name, { file: scope.file, at: m.at }, `in resource \`${resource.name}\`, the member`);
    names.push(m.name);
    const name = m.kind === 'constructor' ? `[constructor]${resource.name}` : `[${m.kind}]${resource.name}.${m.name}`;
    const func = fillFunction(cx, scope, name, m.type, m, { kind: m.kind, resource, resourceName: resource, shortName: m.name });
    if (m.kind === 'constructor') resource.ctor = func;
    else if (m.kind === 'method') resource.methods.push(func);
    else resource.statics.push(func);
    functions.set(name, func);
  }
}

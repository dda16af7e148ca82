/**
 * Checks that need the whole resolved model: types may not contain themselves, a
 * function's result may not contain a `borrow` handle (resource methods included), and
 * map keys are primitive.
 */
import type { Interface, NamedType, Package, Type, WitFunction } from './model.js';
import { unalias } from './model.js';
import type { Origin, ResolveContext } from './resolve.js';

export function validatePackages(cx: ResolveContext, packages: readonly Package[]): void {
  const done = new Set<NamedType>();
  const checkFunctions = (functions: Iterable<WitFunction>) => {
    for (const f of functions) {
      if (f.result && containsBorrow(f.result, new Set())) {
        throw cx.error(originOf(cx, f), `function \`${f.name}\` returns a \`borrow\` handle; results may only hold owned handles`);
      }
      for (const t of [...f.params.map((p) => p.type), ...(f.result ? [f.result] : [])]) {
        if (hasBadMapKey(t)) throw cx.error(originOf(cx, f), `function \`${f.name}\`: ${BAD_MAP_KEY}`);
      }
    }
  };
  const checkTypes = (types: Iterable<NamedType>) => {
    for (const t of types) {
      checkAcyclic(cx, t, [], done);
      if (t.kind === 'resource') checkFunctions([...(t.ctor ? [t.ctor] : []), ...t.methods, ...t.statics]);
    }
  };
  const checkInterface = (iface: Interface) => {
    checkTypes(iface.types.values());
    checkFunctions(iface.functions.values());
  };
  for (const pkg of packages) {
    for (const iface of pkg.interfaces.values()) checkInterface(iface);
    for (const world of pkg.worlds.values()) {
      checkTypes(world.types.values());
      for (const items of [world.imports, world.exports]) {
        for (const item of items.values()) {
          if (item.kind === 'function') checkFunctions([item.func]);
          else if (item.kind === 'interface' && !item.iface.name) checkInterface(item.iface);
        }
      }
    }
  }
}

function originOf(cx: ResolveContext, item: object): Origin {
  const origin = cx.origins.get(item);
  if (!origin) throw new Error('internal: item without origin');
  return origin;
}

/** Depth-first walk through the structure of named types; handles end the walk. */
function checkAcyclic(cx: ResolveContext, type: NamedType, path: NamedType[], done: Set<NamedType>): void {
  if (done.has(type)) return;
  if (path.includes(type)) {
    const cycle = [...path.slice(path.indexOf(type)), type].map((t) => t.name).join(' → ');
    throw cx.error(originOf(cx, type), `type \`${type.name}\` contains itself (${cycle}); recursive types are not allowed`);
  }
  path.push(type);
  for (const child of children(type)) walk(cx, child, path, done, type);
  path.pop();
  done.add(type);
}

const MAP_KEYS = new Set(['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'char', 'string']);
const BAD_MAP_KEY = 'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string';

/** A map with a non-primitive key among the anonymous parts of `t` (named types are checked where defined). */
function hasBadMapKey(t: Type): boolean {
  if (t.kind === 'map' && !MAP_KEYS.has(unalias(t.key).kind)) return true;
  if (t.kind === 'record' || t.kind === 'variant' || t.kind === 'alias') return false;
  return children(t).some(hasBadMapKey);
}

function walk(cx: ResolveContext, t: Type, path: NamedType[], done: Set<NamedType>, owner: NamedType): void {
  switch (t.kind) {
    case 'record': case 'variant': case 'enum': case 'flags': case 'resource': case 'alias':
      checkAcyclic(cx, t, path, done);
      return;
    default:
      if (t.kind === 'map' && !MAP_KEYS.has(unalias(t.key).kind)) {
        throw cx.error(originOf(cx, owner), BAD_MAP_KEY);
      }
      for (const child of children(t)) walk(cx, child, path, done, owner);
  }
}

function children(t: Type): Type[] {
  switch (t.kind) {
    case 'record': return t.fields.map((f) => f.type);
    case 'variant': return t.cases.flatMap((c) => (c.type ? [c.type] : []));
    case 'alias': return [t.target];
    case 'list': return [t.element];
    case 'option': return [t.some];
    case 'result': return [t.ok, t.err].filter((x): x is Type => x !== undefined);
    case 'tuple': return [...t.types];
    case 'future': case 'stream': return t.element ? [t.element] : [];
    case 'map': return [t.key, t.value];
    default: return [];
  }
}

function containsBorrow(t: Type, seen: Set<Type>): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  if (t.kind === 'borrow') return true;
  return children(t).some((c) => containsBorrow(c, seen));
}

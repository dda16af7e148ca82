/**
 * Replacing resources in types: how an instance or component type is *used*. Importing an
 * instance type, or instantiating a component, gives the abstract resources it declares
 * fresh identities (each import, each instance has its own); instantiating replaces the
 * component's imported resources by what the arguments supply.
 *
 * Types that contain no replaced resource are returned as they are (same objects), so the
 * identities that the naming rules rely on survive.
 */
import type { AliasType, ResourceType, Type } from '../../../common/wit/model.js';
import type { ComponentType, ExternT, FuncType, InstanceType, TypeEntry } from './types.js';
import { freshResource } from './types.js';

/** What replaces what: resources, and the entries of type imports (by the arguments' types). */
export type Substitution = Map<object, Type>;

class Substituter {
  private readonly memo = new Map<object, object>();

  constructor(private readonly map: Substitution) {}

  type(t: Type): Type {
    const known = this.memo.get(t);
    if (known) return known as Type;
    const out = this.compute(t);
    this.memo.set(t, out);
    return out;
  }

  private compute(t: Type): Type {
    const replaced = this.map.get(t);
    if (replaced) return replaced;
    const ty = (x: Type) => this.type(x);
    const opt = (x: Type | undefined) => (x === undefined ? undefined : this.type(x));
    switch (t.kind) {
      case 'alias': {
        const target = ty(t.target);
        return target === t.target ? t : { ...t, target };
      }
      case 'own': case 'borrow': {
        const resource = ty(t.resource) as ResourceType;
        return resource === t.resource ? t : { kind: t.kind, resource };
      }
      case 'list': {
        const element = ty(t.element);
        return element === t.element ? t : { ...t, element };
      }
      case 'option': {
        const some = ty(t.some);
        return some === t.some ? t : { kind: 'option', some };
      }
      case 'result': {
        const ok = opt(t.ok);
        const err = opt(t.err);
        return ok === t.ok && err === t.err ? t : { kind: 'result', ...(ok ? { ok } : {}), ...(err ? { err } : {}) };
      }
      case 'tuple': {
        const types = t.types.map(ty);
        return types.every((x, i) => x === t.types[i]) ? t : { kind: 'tuple', types };
      }
      case 'record': {
        const fields = t.fields.map((f) => ({ ...f, type: ty(f.type) }));
        return fields.every((f, i) => f.type === t.fields[i]!.type) ? t : { ...t, fields };
      }
      case 'variant': {
        const cases = t.cases.map((c) => (c.type ? { ...c, type: ty(c.type) } : c));
        return cases.every((c, i) => c.type === t.cases[i]!.type) ? t : { ...t, cases };
      }
      default: return t;
    }
  }

  func(f: FuncType): FuncType {
    const params = f.params.map((p) => ({ name: p.name, type: this.type(p.type) }));
    const result = f.result === undefined ? undefined : this.type(f.result);
    if (result === f.result && params.every((p, i) => p.type === f.params[i]!.type)) return f;
    return { params, ...(result ? { result } : {}) };
  }

  entry(e: TypeEntry): TypeEntry {
    switch (e.kind) {
      case 'value': { const type = this.type(e.type); return type === e.type ? e : { kind: 'value', type }; }
      case 'resource': { const type = this.type(e.type) as ResourceType | AliasType; return type === e.type ? e : { kind: 'resource', type }; }
      case 'func': { const type = this.func(e.type); return type === e.type ? e : { kind: 'func', type }; }
      case 'instance': { const type = this.instance(e.type); return type === e.type ? e : { kind: 'instance', type }; }
      case 'component': { const type = this.component(e.type); return type === e.type ? e : { kind: 'component', type }; }
    }
  }

  extern(x: ExternT): ExternT {
    const known = this.memo.get(x);
    if (known) return known as ExternT;
    let out: ExternT;
    switch (x.sort) {
      case 'func': { const type = this.func(x.type); out = type === x.type ? x : { sort: 'func', type }; break; }
      case 'type': { const entry = this.entry(x.entry); out = entry === x.entry ? x : { sort: 'type', entry }; break; }
      case 'instance': { const type = this.instance(x.type); out = type === x.type ? x : { sort: 'instance', type }; break; }
      case 'component': { const type = this.component(x.type); out = type === x.type ? x : { sort: 'component', type }; break; }
      case 'core module': out = x; break;
    }
    this.memo.set(x, out);
    return out;
  }

  private externs(m: ReadonlyMap<string, ExternT>): ReadonlyMap<string, ExternT> {
    let changed = false;
    const out = new Map<string, ExternT>();
    for (const [k, v] of m) {
      const w = this.extern(v);
      if (w !== v) changed = true;
      out.set(k, w);
    }
    return changed ? out : m;
  }

  instance(t: InstanceType): InstanceType {
    const exports = this.externs(t.exports);
    return exports === t.exports ? t : { exports, bound: t.bound.map((r) => (this.map.get(r) as ResourceType | undefined) ?? r) };
  }

  component(t: ComponentType): ComponentType {
    const imports = this.externs(t.imports);
    const exports = this.externs(t.exports);
    if (imports === t.imports && exports === t.exports) return t;
    return { imports, exports, importBound: t.importBound, exportBound: t.exportBound };
  }
}

export function substituteExtern(x: ExternT, map: Substitution): ExternT {
  return map.size === 0 ? x : new Substituter(map).extern(x);
}

/**
 * Substitutes in several items at once, so a type they share stays one object in all of
 * them (an exported resource and the functions that use it must name the same entry).
 */
export function substituteExterns(xs: ReadonlyMap<string, ExternT>, map: Substitution): Map<string, ExternT> {
  const s = new Substituter(map);
  return new Map([...xs].map(([k, v]) => [k, map.size === 0 ? v : s.extern(v)]));
}

/** Fresh resources for `resources`, added to `map`; returns them. */
export function freshen(resources: readonly ResourceType[], map: Substitution): ResourceType[] {
  return resources.map((r) => {
    const fresh = freshResource(r.name);
    map.set(r, fresh);
    return fresh;
  });
}

/** An instance type as one use of it sees it: its abstract resources made fresh. */
export function useInstanceType(t: InstanceType): { type: InstanceType; fresh: ResourceType[] } {
  if (t.bound.length === 0) return { type: t, fresh: [] };
  const map: Substitution = new Map();
  const fresh = freshen(t.bound, map);
  const exports = new Substituter(map).instance({ exports: t.exports, bound: [] }).exports;
  return { type: { exports, bound: [] }, fresh };
}

/** Every resource an item's type mentions. */
export function resourcesIn(x: ExternT, out = new Set<ResourceType>()): Set<ResourceType> {
  const seen = new Set<object>();
  const type = (t: Type): void => {
    if (seen.has(t)) return;
    seen.add(t);
    switch (t.kind) {
      case 'resource': out.add(t); return;
      case 'alias': return type(t.target);
      case 'own': case 'borrow': return type(t.resource);
      case 'list': return type(t.element);
      case 'option': return type(t.some);
      case 'result': { if (t.ok) type(t.ok); if (t.err) type(t.err); return; }
      case 'tuple': return t.types.forEach(type);
      case 'record': return t.fields.forEach((f) => type(f.type));
      case 'variant': return t.cases.forEach((c) => { if (c.type) type(c.type); });
      default: return;
    }
  };
  const func = (f: FuncType) => { f.params.forEach((p) => type(p.type)); if (f.result) type(f.result); };
  const extern = (e: ExternT): void => {
    switch (e.sort) {
      case 'func': return func(e.type);
      case 'type': {
        const en = e.entry;
        if (en.kind === 'value' || en.kind === 'resource') type(en.type);
        else if (en.kind === 'func') func(en.type);
        else if (en.kind === 'instance') en.type.exports.forEach(extern);
        else if (en.kind === 'component') { en.type.imports.forEach(extern); en.type.exports.forEach(extern); }
        return;
      }
      case 'instance': return e.type.exports.forEach(extern);
      case 'component': { e.type.imports.forEach(extern); e.type.exports.forEach(extern); return; }
      default: return;
    }
  };
  extern(x);
  return out;
}

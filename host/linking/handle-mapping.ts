/**
 * Resources crossing a link: the importer holds the target's resource actors as host
 * resources (wrapper objects of the link's classes), the target sees its own actors. A
 * `HandleMapping` rewrites one value of a WIT type in place of its handles, in either
 * direction; types without handles need none (`mappingOf` returns undefined), which keeps
 * the common call a straight pass-through.
 */
import { unalias, type Type } from '../../common/wit/model.js';
import { camelCase } from '../../common/wit/names.js';

/** What replaces one handle's value: the other side's view of the resource `resource`. */
export type MapHandle = (handle: unknown, own: boolean, resource: string) => unknown;

/** Rewrites the handles (own and borrow) inside a value; `map` gets each handle's value. */
export type HandleMapping = (value: unknown, map: MapHandle) => unknown;

/** The mapping for values of `type`, or undefined when the type holds no handle. */
export function mappingOf(type: Type | undefined): HandleMapping | undefined {
  if (type === undefined) return undefined;
  const t = unalias(type);
  switch (t.kind) {
    case 'own': case 'borrow': {
      const own = t.kind === 'own';
      const resource = (unalias(t.resource) as { name: string }).name;
      return (v, map) => map(v, own, resource);
    }
    case 'list': {
      const element = mappingOf(t.element);
      return element && ((v, map) => (v as unknown[]).map((x) => element(x, map)));
    }
    case 'option': {
      const some = mappingOf(t.some);
      if (!some) return undefined;
      const nullable = unalias(t.some).kind === 'option';
      return nullable
        ? (v, map) => { const o = v as { tag: string; val?: unknown }; return o.tag === 'some' ? { tag: 'some', val: some(o.val, map) } : o; }
        : (v, map) => (v === undefined || v === null ? v : some(v, map));
    }
    case 'result': {
      const ok = mappingOf(t.ok);
      const err = mappingOf(t.err);
      if (!ok && !err) return undefined;
      return (v, map) => {
        const r = v as { tag: 'ok' | 'err'; val?: unknown };
        const m = r.tag === 'ok' ? ok : err;
        return m ? { tag: r.tag, val: m(r.val, map) } : r;
      };
    }
    case 'tuple': {
      const parts = t.types.map(mappingOf);
      if (parts.every((p) => p === undefined)) return undefined;
      return (v, map) => (v as unknown[]).map((x, i) => (parts[i] ? parts[i]!(x, map) : x));
    }
    case 'record': {
      const fields = t.fields.map((f) => ({ key: camelCase(f.name), m: mappingOf(f.type) })).filter((f) => f.m !== undefined);
      if (fields.length === 0) return undefined;
      return (v, map) => {
        const out = { ...(v as Record<string, unknown>) };
        for (const f of fields) out[f.key] = f.m!(out[f.key], map);
        return out;
      };
    }
    case 'variant': {
      const cases = new Map(t.cases.map((c) => [c.name, mappingOf(c.type)] as const).filter(([, m]) => m !== undefined));
      if (cases.size === 0) return undefined;
      return (v, map) => {
        const o = v as { tag: string; val?: unknown };
        const m = cases.get(o.tag);
        return m ? { tag: o.tag, val: m(o.val, map) } : o;
      };
    }
    default:
      return undefined;
  }
}

/**
 * Generated glue as reusable templates. Every value generated code closes over is named
 * symbolically (a runtime helper, a per-call-site value such as the instance's memory, a
 * resource type by where it occurs in the call site's signature, or a scratch object), so
 * the same template serves every instance of a component: the second instance, and a
 * fresh process reading the template from the persistent cache, skip code generation and
 * only bind values. Naming resources by signature position (not by creation order) keeps a
 * nested component instantiated twice, with different resources, bound to its own.
 */
import type { Type } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import type { RuntimeResource } from '../runtime/resources.js';
import type { FuncSig } from '../runtime/types.js';
import { enter, leave, checkMayLeave } from './reentrance.js';
import {
  allocate, asyncHost, badArgument, badHostResult, endLent, errorPayload, f32ToI32, f64ToI64, i32ToF32, i64ToF64, isChar, isScratch,
  liftChar, loadString, scratch, storeString, trap, wrongArity,
} from './runtime.js';

export type SiteKey = 'state' | 'guard' | 'ops' | 'mem' | 'realloc' | 'postReturn' | 'core' | 'host' | 'Host';

export type HelperSpec =
  | { readonly k: 'runtime'; readonly name: string }
  | { readonly k: 'scratch' }
  | { readonly k: 'site'; readonly name: SiteKey }
  /** A resource: the handle type at `path` in the signature (param index or -1 for the result, then child positions). */
  | { readonly k: 'resource'; readonly path: readonly number[] };

export interface Template {
  readonly name: string;
  readonly params: readonly string[];
  /** The factory's body: `return function name(params) { … };` */
  readonly source: string;
  /** The factory's parameters, in order, and what each stands for. */
  readonly helpers: readonly { readonly name: string; readonly spec: HelperSpec }[];
}

const RUNTIME: Record<string, unknown> = {
  allocate, asyncHost, badArgument, badHostResult, checkMayLeave, endLent, enter, errorPayload, f32ToI32, f64ToI64, i32ToF32, i64ToF64,
  isChar, leave, liftChar, loadString, storeString, trap, wrongArity,
};
const RUNTIME_NAMES = new Map(Object.entries(RUNTIME).map(([name, value]) => [value, name]));

/** The positions of a type's parts, in a fixed order (what a resource path steps through). */
function parts(type: Type): readonly (Type | undefined)[] {
  const t = unalias(type);
  switch (t.kind) {
    case 'list': return [t.element];
    case 'option': return [t.some];
    case 'result': return [t.ok, t.err];
    case 'tuple': return t.types;
    case 'record': return t.fields.map((f) => f.type);
    case 'variant': return t.cases.map((c) => c.type);
    case 'own': case 'borrow': return [t.resource];
    default: return [];
  }
}

function roots(sig: FuncSig): readonly (Type | undefined)[] {
  return [...sig.params.map((p) => p.type), sig.result];
}

const pathCache = new WeakMap<FuncSig, Map<unknown, readonly number[]>>();

/** Where each resource first occurs in a signature. */
function resourcePaths(sig: FuncSig): Map<unknown, readonly number[]> {
  let paths = pathCache.get(sig);
  if (paths) return paths;
  paths = new Map();
  const seen = new Set<Type>();
  const walk = (t: Type | undefined, path: number[]) => {
    if (!t || seen.has(t)) return;
    seen.add(t);
    const u = unalias(t);
    if (u.kind === 'resource') {
      if (!paths!.has(u)) paths!.set(u, path);
      return;
    }
    parts(u).forEach((p, i) => walk(p, [...path, i]));
  };
  roots(sig).forEach((t, i) => walk(t, [i === sig.params.length ? -1 : i]));
  pathCache.set(sig, paths);
  return paths;
}

function resourceAt(sig: FuncSig, path: readonly number[]): RuntimeResource {
  let t: Type | undefined = path[0] === -1 ? sig.result : sig.params[path[0]!]?.type;
  for (const i of path.slice(1)) t = t === undefined ? undefined : parts(t)[i];
  const r = t === undefined ? undefined : unalias(t);
  if (r?.kind !== 'resource') throw new Error(`internal: no resource at ${path.join('/')} of this call site's signature`);
  return r as RuntimeResource;
}

/** The values of one call site (a `canon lift` or `canon lower`) and its signature. */
export interface SiteBinding {
  readonly values: Partial<Record<SiteKey, unknown>>;
  readonly sig: FuncSig;
}

export function specOf(value: unknown, binding: SiteBinding): HelperSpec {
  const runtime = RUNTIME_NAMES.get(value);
  if (runtime) return { k: 'runtime', name: runtime };
  for (const [name, v] of Object.entries(binding.values)) if (v === value) return { k: 'site', name: name as SiteKey };
  const path = resourcePaths(binding.sig).get(value);
  if (path !== undefined) return { k: 'resource', path };
  if (isScratch(value)) return { k: 'scratch' };
  throw new Error(`internal: generated code closes over a value that has no symbolic name (${typeof value === 'function' ? (value as { name: string }).name : Object.prototype.toString.call(value)}: ${String((value as { name?: string })?.name ?? '')})`);
}

function resolve(spec: HelperSpec, binding: SiteBinding): unknown {
  switch (spec.k) {
    case 'runtime': {
      if (!(spec.name in RUNTIME)) throw new Error(`unknown runtime helper ${spec.name}`);
      return RUNTIME[spec.name];
    }
    case 'scratch': return scratch();
    case 'site': return binding.values[spec.name];
    case 'resource': return resourceAt(binding.sig, spec.path);
  }
}

/** Compiled factories by source (oldest evicted first beyond the limit). */
const factories = new Map<string, (...helpers: unknown[]) => unknown>();
const MAX_FACTORIES = 20_000;

export function factoryFor(names: readonly string[], source: string): (...helpers: unknown[]) => unknown {
  const key = `${names.join(',')}\n${source}`;
  let factory = factories.get(key);
  if (!factory) {
    try {
      factory = new Function(...names, source) as (...helpers: unknown[]) => unknown;
    } catch (e) {
      throw new Error(`internal: generated code does not compile (${String(e)}):\n${source}`);
    }
    if (factories.size >= MAX_FACTORIES) factories.delete(factories.keys().next().value!);
    factories.set(key, factory);
  }
  return factory;
}

/** Binds a template to the values of a call site. */
export function fromTemplate<F>(template: Template, binding: SiteBinding): F {
  const factory = factoryFor(template.helpers.map((h) => h.name), template.source);
  return factory(...template.helpers.map((h) => resolve(h.spec, binding))) as F;
}

/** Checks the shape of a template read from disk (anything else is a corrupt entry). */
export function isTemplate(value: unknown): value is Template {
  const t = value as Template;
  return typeof t === 'object' && t !== null && typeof t.name === 'string' && typeof t.source === 'string'
    && Array.isArray(t.params) && t.params.every((p) => typeof p === 'string')
    && Array.isArray(t.helpers) && t.helpers.every((h) => typeof h?.name === 'string' && typeof h.spec?.k === 'string'
      && (h.spec.k !== 'resource' || (Array.isArray(h.spec.path) && h.spec.path.every((i: unknown) => Number.isInteger(i)))));
}

/**
 * Generated glue as reusable templates. Every value generated code closes over is named
 * symbolically (a runtime helper, a per-call-site value such as the instance's memory, a
 * resource type by its creation order, or a scratch object), so the same template serves
 * every instance of a component: the second instance, and a fresh process reading the
 * template from the persistent cache, skip code generation and only bind values.
 */
import type { RuntimeResource } from '../runtime/resources.js';
import {
  asyncHost, badArgument, badHostResult, endLent, errorPayload, f32ToI32, f64ToI64, i32ToF32, i64ToF64, isChar, isScratch,
  liftChar, loadString, scratch, storeString, trap, wrongArity,
} from './runtime.js';

export type SiteKey = 'state' | 'guard' | 'ops' | 'mem' | 'realloc' | 'postReturn' | 'core' | 'host' | 'Host';

export type HelperSpec =
  | { readonly k: 'runtime'; readonly name: string }
  | { readonly k: 'scratch' }
  | { readonly k: 'site'; readonly name: SiteKey }
  | { readonly k: 'resource'; readonly ordinal: number };

export interface Template {
  readonly name: string;
  readonly params: readonly string[];
  /** The factory's body: `return function name(params) { … };` */
  readonly source: string;
  /** The factory's parameters, in order, and what each stands for. */
  readonly helpers: readonly { readonly name: string; readonly spec: HelperSpec }[];
}

const RUNTIME: Record<string, unknown> = {
  asyncHost, badArgument, badHostResult, endLent, errorPayload, f32ToI32, f64ToI64, i32ToF32, i64ToF64, isChar, liftChar,
  loadString, storeString, trap, wrongArity,
};
const RUNTIME_NAMES = new Map(Object.entries(RUNTIME).map(([name, value]) => [value, name]));

/** Resource types of one instantiation, numbered in the order they were created. */
export class ResourceOrdinals {
  private readonly list: RuntimeResource[] = [];
  private readonly index = new Map<RuntimeResource, number>();

  register(rt: RuntimeResource): void {
    if (this.index.has(rt)) return;
    this.index.set(rt, this.list.length);
    this.list.push(rt);
  }

  ordinalOf(rt: unknown): number | undefined {
    return this.index.get(rt as RuntimeResource);
  }

  at(ordinal: number): RuntimeResource {
    const rt = this.list[ordinal];
    if (!rt) throw new Error(`internal: no resource type #${ordinal} in this instance`);
    return rt;
  }
}

/** The values of one call site (a `canon lift` or `canon lower`) and the instance's resources. */
export interface SiteBinding {
  readonly values: Partial<Record<SiteKey, unknown>>;
  readonly resources: ResourceOrdinals;
}

export function specOf(value: unknown, binding: SiteBinding): HelperSpec {
  const runtime = RUNTIME_NAMES.get(value);
  if (runtime) return { k: 'runtime', name: runtime };
  for (const [name, v] of Object.entries(binding.values)) if (v === value) return { k: 'site', name: name as SiteKey };
  const ordinal = binding.resources.ordinalOf(value);
  if (ordinal !== undefined) return { k: 'resource', ordinal };
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
    case 'resource': return binding.resources.at(spec.ordinal);
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
    && Array.isArray(t.helpers) && t.helpers.every((h) => typeof h?.name === 'string' && typeof h.spec?.k === 'string');
}

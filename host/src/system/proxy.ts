/**
 * Typed proxies: plain objects whose methods are the WIT functions of an actor, each
 * returning a Promise. Meta-operations are reached through symbols (`actorIdOf`, and
 * `Symbol.asyncDispose` to stop a resource actor), never through string keys, so a WIT
 * function may be named anything. Proxies are not thenables.
 *
 * A call may take one extra, last argument: `CallOptions` (`signal`, `timeoutMs`).
 */
import type { FunctionDescription, InterfaceDescription, ResourceDescription } from '../transports/transport.js';
import { camelCase, pascalCase } from '../wit/names.js';
import type { ActorId } from './actor-id.js';

export interface CallOptions {
  /** Cancels the call; it rejects with ERR_ABORTED (or ERR_TIMEOUT for `AbortSignal.timeout`). */
  readonly signal?: AbortSignal;
  /** Rejects with ERR_TIMEOUT after this many milliseconds. */
  readonly timeoutMs?: number;
}

const ACTOR = Symbol.for('plugin-actors.actor');

/** Marks an interface type as a WIT resource, so `Remote<T>` turns it into a resource actor proxy. */
export interface ResourceActor {
  readonly [ACTOR]?: never;
}

type Promised<R> = R extends ResourceActor ? Remote<R> : R;

/** The promise-returning view of `T` (an interface's functions, or a resource's methods). */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: [...A, CallOptions?]) => Promise<Promised<R>>
    : T[K] extends object ? Remote<T[K]> : never;
} & (T extends ResourceActor ? { [Symbol.asyncDispose](): Promise<void> } : unknown);

/** What a proxy method does: the system's call path. */
export type Invoke = (fn: FunctionDescription, args: unknown[]) => Promise<unknown>;

interface ProxyMeta {
  readonly id: ActorId;
  readonly interfaceName: string;
}

/** The actor id behind a proxy, or undefined for other values. */
export function actorIdOf(value: unknown): ActorId | undefined {
  return (value as { [ACTOR]?: ProxyMeta } | null | undefined)?.[ACTOR]?.id;
}

export function proxyMeta(value: unknown): ProxyMeta | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  return (value as { [ACTOR]?: ProxyMeta })[ACTOR];
}

function method(invoke: Invoke, fn: FunctionDescription): (...args: unknown[]) => Promise<unknown> {
  return (...args: unknown[]) => invoke(fn, args);
}

/** The root actor's view of one exported interface: functions, and one namespace per resource. */
export function interfaceProxy(id: ActorId, iface: InterfaceDescription, invoke: Invoke): object {
  const proxy: Record<string | symbol, unknown> = {};
  Object.defineProperty(proxy, ACTOR, { value: { id, interfaceName: iface.name } satisfies ProxyMeta });
  for (const fn of iface.functions.values()) {
    if (fn.kind === 'freestanding') proxy[camelCase(fn.name)] = method(invoke, fn);
  }
  for (const resource of iface.resources.values()) {
    const ns: Record<string, unknown> = {};
    for (const fn of resource.statics.values()) ns[camelCase(fn.shortName)] = method(invoke, fn);
    // A static named `create` wins; the constructor stays reachable as `new`.
    if (resource.ctor) {
      const ctor = method(invoke, resource.ctor);
      if (!('create' in ns)) ns.create = ctor;
      ns.new = ctor;
    }
    proxy[pascalCase(resource.name)] = Object.freeze(ns);
  }
  return Object.freeze(proxy);
}

/** A resource actor: its methods (without `self`), and `Symbol.asyncDispose` to stop it. */
export function resourceProxy(id: ActorId, resource: ResourceDescription, invoke: Invoke, stop: () => Promise<void>): object {
  const proxy: Record<string | symbol, unknown> = {};
  Object.defineProperty(proxy, ACTOR, { value: { id, interfaceName: resource.interfaceName } satisfies ProxyMeta });
  for (const fn of resource.methods.values()) proxy[camelCase(fn.shortName)] = method(invoke, fn);
  Object.defineProperty(proxy, Symbol.asyncDispose, { value: stop });
  Object.defineProperty(proxy, Symbol.for('nodejs.util.inspect.custom'), { value: () => `[actor ${id} ${resource.name}]` });
  return Object.freeze(proxy);
}

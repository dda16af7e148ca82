/**
 * Typed proxies: plain objects whose methods are the WIT functions of an actor, each
 * returning a Promise. Meta-operations are reached through symbols (`actorIdOf`, and
 * `Symbol.asyncDispose` to stop a resource actor), never through string keys, so a WIT
 * function may be named anything. Proxies are not thenables: a function named `then` (or
 * like a member of `Object.prototype`) is exposed as `then_` (`proxyMemberName`).
 *
 * A call takes its WIT parameters, then optionally call options (`signal`, `timeoutMs`);
 * trailing `option<T>` parameters may be left out, and then the options must be made by
 * `callOptions()` (call-options.ts has the rules).
 */
import type { WitFunction } from '../../common/wit/model.js';
import type { InterfaceDescription, ResourceDescription } from './node-description.js';
import { proxyMemberName, pascalCase } from '../../common/wit/names.js';
import type { ActorId } from './actor-id.js';
import type { CallOptions, MarkedCallOptions } from './call-options.js';

export type { CallOptions } from './call-options.js';

const ACTOR = Symbol.for('plugin-actors.actor');

/** Marks an interface type as a WIT resource, so `Remote<T>` turns it into a resource actor proxy. */
export interface ResourceActor {
  readonly [ACTOR]?: never;
}

declare const REMOTE: unique symbol;
declare const UNTYPED: unique symbol;

/** Marks a type that is already a proxy, so `Remote<>` leaves it alone (generated types nest them). */
interface RemoteBrand {
  readonly [REMOTE]: true;
}

/**
 * The default of `exports()`, `resolve()` and `find()` when no type is given: every member is
 * callable with any arguments (results typed `unknown`) and may be a resource's namespace.
 */
export interface UntypedInterface {
  readonly [UNTYPED]: true;
}

/** A member of an untyped proxy: a function taking anything, or a namespace of more. */
export interface UntypedMember {
  (...args: unknown[]): Promise<unknown>;
  readonly [member: string]: UntypedMember;
}

/** The proxy of an untyped interface. */
export interface UntypedRemote {
  readonly [member: string]: UntypedMember;
}

type Promised<R> = R extends RemoteBrand ? R : R extends ResourceActor ? Remote<R> : R;

/** The argument lists that leave out trailing parameters which accept `undefined` (WIT options). */
type Shortened<A extends readonly unknown[]> =
  number extends A['length'] ? never
    : A extends readonly [...infer H, infer L] ? (undefined extends L ? H | Shortened<H> : never)
      : A extends readonly [...infer H, unknown?] ? H | Shortened<H>
        : never;

/** Every parameter then optional call options, or trailing options left out and `callOptions()` last. */
export type CallArguments<A extends readonly unknown[]> = [...A, CallOptions?] | [...Shortened<A>, MarkedCallOptions];

/**
 * The promise-returning view of `T` (an interface's functions, or a resource's methods);
 * `plugin-actors types` generates the `T`s of a world. `Remote<UntypedInterface>` accepts
 * any call.
 */
export type Remote<T> = [T] extends [UntypedInterface] ? UntypedRemote : RemoteOf<T>;

type RemoteOf<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: CallArguments<A>) => Promise<Promised<R>>
    : T[K] extends object ? Remote<T[K]> : never;
} & (T extends ResourceActor ? { [Symbol.asyncDispose](): Promise<void> } & RemoteBrand : unknown);

/** Builds the JS function a proxy exposes for one WIT function (the system's call path). */
export type MethodFactory = (fn: WitFunction) => (...args: unknown[]) => unknown;

/** Marks a proxy as the synchronous twin (see `sync()`). */
export const SYNC = true;

/** The synchronous twin of a proxy type `P`: the same functions, returning values instead of Promises. */
export type SyncRemote<P> = {
  [K in keyof P]: P[K] extends (...args: infer A) => Promise<infer R>
    ? (...args: A) => R
    : P[K] extends object ? SyncRemote<P[K]> : P[K];
};

export interface ProxyMeta {
  readonly id: ActorId;
  readonly interfaceName: string;
  readonly sync: boolean;
}

/** The actor id behind a proxy, or undefined for other values. */
export function actorIdOf(value: unknown): ActorId | undefined {
  return (value as { [ACTOR]?: ProxyMeta } | null | undefined)?.[ACTOR]?.id;
}

export function proxyMeta(value: unknown): ProxyMeta | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  return (value as { [ACTOR]?: ProxyMeta })[ACTOR];
}

/** The root actor's view of one exported interface: functions, and one namespace per resource. */
export function interfaceProxy(id: ActorId, iface: InterfaceDescription, method: MethodFactory, sync = false): object {
  const proxy: Record<string | symbol, unknown> = {};
  Object.defineProperty(proxy, ACTOR, { value: { id, interfaceName: iface.name, sync } satisfies ProxyMeta });
  for (const fn of iface.functions.values()) {
    if (fn.kind === 'freestanding') proxy[proxyMemberName(fn.name)] = method(fn);
  }
  for (const resource of iface.resources.values()) {
    const ns: Record<string, unknown> = {};
    for (const fn of resource.statics.values()) ns[proxyMemberName(fn.shortName)] = method(fn);
    // A static named `create` wins; the constructor stays reachable as `new`.
    if (resource.ctor) {
      const ctor = method(resource.ctor);
      if (!('create' in ns)) ns.create = ctor;
      ns.new = ctor;
    }
    proxy[pascalCase(resource.name)] = Object.freeze(ns);
  }
  return Object.freeze(proxy);
}

/** What the resource actors of one type share: how their methods call, and how they stop. */
export interface ResourceCalls {
  /** The call path of one method, made once per prototype. */
  method(fn: WitFunction): (actor: object, args: unknown[]) => unknown;
  stop(actor: object): Promise<void>;
}

const STATE = Symbol('plugin-actors.actor-state');

/**
 * The prototype of a resource type's actors: one function per method (without `self`),
 * `Symbol.asyncDispose` to stop the actor, and a readable `util.inspect`. The actors
 * themselves hold only their meta and state, so a hundred thousand of them stay small.
 */
export function resourcePrototype(resource: ResourceDescription, calls: ResourceCalls): object {
  const proto: Record<string | symbol, unknown> = {};
  for (const fn of resource.methods.values()) {
    const name = proxyMemberName(fn.shortName);
    const call = calls.method(fn);
    // A named function expression keeps stack traces and `fn.name` readable.
    proto[name] = { [name](this: object, ...args: unknown[]) { return call(this, args); } }[name];
  }
  Object.defineProperty(proto, Symbol.asyncDispose, { value(this: object) { return calls.stop(this); } });
  Object.defineProperty(proto, Symbol.for('nodejs.util.inspect.custom'), {
    value(this: object) { return `[actor ${proxyMeta(this)?.id ?? '?'} ${resource.name}]`; },
  });
  return Object.freeze(proto);
}

/** A resource actor: an object of its type's prototype, carrying its meta and the system's state for it. */
export function resourceProxy(prototype: object, meta: ProxyMeta, state: unknown): object {
  const proxy = Object.create(prototype) as Record<symbol, unknown>;
  Object.defineProperty(proxy, ACTOR, { value: meta });
  Object.defineProperty(proxy, STATE, { value: state });
  return Object.freeze(proxy);
}

/** The state `resourceProxy` stored (undefined for anything else, such as a detached `this`). */
export function actorState<S>(actor: unknown): S | undefined {
  if (actor === null || typeof actor !== 'object') return undefined;
  return (actor as Record<symbol, S | undefined>)[STATE];
}

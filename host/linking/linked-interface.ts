/**
 * The host object that satisfies an import linked to another plugin's export: the shape
 * every transport already binds (jco's: lowerCamelCase functions, an UpperCamelCase class
 * per resource), whose members call the target's root-actor proxy. So a link needs nothing
 * new from the transports beyond two marks from `common/host-objects.ts`: `IMPORT_CHECK`
 * (the importer's view of the interface is compared with the target's before anything is
 * bound) and `WANTS_CALL_CONTEXT` (each call gets the signal of the chain it is a hop of).
 *
 * Two modes. `async` (the importer is a worker or a process): every member returns a
 * Promise and passes the chain's signal on as the call's options, so the original caller's
 * deadline or abort ends every hop. `sync` (an inline importer, whose guest cannot wait):
 * members call the target's synchronous twin, which exists only for an inline target.
 *
 * Resources cross as actor references: the importer holds a wrapper (an instance of the
 * link's class for that resource) around the target's resource actor; its methods call the
 * actor, and dropping it stops the actor, so the owner sees the drop.
 */
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import { CORE_CALL, IMPORT_CHECK, ROUTED_ACTOR, type CoreCallBinding, WANTS_CALL_CONTEXT, type HostCallContext } from '../../common/host-objects.js';
import { compareInterfaces } from '../../common/wit/equal.js';
import { unalias, type Interface, type Type, type WitFunction } from '../../common/wit/model.js';
import { camelCase, pascalCase } from '../../common/wit/names.js';
import { passesThrough } from '../component/canon/core-entry.js';
import { coreTrampoline } from '../component/canon/core-trampoline.js';
import { routedActor } from './routed-actor.js';
import type { ActorSystemCore, LinkTarget } from '../system/actor-system.js';
import { currentChain, waitOn } from '../system/call-chain.js';
import { callOptions } from '../system/call-options.js';
import type { DirectCore, Logger } from '../system/node-connection.js';
import type { ResourceDescription } from '../system/node-description.js';
import { mappingOf, type HandleMapping, type MapHandle } from './handle-mapping.js';

export interface LinkOptions {
  /** The importing plugin's name. */
  readonly importer: string;
  /** The interface name the import is bound under. */
  readonly importKey: string;
  readonly mode: 'sync' | 'async';
  readonly logger: Logger;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** On a wrapper: the target's resource actor it stands for. */
const ACTOR = Symbol('plugin-actors.linked-actor');

export function linkedInterface(core: ActorSystemCore, proxy: object, target: LinkTarget, options: LinkOptions): object {
  const link = new Link(core, proxy, target, options);
  const host: Record<string | symbol, unknown> = {};
  for (const fn of target.description.functions.values()) {
    if (fn.kind === 'freestanding') host[camelCase(fn.name)] = link.function(fn);
  }
  for (const resource of target.description.resources.values()) host[pascalCase(resource.name)] = link.resourceClass(resource);
  Object.defineProperty(host, IMPORT_CHECK, { value: (iface: Interface, name: string) => link.check(iface, name) });
  return Object.freeze(host);
}

class Link {
  readonly #classes = new Map<string, { prototype: object }>();
  readonly #wrappers = new WeakMap<object, object>();
  readonly #sync: Record<string, unknown> | undefined;

  constructor(private readonly core: ActorSystemCore, private readonly proxy: object, private readonly target: LinkTarget, private readonly options: LinkOptions) {
    this.#sync = options.mode === 'sync' ? core.sync(proxy) as Record<string, unknown> : undefined;
  }

  check(iface: Interface, name: string): void {
    const diff = compareInterfaces(name, iface, this.target.witInterface);
    if (diff) {
      throw new PluginHostError('ERR_LINK_MISMATCH', `plugin ${this.options.importer}'s import ${name} is linked to plugin ${this.target.plugin}'s ${this.target.description.name}, which does not match: ${diff}`, { plugin: this.options.importer });
    }
  }

  /** A freestanding function (or a static, given its owner on the proxy). */
  function(fn: WitFunction, owner: Record<string, unknown> = this.proxy as Record<string, unknown>, syncOwner = this.#sync): AnyFunction {
    const key = camelCase(fn.kind === 'static' ? fn.shortName : fn.name);
    if (this.#sync) {
      const member = this.#syncCall(fn, (syncOwner![key] as AnyFunction));
      if (fn.kind === 'freestanding' && this.target.coreMethod && passesThrough(fn)) {
        const binding: CoreCallBinding = this.#coreCall(fn, this.target.coreMethod, member);
        Object.defineProperty(member, CORE_CALL, { value: binding });
      }
      return member;
    }
    return this.#asyncCall(fn, (args, opts) => (owner[key] as AnyFunction)(...args, ...opts) as Promise<unknown>);
  }

  /** The class the importer's resource type is bound to: constructor, statics, methods, drop. */
  resourceClass(resource: ResourceDescription): unknown {
    const ns = (this.proxy as Record<string, Record<string, unknown>>)[pascalCase(resource.name)]!;
    const syncNs = this.#sync?.[pascalCase(resource.name)] as Record<string, unknown> | undefined;
    const link = this;
    const construct = resource.ctor
      ? (this.#sync ? this.#syncCall(resource.ctor, ns.new ? syncNs!.new as AnyFunction : missing(resource.name)) : this.#asyncCall(resource.ctor, (args, opts) => (ns.new as AnyFunction)(...args, ...opts) as Promise<unknown>))
      : undefined;
    // A plain function, so that `new` may return the Promise of a wrapper (async targets).
    const Linked = function LinkedResource(...args: unknown[]): unknown {
      if (!construct) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `resource ${resource.name} of plugin ${link.target.plugin} has no constructor`);
      return construct(...args);
    } as unknown as { prototype: Record<string | symbol, unknown> } & Record<string | symbol, unknown>;
    if (!this.#sync) Linked[WANTS_CALL_CONTEXT] = true;
    for (const fn of resource.statics.values()) Linked[camelCase(fn.shortName)] = this.function(fn, ns, syncNs);
    const proto = Linked.prototype;
    for (const fn of resource.methods.values()) {
      const name = camelCase(fn.shortName);
      const call = this.#sync
        ? this.#syncMethod(fn, name)
        : this.#asyncCall(fn, (args, opts, self) => (actorOf(self, resource.name)[name] as AnyFunction)(...args, ...opts) as Promise<unknown>, true);
      proto[name] = call;
    }
    // The importer dropped its handle: the target's actor stops (its owner sees the drop).
    Object.defineProperty(proto, Symbol.dispose, {
      value(this: object) {
        const actor = (this as { [ACTOR]?: object })[ACTOR];
        if (actor) link.core.stop(actor).catch((e: unknown) => link.options.logger.debug(`link ${link.options.importKey}: dropping a ${resource.name} failed: ${(e as Error).message}`, { plugin: link.options.importer }));
      },
    });
    this.#classes.set(resource.name, Linked);
    return Linked;
  }

  /** The importer's view of one of the target's resource actors (the same wrapper each time). */
  #wrap(actor: unknown, resource: string): unknown {
    if (actor === null || typeof actor !== 'object') return actor;
    let wrapper = this.#wrappers.get(actor);
    if (!wrapper) {
      const cls = this.#classes.get(resource);
      if (!cls) throw new PluginHostError('ERR_UNSUPPORTED', `a ${resource} of another interface cannot cross the link ${this.options.importKey} to plugin ${this.target.plugin}`);
      wrapper = Object.create(cls.prototype) as object;
      Object.defineProperty(wrapper, ACTOR, { value: actor });
      // Served onward (a tree of hosts), the wrapper routes the actor's id and reports its end.
      Object.defineProperty(wrapper, ROUTED_ACTOR, { value: routedActor(this.core, actor) });
      this.#wrappers.set(actor, wrapper);
    }
    return wrapper;
  }

  readonly #toImporter: MapHandle = (actor, _own, resource) => this.#wrap(actor, resource);
  readonly #toTarget: MapHandle = (wrapper, _own, resource) => actorOf(wrapper, resource);

  #mappings(fn: WitFunction): { params: (HandleMapping | undefined)[]; result: HandleMapping | undefined; any: boolean } {
    const params = fn.params.map((p) => mappingOf(p.type));
    const result = mappingOf(okType(fn.result));
    return { params, result, any: result !== undefined || params.some((p) => p !== undefined) };
  }

  #argsToTarget(params: (HandleMapping | undefined)[], args: unknown[]): unknown[] {
    return args.map((a, i) => (params[i] ? params[i]!(a, this.#toTarget) : a));
  }

  /** An async member: the chain's signal becomes the call's options; failures name where they happened. */
  #asyncCall(fn: WitFunction, invoke: (args: unknown[], opts: unknown[], self: unknown) => Promise<unknown>, method = false): AnyFunction {
    const n = method ? fn.params.length - 1 : fn.params.length;
    const { params, result, any } = this.#mappings(method ? { ...fn, params: fn.params.slice(1) } : fn);
    const link = this;
    const member = function (this: unknown, ...all: unknown[]): Promise<unknown> {
      const context = all.length > n ? all[n] as HostCallContext | undefined : undefined;
      let args = all.length > n ? all.slice(0, n) : all;
      const signal = context?.signal ?? currentChain()?.signal;
      try {
        if (any) args = link.#argsToTarget(params, args);
        const pending = invoke(args, signal ? [callOptions({ signal })] : [], this);
        const returned = waitOn(link.target.plugin);
        return pending.then(
          (v) => { returned?.(false); return result ? result(v, link.#toImporter) : v; },
          (e: unknown) => { returned?.(signal?.aborted === true); throw link.#failure(e, fn); },
        );
      } catch (e) {
        return Promise.reject(link.#failure(e, fn));
      }
    };
    (member as unknown as Record<symbol, unknown>)[WANTS_CALL_CONTEXT] = true;
    return member;
  }

  /** A sync member calling the target's synchronous twin (inline importer and target). */
  #syncCall(fn: WitFunction, call: AnyFunction): AnyFunction {
    const { params, result, any } = this.#mappings(fn);
    if (!any) {
      // The common case, kept flat: it sits on every linked inline call.
      switch (fn.params.length) {
        case 0: return () => { try { return call(); } catch (e) { throw this.#failure(e, fn); } };
        case 1: return (a) => { try { return call(a); } catch (e) { throw this.#failure(e, fn); } };
        case 2: return (a, b) => { try { return call(a, b); } catch (e) { throw this.#failure(e, fn); } };
        case 3: return (a, b, c) => { try { return call(a, b, c); } catch (e) { throw this.#failure(e, fn); } };
        default: return (...a) => { try { return call(...a); } catch (e) { throw this.#failure(e, fn); } };
      }
    }
    return (...a) => {
      try {
        const value = call(...this.#argsToTarget(params, a));
        return result ? result(value, this.#toImporter) : value;
      } catch (e) {
        throw this.#failure(e, fn);
      }
    };
  }

  /**
   * The member called with core values, for an inline importer whose core import it becomes
   * (component/canon/core-entry.ts): the target's core export, entered and guarded, without
   * lifting to JavaScript and lowering again. Whatever it cannot call so goes through
   * `member`, the ordinary path, with the core values made JavaScript ones.
   *
   * A target that imports nothing it could call is called from wasm to wasm through a
   * trampoline (core-trampoline.ts), armed with the running incarnation's export and
   * disarmed when that incarnation ends, traps or is interrupted; disarmed, it calls the
   * guarded path, which arms it again for a new incarnation.
   */
  #coreCall(fn: WitFunction, method: NonNullable<LinkTarget['coreMethod']>, member: AnyFunction): CoreCallBinding {
    const toJs = fn.params.map((p) => coreToJs(p.type));
    const fallback = toJs.every((f) => f === undefined) ? member : (...c: unknown[]) => member(...c.map((v, i) => (toJs[i] ? toJs[i]!(v) : v)));
    const target = method(fn, fallback);
    let guarded: AnyFunction;
    switch (fn.params.length) {
      case 1: guarded = (a) => { try { return target.call(a); } catch (e) { throw this.#failure(e, fn); } }; break;
      case 2: guarded = (a, b) => { try { return target.call(a, b); } catch (e) { throw this.#failure(e, fn); } }; break;
      default: guarded = (...c) => { try { return target.call(...c); } catch (e) { throw this.#failure(e, fn); } };
    }
    if (!target.direct()) return { fn: guarded };

    let armed: DirectCore | undefined;
    // The export in the slot when a direct call last started: the one a raised flag blames.
    let inSlot: DirectCore | undefined;
    const arm = () => {
      const direct = target.direct();
      if (!direct || direct === armed) return;
      armed = inSlot = direct;
      trampoline.arm(direct.core);
      direct.onUnusable(() => {
        if (armed !== direct) return;
        armed = undefined;
        trampoline.disarm();
      });
    };
    const trampoline = coreTrampoline(fn, (...c: unknown[]) => {
      // Through JavaScript, failures are reported as they happen: the flag is not theirs.
      trampoline.clear();
      arm();
      return guarded(...c);
    });
    arm();
    return {
      fn: trampoline.call,
      attribute: (cause) => {
        if (!trampoline.interrupted || !inSlot) return undefined;
        trampoline.clear();
        return this.#failure(inSlot.failed(cause), fn);
      },
    };
  }

  #syncMethod(fn: WitFunction, name: string): AnyFunction {
    const { params, result, any } = this.#mappings({ ...fn, params: fn.params.slice(1) });
    const link = this;
    const resource = fn.resource ? (unalias(fn.resource) as { name: string }).name : '';
    return function (this: unknown, ...a: unknown[]) {
      try {
        const twin = link.core.sync(actorOf(this, resource)) as Record<string, AnyFunction>;
        const value = twin[name]!(...(any ? link.#argsToTarget(params, a) : a));
        return result ? result(value, link.#toImporter) : value;
      } catch (e) {
        throw link.#failure(e, fn);
      }
    };
  }

  /**
   * The error the importer sees: a WIT `err` stays one (its payload is the importer's err);
   * anything else is ERR_LINK_FAILED naming the plugin where the chain first failed.
   */
  #failure(e: unknown, fn: WitFunction): unknown {
    if (isPluginHostError(e, 'ERR_RESULT')) return e;
    const outcome = currentChain()?.outcome;
    const here = isPluginHostError(e) && e.plugin ? e.plugin : this.target.plugin;
    const where = outcome?.failedAt ?? here;
    if (outcome) outcome.failedAt = where;
    const message = isPluginHostError(e) || e instanceof Error ? e.message : String(e);
    return new PluginHostError('ERR_LINK_FAILED', `plugin ${this.options.importer}'s call ${this.options.importKey}#${fn.name}, linked to plugin ${this.target.plugin}, failed at plugin ${where}: ${message}`, {
      plugin: where, method: fn.name, cause: e,
    });
  }
}

/** Core i32 and i64 values are signed; the unsigned WIT types' JavaScript values are not. */
function coreToJs(type: Type): ((v: unknown) => unknown) | undefined {
  switch (unalias(type).kind) {
    case 'u32': return (v) => (v as number) >>> 0;
    case 'u64': return (v) => BigInt.asUintN(64, v as bigint);
    default: return undefined;
  }
}

function okType(result: Type | undefined): Type | undefined {
  if (result === undefined) return undefined;
  const t = unalias(result);
  return t.kind === 'result' ? t.ok : result;
}

function actorOf(wrapper: unknown, resource: string): Record<string, unknown> {
  const actor = wrapper !== null && typeof wrapper === 'object' ? (wrapper as { [ACTOR]?: Record<string, unknown> })[ACTOR] : undefined;
  if (!actor) throw new PluginHostError('ERR_BAD_ARGUMENT', `expected a ${resource} that came through this link`);
  return actor;
}

function missing(resource: string): AnyFunction {
  return () => { throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `resource ${resource} has no constructor`); };
}

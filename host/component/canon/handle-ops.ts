/**
 * Lifting and lowering of `own` and `borrow` handles for one component instance
 * (CanonicalABI.md: lift_own, lift_borrow, lower_own, lower_borrow, resource.*).
 *
 * An optional `GuestBridge` lets the embedder show guest resources as something else
 * (the actor system shows them as actor proxies): it wraps every owned resource handed
 * out and unwraps what comes back.
 */
import { PluginHostError } from '../../../common/errors.js';
import {
  GuestResource, type Handle, type InstanceState, type RuntimeResource, repOf, isGuestResource, isLive, resourceTypeOf,
} from '../runtime/resources.js';
import { badArgument, trap } from './runtime.js';

export interface GuestBridge {
  /** Called for each owned guest resource handed to the host; returns what the host sees. */
  adopt(rt: RuntimeResource, resource: GuestResource): unknown;
  /** The guest resource behind a host value, or undefined if the bridge does not know it. */
  resolve(rt: RuntimeResource, value: unknown, own: boolean): GuestResource | undefined;
}

export class HandleOps {
  constructor(readonly inst: InstanceState, readonly bridge?: GuestBridge) {}

  /** Throws ERR_BAD_ARGUMENT (or the bridge's error) unless `value` may be passed as a handle of `rt`. */
  check(rt: RuntimeResource, value: unknown, path: string): void {
    if (rt.impl) {
      const wrapper = this.unwrap(rt, value, false);
      if (!wrapper || resourceTypeOf(wrapper) !== rt) badArgument(path, `a ${rt.name || 'resource'} resource`, value);
      if (!isLive(wrapper)) throw new PluginHostError('ERR_ACTOR_STOPPED', `${path}: the ${rt.name || 'resource'} was dropped or moved`);
      return;
    }
    const ok = rt.hostClass ? value instanceof rt.hostClass : value !== null && (typeof value === 'object' || typeof value === 'function');
    if (!ok) badArgument(path, `a ${rt.name || 'resource'} object${rt.hostClass ? ` (an instance of ${rt.hostClass.name})` : ''}`, value);
  }

  /**
   * The rep of a live resource this instance defines, checked as an argument (no trap: a host
   * error). `lent` collects the resources lent to the call, for `checkNotLent`.
   */
  borrowRep(rt: RuntimeResource, value: unknown, path: string, lent?: GuestResource[]): number {
    const wrapper = isGuestResource(value) ? value : this.bridge?.resolve(rt, value, false);
    if (!wrapper || resourceTypeOf(wrapper) !== rt) return badArgument(path, `a ${rt.name || 'resource'} resource`, value);
    if (!isLive(wrapper)) throw new PluginHostError('ERR_ACTOR_STOPPED', `${path}: the ${rt.name || 'resource'} was dropped or moved`);
    lent?.push(wrapper);
    return repOf(wrapper, rt, path, false);
  }

  /** Refuses to give away (`own`) a resource that the same call also borrows. */
  checkNotLent(rt: RuntimeResource, value: unknown, lent: readonly GuestResource[], path: string): void {
    const wrapper = this.unwrap(rt, value, false);
    if (wrapper && lent.includes(wrapper)) {
      throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: this ${rt.name || 'resource'} is also lent to the same call as a borrow, so it cannot be given away in it`);
    }
  }

  private unwrap(rt: RuntimeResource, value: unknown, own: boolean): GuestResource | undefined {
    if (isGuestResource(value)) return value;
    return this.bridge?.resolve(rt, value, own);
  }

  lowerOwn(rt: RuntimeResource, value: unknown, path: string): number {
    if (rt.impl === this.inst) return this.inst.handles.add({ rt, rep: repOf(this.unwrap(rt, value, true), rt, path, true), own: true });
    if (rt.impl) {
      const wrapper = this.unwrap(rt, value, true);
      repOf(wrapper, rt, path, false);
      return this.inst.handles.add({ rt, rep: wrapper, own: true });
    }
    return this.inst.handles.add({ rt, rep: value, own: true });
  }

  lowerBorrow(rt: RuntimeResource, value: unknown, path: string, scope: { count: number } | undefined): number {
    if (rt.impl === this.inst) return repOf(this.unwrap(rt, value, false), rt, path, false);
    if (!scope) throw new Error('internal: a borrow of a foreign resource needs a call scope');
    const rep = rt.impl ? this.unwrap(rt, value, false) : value;
    if (rt.impl) repOf(rep, rt, path, false);
    scope.count++;
    return this.inst.handles.add({ rt, rep, own: false, scope });
  }

  liftOwn(rt: RuntimeResource, index: number): unknown {
    const lent = this.inst.handles.get(index, rt);
    if (lent.lends) trap(`handle ${index} is lent to this call as a borrow and cannot also be given away in it`);
    const h = this.inst.handles.remove(index, rt);
    if (!h.own) trap(`handle ${index} is borrowed and cannot be given away`);
    if (rt.impl !== this.inst) return h.rep;
    const wrapper = new GuestResource(rt, h.rep as number, 'owned');
    return this.bridge ? this.bridge.adopt(rt, wrapper) : wrapper;
  }

  /**
   * Lends a handle to the host for the length of one call: it is counted as lent (so the
   * same call cannot also move it) and what is collected in `lent` is ended with `endLent`.
   */
  liftBorrow(rt: RuntimeResource, index: number, lent: (GuestResource | Handle)[]): unknown {
    const h = this.inst.handles.get(index, rt);
    h.lends = (h.lends ?? 0) + 1;
    lent.push(h);
    if (rt.impl !== this.inst) return h.rep;
    const wrapper = new GuestResource(rt, h.rep as number, 'borrowed');
    lent.push(wrapper);
    return wrapper;
  }

  /** `canon resource.new`: a new owned handle for a rep of a resource this instance defines. */
  resourceNew(rt: RuntimeResource, rep: number): number {
    return this.inst.handles.add({ rt, rep, own: true });
  }

  /** `canon resource.rep`. */
  resourceRep(rt: RuntimeResource, index: number): number {
    return this.inst.handles.get(index, rt).rep as number;
  }

  /** `canon resource.drop`: ends a borrow, or destroys an owned resource. */
  resourceDrop(rt: RuntimeResource, index: number): void {
    if (this.inst.handles.get(index, rt).lends) trap(`handle ${index} is lent to a call and cannot be dropped`);
    const h = this.inst.handles.remove(index, rt);
    if (!h.own) {
      if (h.scope) h.scope.count--;
      return;
    }
    if (rt.impl === this.inst) {
      rt.dtor?.(h.rep as number);
    } else if (isGuestResource(h.rep)) {
      h.rep[Symbol.dispose]();
    } else {
      const dispose = (h.rep as { [Symbol.dispose]?: () => void } | null)?.[Symbol.dispose];
      if (typeof dispose === 'function') dispose.call(h.rep);
    }
  }
}

/**
 * Resource types at run time and the per-instance handle table (CanonicalABI.md,
 * "Handle State").
 *
 * A resource's *rep* is a number for resources a guest defines and, for resources the host
 * defines, the host's own JS object. The host holds guest-defined resources through
 * `GuestResource` wrappers (rep + type); guests hold everything through table indices.
 *
 * Invariant: an entry in an instance's table whose resource is defined by that same
 * instance holds a numeric rep; every other entry holds the JS value the host would see.
 */
import type { ResourceType } from '../../../common/wit/model.js';
import { PluginHostError } from '../../../common/errors.js';
import { trap } from './trap.js';

/** Runtime state of a component instance that lifting/lowering code needs. */
export interface InstanceState {
  readonly handles: HandleTable;
  /** Set when a guest call threw; every later call fails at once. */
  poisoned: boolean;
  /** False while a guest call is running (the component model forbids re-entry; see `canon/reentrance.ts`). */
  mayEnter: boolean;
  /** False while its `realloc` or `post-return` runs: it may then call no import or built-in. */
  mayLeave: boolean;
  /** The instance of the enclosing component, for nested component instances. */
  readonly parent?: InstanceState;
}

export interface RuntimeResource extends ResourceType {
  /** The instance whose `resource.new` creates it; undefined for host-defined resources. */
  impl?: InstanceState;
  /** Destructor core function, for guest-defined resources that declare one. */
  dtor?: (rep: number) => void;
  /** For host-defined resources: the class whose instances the host passes, when known. */
  hostClass?: abstract new (...args: never[]) => unknown;
}

/** What an instance's handle table holds for one index. */
export interface Handle {
  readonly rt: RuntimeResource;
  readonly rep: unknown;
  readonly own: boolean;
  /** For borrows lent to a guest during one call: the call's count of outstanding borrows. */
  readonly scope?: { count: number };
  /**
   * How many calls this handle is lent to (as a borrow) right now. While it is lent it can
   * be neither moved (passed as `own`) nor dropped.
   */
  lends?: number;
}

/**
 * The most handles one instance may hold at once. A guest that keeps asking the host for
 * resources without dropping them (a stream, a network handle, headers) traps at this
 * point instead of growing host memory without end.
 */
export const MAX_HANDLES = 1 << 20;

/** Index 0 is never valid; freed indices are reused. */
export class HandleTable {
  private readonly entries: (Handle | undefined)[] = [undefined];
  private readonly free: number[] = [];

  get size(): number {
    return this.entries.length - 1 - this.free.length;
  }

  add(handle: Handle): number {
    if (this.size >= MAX_HANDLES) trap(`the instance holds ${MAX_HANDLES} handles, the most it may`);
    const i = this.free.pop();
    if (i !== undefined) {
      this.entries[i] = handle;
      return i;
    }
    this.entries.push(handle);
    return this.entries.length - 1;
  }

  get(index: number, rt: RuntimeResource): Handle {
    const h = this.entries[index];
    if (index === 0 || h === undefined) trap(`handle ${index} is not valid`);
    if (h.rt !== rt) trap(`handle ${index} is a \`${h.rt.name}\`, not a \`${rt.name}\``);
    return h;
  }

  remove(index: number, rt: RuntimeResource): Handle {
    const h = this.get(index, rt);
    this.entries[index] = undefined;
    this.free.push(index);
    return h;
  }
}

const TYPE = Symbol('plugin-actors.resourceType');
const REP = Symbol('plugin-actors.rep');
const STATE = Symbol('plugin-actors.state');

/** The host's view of a guest-defined resource: its type, its rep, and whether it is still usable. */
export class GuestResource {
  [TYPE]: RuntimeResource;
  [REP]: number;
  /** `owned` until dropped or moved into a guest; `borrowed` for the length of one call. */
  [STATE]: 'owned' | 'borrowed' | 'dead';

  constructor(rt: RuntimeResource, rep: number, state: 'owned' | 'borrowed') {
    this[TYPE] = rt;
    this[REP] = rep;
    this[STATE] = state;
  }

  /**
   * Destroys the resource (runs the guest's destructor). Idempotent. Refused while the guest
   * is running a call (from a host import it called): its code may be using the resource.
   */
  [Symbol.dispose](): void {
    if (this[STATE] !== 'owned') return;
    const inst = this[TYPE].impl;
    if (inst && !inst.mayEnter) {
      throw new PluginHostError('ERR_BUSY', `a ${this[TYPE].name || 'resource'} cannot be dropped while its plugin is running a call`);
    }
    this[STATE] = 'dead';
    if (!inst) return this[TYPE].dtor?.(this[REP]);
    inst.mayEnter = false;
    try {
      this[TYPE].dtor?.(this[REP]);
    } finally {
      inst.mayEnter = true;
    }
  }
}

export function isGuestResource(value: unknown): value is GuestResource {
  return value instanceof GuestResource;
}

export function resourceTypeOf(value: GuestResource): RuntimeResource {
  return value[TYPE];
}

export function isLive(value: GuestResource): boolean {
  return value[STATE] !== 'dead';
}

/** The rep of a guest resource passed by the host, checking its type and state. */
export function repOf(value: unknown, rt: RuntimeResource, path: string, take: boolean): number {
  if (!(value instanceof GuestResource) || value[TYPE] !== rt) return wrongResource(path, rt, value);
  if (value[STATE] === 'dead') return wrongResource(path, rt, value, 'it was dropped or moved');
  if (take) {
    if (value[STATE] !== 'owned') return wrongResource(path, rt, value, 'a borrowed handle cannot be given away');
    value[STATE] = 'dead';
  }
  return value[REP];
}

function wrongResource(path: string, rt: RuntimeResource, value: unknown, why?: string): never {
  return trap(`${path}: expected a live \`${rt.name}\` resource${why ? ` (${why})` : ''}, got ${String(value)}`);
}

/** Ends the lifetime of a borrowed wrapper once the call that lent it returns. */
export function endBorrow(value: GuestResource): void {
  if (value[STATE] === 'borrowed') value[STATE] = 'dead';
}

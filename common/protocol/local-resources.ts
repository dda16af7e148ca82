/**
 * The resources one side implements and the other side holds handles to (docs/protocol.md
 * §6): handle → object. Handles count up from 1 and are never reused within a connection,
 * so a stale handle can never reach a newer object, and the other side can tell a handle
 * it was given twice from a new one.
 */
import { PluginHostError } from '../errors.js';

export class LocalResources {
  readonly #objects = new Map<number, object>();
  readonly #handles = new Map<object, number>();
  #next = 1;

  get size(): number {
    return this.#objects.size;
  }

  /** Gives `value` to the other side (`own`): a new handle. Refuses an object the other side holds already. */
  give(value: unknown, path = 'value'): number {
    const object = asObject(value, path);
    if (this.#handles.has(object)) throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: this resource was handed over already (an owned resource moves once)`);
    return this.#add(object);
  }

  /** A handle to lend `value` for one call (`borrow`): the handle the other side holds, or a new one. */
  lend(value: unknown, path = 'value'): number {
    const object = asObject(value, path);
    return this.#handles.get(object) ?? this.#add(object);
  }

  /** Whether `handle` still stands for `value` here (not dropped, moved or taken back). */
  holds(handle: number, value: object): boolean {
    return this.#objects.get(handle) === value;
  }

  get(handle: number): object {
    const value = this.#objects.get(handle);
    if (value === undefined) throw new PluginHostError('ERR_ACTOR_STOPPED', `resource handle ${handle} is not valid (dropped, moved, or never issued)`);
    return value;
  }

  /** The other side gave an owned handle back: the object is this side's alone again. */
  take(handle: number): object {
    const value = this.get(handle);
    this.#objects.delete(handle);
    this.#handles.delete(value);
    return value;
  }

  /** The other side dropped the resource: forget it and run its `Symbol.dispose`, if any. */
  drop(handle: number): void {
    const value = this.take(handle) as { [Symbol.dispose]?: () => void };
    if (typeof value[Symbol.dispose] === 'function') value[Symbol.dispose]!();
  }

  #add(object: object): number {
    const handle = this.#next++;
    this.#objects.set(handle, object);
    this.#handles.set(object, handle);
    return handle;
  }
}

function asObject(value: unknown, path: string): object {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: a resource must be an object, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

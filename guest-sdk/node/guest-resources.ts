/**
 * The resources a process plugin exports, as the host refers to them: handle → object.
 * Handles are never reused within a connection, so a stale handle cannot reach a newer object.
 */
import { PluginHostError } from '../../common/errors.js';

export class GuestResources {
  private readonly objects = new Map<number, object>();
  private readonly handles = new Map<object, number>();
  private next = 1;

  /** Hands an owned resource to the host. */
  add(value: unknown): number {
    if (value === null || typeof value !== 'object') throw new PluginHostError('ERR_BAD_ARGUMENT', 'a resource must be an object');
    const existing = this.handles.get(value);
    if (existing !== undefined) return existing;
    const handle = this.next++;
    this.objects.set(handle, value);
    this.handles.set(value, handle);
    return handle;
  }

  /** Lends a resource for the length of a call (it stays owned by the plugin). */
  lend(value: unknown): number {
    return this.add(value);
  }

  get(handle: number): object {
    const value = this.objects.get(handle);
    if (value === undefined) throw new PluginHostError('ERR_ACTOR_STOPPED', `resource handle ${handle} is not valid (dropped, moved, or never issued)`);
    return value;
  }

  /** The host gave an owned handle back: the object is the plugin's again. */
  take(handle: number): object {
    const value = this.get(handle);
    this.objects.delete(handle);
    this.handles.delete(value);
    return value;
  }

  /** The host dropped the resource: forget it and run its disposer, if any. */
  drop(handle: number): void {
    const value = this.take(handle) as { [Symbol.dispose]?: () => void; drop?: () => void };
    if (typeof value[Symbol.dispose] === 'function') value[Symbol.dispose]!();
  }

  get size(): number {
    return this.objects.size;
  }
}

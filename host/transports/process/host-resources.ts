/**
 * Handles for host-implemented resources a plugin holds (e.g. a host object the plugin
 * imports): handle → object, with ids never reused within a connection.
 */
import { PluginHostError } from '../../../common/errors.js';

export class HostResourceTable {
  private readonly objects = new Map<number, unknown>();
  private next = 1;

  add(value: unknown): number {
    const handle = this.next++;
    this.objects.set(handle, value);
    return handle;
  }

  get(handle: number): unknown {
    if (!this.objects.has(handle)) throw new PluginHostError('ERR_ACTOR_STOPPED', `host resource handle ${handle} is not valid`);
    return this.objects.get(handle);
  }

  /** Removes the entry; disposes the object if it has `Symbol.dispose`. */
  drop(handle: number): void {
    const value = this.get(handle);
    this.objects.delete(handle);
    const dispose = (value as { [Symbol.dispose]?: () => void } | null)?.[Symbol.dispose];
    if (typeof dispose === 'function') dispose.call(value);
  }
}

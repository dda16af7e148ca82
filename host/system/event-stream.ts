/** The actor system's events as one async iterator, for a consumer that reads them in order. */
import { EventEmitter } from 'node:events';
import type { ActorSystemEvents } from './events.js';

/** One event: its name as `type`, and its payload. */
export type SystemEvent = { [E in keyof ActorSystemEvents]: { readonly type: E } & ActorSystemEvents[E][0] }[keyof ActorSystemEvents];

const NAMES: readonly (keyof ActorSystemEvents)[] = ['started', 'restarted', 'terminated', 'failed'];

export function eventStream(emitter: EventEmitter<ActorSystemEvents>, signal?: AbortSignal): AsyncIterableIterator<SystemEvent> {
  const queue: SystemEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const listeners = NAMES.map((type) => {
    const listener = (payload: object) => {
      queue.push({ type, ...payload } as SystemEvent);
      wake?.();
    };
    (emitter as EventEmitter).on(type, listener);
    return () => (emitter as EventEmitter).off(type, listener);
  });
  const finish = () => {
    done = true;
    for (const off of listeners) off();
    wake?.();
  };
  if (signal?.aborted) finish();
  signal?.addEventListener('abort', finish, { once: true });
  const iterator: AsyncIterableIterator<SystemEvent> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((r) => { wake = r; });
      wake = undefined;
      const value = queue.shift();
      return value ? { value, done: false } : { value: undefined, done: true };
    },
    async return() {
      finish();
      signal?.removeEventListener('abort', finish);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() { return iterator; },
  };
  return iterator;
}

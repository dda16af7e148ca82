/**
 * A proxy in front of a root proxy or a resource actor that records every call and its
 * outcome. Resource actors a call returns are wrapped the same way; wrapped actors passed
 * as arguments reach the plugin as the originals, so the recording is invisible to it.
 */
import type { ActorId } from '../system/actor-id.js';

/** One call through a test plugin's proxies. */
export interface RecordedCall {
  /** The function as called: `greet`, `Counter.create`, `increment` (on a resource actor). */
  readonly function: string;
  /** The actor called: `greeter@1/0`, `greeter@1/3`. */
  readonly actor: string;
  readonly args: readonly unknown[];
  /** `pending` until the call settles. */
  readonly outcome: 'pending' | 'returned' | 'threw';
  readonly result?: unknown;
  readonly error?: unknown;
}

const originals = new WeakMap<object, object>();

export function recordingProxy<T extends object>(target: T, calls: RecordedCall[], idOf: (v: unknown) => ActorId | undefined, path = '', owner: object = target): T {
  const actor = (): string => String(idOf(owner) ?? '');
  const wrapResult = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && idOf(value) !== undefined ? recordingProxy(value, calls, idOf) : value;
  // The target is frozen (proxies and actors are), so the Proxy stands over a blank object
  // and reads from the real one: a Proxy of a frozen object must return its values unchanged.
  const t = target;
  const proxy = new Proxy({} as T, {
    has: (_, prop) => Reflect.has(t, prop),
    get(_, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof prop === 'symbol') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      const name = path ? `${path}.${prop}` : prop;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          const entry: { -readonly [K in keyof RecordedCall]: RecordedCall[K] } = { function: name, actor: actor(), args, outcome: 'pending' };
          calls.push(entry);
          const settle = (outcome: 'returned' | 'threw', key: 'result' | 'error', v: unknown) => { entry.outcome = outcome; entry[key] = v; };
          try {
            const out = (value as (...a: unknown[]) => unknown).apply(t, args.map((a) => (a !== null && typeof a === 'object' && originals.get(a)) || a));
            if (out instanceof Promise) {
              return out.then((v) => { const w = wrapResult(v); settle('returned', 'result', w); return w; }, (e: unknown) => { settle('threw', 'error', e); throw e; });
            }
            const w = wrapResult(out);
            settle('returned', 'result', w);
            return w;
          } catch (e) {
            settle('threw', 'error', e);
            throw e;
          }
        };
      }
      // A resource type's namespace on a root proxy (`api.Counter.create`).
      if (value !== null && typeof value === 'object') return recordingProxy(value, calls, idOf, name, owner);
      return value;
    },
  });
  originals.set(proxy, target);
  return proxy;
}

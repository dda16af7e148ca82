/**
 * Two frame channels joined in memory, for tests and in-process peers. Frames are delivered
 * asynchronously, in order, through `schedule` (a microtask by default), so tests can
 * drive the interleaving of both sides.
 */
import type { FrameChannel, FrameSink } from './frame-channel.js';

export type Schedule = (deliver: () => void) => void;

export interface MemoryChannel extends FrameChannel {
  /** Frames this end sent so far (payloads, copied), for tests that inspect the wire. */
  readonly sent: Uint8Array[];
}

export function createMemoryChannelPair(options: { schedule?: Schedule; record?: boolean } = {}): [MemoryChannel, MemoryChannel] {
  const schedule = options.schedule ?? queueMicrotask;
  const ends: { sink?: FrameSink; inbox: Uint8Array[]; open: boolean; sent: Uint8Array[] }[] = [
    { inbox: [], open: true, sent: [] },
    { inbox: [], open: true, sent: [] },
  ];
  const make = (self: 0 | 1): MemoryChannel => {
    const me = ends[self]!;
    const other = ends[1 - self]!;
    const drain = () => {
      while (other.sink && other.inbox.length > 0 && other.open) other.sink.frame(other.inbox.shift()!);
    };
    return {
      sent: me.sent,
      send(frame) {
        if (!me.open || !other.open) return;
        const payload = frame.slice(4);
        if (options.record) me.sent.push(payload);
        other.inbox.push(payload);
        schedule(drain);
      },
      start(sink) {
        me.sink = sink;
        schedule(() => {
          while (me.sink && me.inbox.length > 0 && me.open) me.sink.frame(me.inbox.shift()!);
        });
      },
      close() {
        if (!me.open) return;
        me.open = false;
        schedule(() => {
          if (!other.open) return;
          other.open = false;
          other.sink?.closed();
        });
      },
    };
  };
  return [make(0), make(1)];
}

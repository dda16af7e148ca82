/**
 * The frame channel between the host thread and a plugin's worker: two single-producer,
 * single-consumer rings of bytes in one SharedArrayBuffer, one per direction. Frames keep
 * their 4-byte length header inside the ring. A frame larger than half a ring travels
 * through a MessagePort instead; the ring then carries only a marker header, so order is
 * kept.
 *
 * Each ring has a `head` (bytes written so far) and a `tail` (bytes read so far), as
 * wrapping 32-bit counters, and a `closed` flag; the capacity is a power of two, so a
 * counter maps to an offset with a mask.
 *
 * The worker blocks in `Atomics.wait` (between calls, and while the host serves one of
 * its imports); the host thread waits with `Atomics.waitAsync`, so its event loop keeps
 * running and host imports may be async. No polling, no timers.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { FrameChannel, FrameSink } from '../../../common/protocol/frame-channel.js';

const HEAD = 0;
const TAIL = 1;
const CLOSED = 2;
const CONTROL_BYTES = 16;
/** Header of a frame that went through the MessagePort. */
const VIA_PORT = 0xffffffff;

export const DEFAULT_RING_BYTES = 1 << 20;

/** The shared memory of one worker's channel: host→worker ring, then worker→host ring. */
export function createRingBuffers(ringBytes = DEFAULT_RING_BYTES): SharedArrayBuffer {
  let capacity = 1024;
  while (capacity < ringBytes) capacity *= 2;
  return new SharedArrayBuffer(2 * (CONTROL_BYTES + capacity));
}

class Ring {
  readonly control: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;

  constructor(buffer: SharedArrayBuffer, index: 0 | 1) {
    const capacity = buffer.byteLength / 2 - CONTROL_BYTES;
    const base = index * (CONTROL_BYTES + capacity);
    this.control = new Int32Array(buffer, base, 4);
    this.data = new Uint8Array(buffer, base + CONTROL_BYTES, capacity);
    this.mask = capacity - 1;
  }

  get capacity(): number {
    return this.data.length;
  }

  get closed(): boolean {
    return Atomics.load(this.control, CLOSED) !== 0;
  }

  close(): void {
    Atomics.store(this.control, CLOSED, 1);
    Atomics.notify(this.control, HEAD);
    Atomics.notify(this.control, TAIL);
  }

  head(): number {
    return Atomics.load(this.control, HEAD);
  }

  tail(): number {
    return Atomics.load(this.control, TAIL);
  }

  /** Bytes free for writing when the reader's counter is `tail`. */
  free(tail = this.tail()): number {
    return this.capacity - ((Atomics.load(this.control, HEAD) - tail) >>> 0);
  }

  /** Writes `bytes` (the caller checked there is room) and publishes them. */
  write(bytes: Uint8Array): void {
    const head = Atomics.load(this.control, HEAD) >>> 0;
    this.copyIn(head, bytes);
    Atomics.store(this.control, HEAD, (head + bytes.length) | 0);
    Atomics.notify(this.control, HEAD);
  }

  /** True when a frame is waiting to be read. */
  readable(): boolean {
    return Atomics.load(this.control, HEAD) !== Atomics.load(this.control, TAIL);
  }

  /** Takes the next frame's payload (a copy); `port` supplies frames sent around the ring. */
  read(port: MessagePort): Uint8Array {
    const tail = Atomics.load(this.control, TAIL) >>> 0;
    const header = this.copyOut(tail, 4);
    const length = (header[0]! | (header[1]! << 8) | (header[2]! << 16) | (header[3]! << 24)) >>> 0;
    let payload: Uint8Array;
    if (length === VIA_PORT) {
      const m = receiveMessageOnPort(port);
      if (!m) throw new Error('plugin-actors: a large frame was announced but not posted');
      payload = (m.message as Uint8Array).subarray(4);
      Atomics.store(this.control, TAIL, (tail + 4) | 0);
    } else {
      payload = this.copyOut(tail + 4, length);
      Atomics.store(this.control, TAIL, (tail + 4 + length) | 0);
    }
    Atomics.notify(this.control, TAIL);
    return payload;
  }

  private copyIn(at: number, bytes: Uint8Array): void {
    const start = at & this.mask;
    const first = Math.min(bytes.length, this.capacity - start);
    this.data.set(bytes.subarray(0, first), start);
    if (first < bytes.length) this.data.set(bytes.subarray(first), 0);
  }

  private copyOut(at: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    const start = at & this.mask;
    const first = Math.min(n, this.capacity - start);
    out.set(this.data.subarray(start, start + first));
    if (first < n) out.set(this.data.subarray(0, n - first), first);
    return out;
  }
}

const marker = new Uint8Array([0xff, 0xff, 0xff, 0xff]);

/** Frames too large for the ring go through the port; the ring keeps their place. */
function tooLarge(ring: Ring, frame: Uint8Array): boolean {
  return frame.length > ring.capacity / 2;
}

/** The host thread's end: never blocks; frames wait in memory while the worker's ring is full. */
export function hostRingChannel(buffer: SharedArrayBuffer, port: MessagePort): FrameChannel {
  const out = new Ring(buffer, 0);
  const incoming = new Ring(buffer, 1);
  const queue: Uint8Array[] = [];
  let waitingForRoom = false;
  let open = true;

  const flush = () => {
    while (queue.length > 0 && open) {
      const frame = queue[0]!;
      const bytes = tooLarge(out, frame) ? marker : frame;
      const tail = out.tail();
      if (out.free(tail) < bytes.length) {
        if (!waitingForRoom) {
          waitingForRoom = true;
          // Wait on the counter value the check used, so a read in between is not missed.
          const r = Atomics.waitAsync(out.control, TAIL, tail);
          void Promise.resolve(r.async ? r.value : undefined).then(() => { waitingForRoom = false; flush(); });
        }
        return;
      }
      queue.shift();
      if (bytes === marker) port.postMessage(frame.slice());
      out.write(bytes);
    }
  };

  return {
    send(frame) {
      if (!open) return;
      queue.push(queue.length === 0 && !tooLarge(out, frame) && out.free() >= frame.length ? frame : frame.slice());
      flush();
    },
    start(sink: FrameSink) {
      const loop = async () => {
        while (open) {
          while (open && incoming.readable()) sink.frame(incoming.read(port));
          if (!open) return;
          if (incoming.closed) {
            open = false;
            sink.closed();
            return;
          }
          const head = incoming.head();
          if (head !== incoming.tail()) continue;
          const r = Atomics.waitAsync(incoming.control, HEAD, head);
          if (r.async) await r.value;
        }
      };
      void loop();
    },
    close() {
      if (!open) return;
      open = false;
      out.close();
      incoming.close();
    },
  };
}

/** The worker's end: blocks when its ring is full, and in `receive()` until a frame arrives. */
export interface WorkerRingChannel extends FrameChannel {
  /** Blocks until at least one frame arrived, then delivers what is there. False once closed. */
  receive(): boolean;
}

export function workerRingChannel(buffer: SharedArrayBuffer, port: MessagePort): WorkerRingChannel {
  const incoming = new Ring(buffer, 0);
  const out = new Ring(buffer, 1);
  let sink: FrameSink | undefined;
  return {
    send(frame) {
      if (out.closed) return;
      const bytes = tooLarge(out, frame) ? marker : frame;
      for (let tail = out.tail(); out.free(tail) < bytes.length; tail = out.tail()) {
        if (out.closed) return;
        Atomics.wait(out.control, TAIL, tail);
      }
      if (bytes === marker) port.postMessage(frame.slice());
      out.write(bytes);
    },
    start(s) {
      sink = s;
    },
    receive() {
      for (let head = incoming.head(); head === incoming.tail(); head = incoming.head()) {
        if (incoming.closed) return false;
        Atomics.wait(incoming.control, HEAD, head);
      }
      // Read one frame at a time: a frame's handler may block inside and receive more.
      sink!.frame(incoming.read(port));
      return true;
    },
    close() {
      out.close();
    },
  };
}

/**
 * The channel between the host thread and a plugin's worker: one SharedArrayBuffer with a
 * state word and a data area, used strictly in turns, so no ids and no queues are needed.
 *
 *   host:   IDLE → REQUEST ───────────────────────────────► (worker runs the call)
 *   worker:        REQUEST → IMPORT ──► host runs an import, answers IMPORT_DONE ─┐
 *   worker:        IMPORT_DONE → … → RESPONSE ◄──────────────────────────────────┘
 *   host:   RESPONSE → IDLE
 *
 * The worker blocks in `Atomics.wait` (it has nothing else to do); the host waits with
 * `Atomics.waitAsync`, so its event loop keeps running and host imports may be async.
 * A message larger than the data area travels through a MessagePort instead, flagged in
 * the header, and the receiver takes it with `receiveMessageOnPort`.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export const State = {
  IDLE: 0,
  REQUEST: 1,
  RESPONSE: 2,
  IMPORT: 3,
  IMPORT_DONE: 4,
} as const;

const HEADER = 16;
/** Header word 1: payload length, or -1 when the payload came through the port. */
const LENGTH = 1;

export const DEFAULT_CAPACITY = 1 << 20;

export class Channel {
  readonly control: Int32Array;
  private readonly data: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer, private readonly port: MessagePort) {
    this.control = new Int32Array(buffer, 0, 4);
    this.data = new Uint8Array(buffer, HEADER);
  }

  static create(capacity = DEFAULT_CAPACITY): SharedArrayBuffer {
    return new SharedArrayBuffer(HEADER + capacity);
  }

  get state(): number {
    return Atomics.load(this.control, 0);
  }

  /** Writes a payload and moves to `state`, waking the other side. */
  send(state: number, payload: Uint8Array): void {
    if (payload.length <= this.data.length) {
      this.data.set(payload);
      Atomics.store(this.control, LENGTH, payload.length);
    } else {
      this.port.postMessage(payload.slice());
      Atomics.store(this.control, LENGTH, -1);
    }
    Atomics.store(this.control, 0, state);
    Atomics.notify(this.control, 0);
  }

  /** Reads the payload the other side sent (a copy). */
  receive(): Uint8Array {
    const n = Atomics.load(this.control, LENGTH);
    if (n >= 0) return this.data.slice(0, n);
    const m = receiveMessageOnPort(this.port);
    if (!m) throw new Error('plugin-actors: a large message was announced but not posted');
    return m.message as Uint8Array;
  }

  setState(state: number): void {
    Atomics.store(this.control, 0, state);
    Atomics.notify(this.control, 0);
  }
}

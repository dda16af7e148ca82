/**
 * The one thing the peer needs from a medium: whole frames in, whole frames out, and an
 * end. A pipe to a child process, a worker's shared memory, memory in tests (and later a
 * NATS subject) each implement it; the peer above never knows which one it has.
 *
 * Contract:
 * - `send` takes one encoded frame: a 4-byte little-endian payload length, then the payload
 *   (`ByteWriter.framed()` builds them without a copy). It never throws; after the channel
 *   ended it drops the frame.
 * - `start` is called once. The sink's `frame` gets each payload the other side sent, in
 *   order; the payload is only valid during the call (copy what must outlive it).
 * - `closed` is called exactly once, when no more frames will arrive: with no argument
 *   when the other side ended the channel, with a `PluginHostError` (`ERR_PROTOCOL`) when
 *   the medium broke the framing rules (an oversized or stalled frame).
 * - `close` ends the channel from this side; `closed` is not called for it.
 */
import type { PluginHostError } from '../errors.js';

export interface FrameSink {
  frame(payload: Uint8Array): void;
  closed(error?: PluginHostError): void;
}

export interface FrameChannel {
  send(frame: Uint8Array): void;
  start(sink: FrameSink): void;
  close(): void;
}

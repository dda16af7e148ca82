/**
 * A frame channel over a byte stream (a socket pair to a child process): framing, the size
 * limit, the stall rule, batched writes and backpressure. The host's process transport and
 * the Node guest SDK both use it, so both ends apply the same rules.
 *
 * - **Size:** a frame announcing more than `maxFrameBytes` ends the channel with
 *   `ERR_PROTOCOL` as soon as its header arrives.
 * - **Stall:** a frame must be complete within `frameTimeoutMs` of its first byte. A peer
 *   that trickles one byte now and then cannot hold a frame open forever.
 * - **Reads:** each frame reaches the sink as a view of the bytes read, not a copy (the
 *   frame-channel contract: a payload is valid during its call).
 * - **Writes:** frames sent in one event-loop tick leave as one buffer, in one write at the
 *   end of the tick (many calls in flight share system calls, and a backlog costs its bytes,
 *   not an object per frame).
 * - **Backpressure:** when more than `maxBacklogBytes` wait to be written (the other side
 *   does not read), this side stops reading until the backlog drains, so a peer that
 *   floods without reading fills its own buffers, not this process's memory.
 */
import type { Duplex } from 'node:stream';
import { PluginHostError } from '../errors.js';
import type { FrameChannel, FrameSink } from './frame-channel.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameTooLargeError } from './frames.js';

export interface StreamChannelOptions {
  /** Largest frame accepted. Default 64 MiB. */
  readonly maxFrameBytes?: number;
  /** How long one frame may take to arrive, from its first byte. Default 30 000 ms. */
  readonly frameTimeoutMs?: number;
  /** Unwritten bytes above which reading pauses. Default 16 MiB. */
  readonly maxBacklogBytes?: number;
  /** Names the other side in error messages ("plugin greeter", "the host"). */
  readonly peerName?: string;
}

export const DEFAULT_FRAME_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

export interface StreamChannel extends FrameChannel {
  /** Sends what is queued, then half-closes: frames from the other side still arrive. */
  end(): void;
}

export function createStreamChannel(stream: Duplex, options: StreamChannelOptions = {}): StreamChannel {
  const decoder = new FrameDecoder(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  const frameTimeoutMs = options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS;
  const maxBacklog = options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG_BYTES;
  const who = options.peerName ?? 'the other side';
  let sink: FrameSink | undefined;
  let ended = false;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let paused = false;
  let stall: NodeJS.Timeout | undefined;

  const finish = (error?: PluginHostError) => {
    if (ended) return;
    ended = true;
    if (stall) clearTimeout(stall);
    stream.destroy();
    sink?.closed(error);
  };
  const violation = (message: string) => finish(new PluginHostError('ERR_PROTOCOL', `${who} broke the protocol: ${message}`));

  const onData = (chunk: Buffer) => {
    if (ended) return;
    let frames: number;
    try {
      // Frames are decoded in place (the sink's payload is valid only during its call).
      frames = decoder.each(chunk, (payload) => {
        sink!.frame(payload);
        return !ended;
      });
    } catch (e) {
      violation(e instanceof FrameTooLargeError ? e.message : String(e));
      return;
    }
    if (ended) return;
    // The stall clock runs per frame: it starts with a frame's first byte, whatever trickles after.
    if (!decoder.pending) {
      if (stall) clearTimeout(stall);
      stall = undefined;
    } else if (!stall || frames > 0) {
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => violation(`a frame was not complete within ${frameTimeoutMs} ms of its first byte`), frameTimeoutMs);
      stall.unref();
    }
  };

  const flush = () => {
    const frames = batch;
    batch = [];
    const bytes = batchBytes;
    batchBytes = 0;
    if (ended || stream.destroyed || !stream.writable) return;
    stream.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames, bytes));
    if (!paused && stream.writableLength > maxBacklog) {
      paused = true;
      stream.pause();
      stream.once('drain', () => {
        paused = false;
        if (!ended) stream.resume();
      });
    }
  };

  return {
    start(s) {
      sink = s;
      stream.on('data', onData);
      stream.on('error', () => { /* the 'close' that follows ends the channel */ });
      stream.on('end', () => finish());
      stream.on('close', () => finish());
    },
    send(frame) {
      if (ended || stream.destroyed || !stream.writable) return;
      if (batch.length === 0) process.nextTick(flush);
      batch.push(frame);
      batchBytes += frame.length;
    },
    end() {
      if (ended || !stream.writable) return;
      if (batch.length > 0) flush();
      stream.end();
    },
    close() {
      if (ended) return;
      ended = true;
      if (stall) clearTimeout(stall);
      stream.destroy();
    },
  };
}

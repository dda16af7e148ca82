/**
 * Writes frames to a socket, corked per event-loop tick so that many messages written in
 * one tick (many calls in flight) leave in one system call.
 */
import type { Socket } from 'node:net';
import { encodeFrame } from './frames.js';

export class FrameWriter {
  private corked = false;

  constructor(private readonly socket: Socket) {}

  write(payload: Uint8Array): void {
    this.writeFrame(encodeFrame(payload));
  }

  /** Writes bytes that already carry their frame header (from `ByteWriter.framed()`). */
  writeFrame(frame: Uint8Array): void {
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) return;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(frame);
  }
}

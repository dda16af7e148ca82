/**
 * The framing the library used before it sent each tick's frames as one buffer: one
 * `write` per frame, the socket corked for the tick. Kept as a second process baseline, so
 * the process figures can be compared with the ratios measured before that change.
 */
import type { Socket } from 'node:net';
import type { FrameChannel } from '../../common/protocol/frame-channel.js';
import { FrameDecoder } from '../../common/protocol/frames.js';

export function createCorkedChannel(socket: Socket): FrameChannel {
  const decoder = new FrameDecoder();
  let corked = false;
  return {
    start(sink) {
      socket.on('data', (chunk: Buffer) => { for (const frame of decoder.push(chunk)) sink.frame(frame); });
      socket.on('end', () => sink.closed());
      socket.on('error', () => {});
    },
    send(frame) {
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => { corked = false; socket.uncork(); });
      }
      socket.write(frame);
    },
    close() { socket.destroy(); },
  };
}

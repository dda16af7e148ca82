// The raw baseline for the process figures: a child that sends every frame it receives on
// fd 3 straight back, with the same framing code as plugin-actors (no decoding, no dispatch).
import { Socket } from 'node:net';
import { FrameWriter } from '../../common/protocol/frame-writer.js';
import { FrameDecoder } from '../../common/protocol/frames.js';

const channel = new Socket({ fd: Number(process.env.PLUGIN_ACTORS_FD ?? 3), readable: true, writable: true });
const decoder = new FrameDecoder();
const writer = new FrameWriter(channel);
channel.on('data', (chunk: Buffer) => { for (const frame of decoder.push(chunk)) writer.write(frame); });
channel.on('end', () => process.exit(0));

// The raw baseline for the process figures: a child that sends every frame it receives on
// fd 3 straight back, over the same stream channel as plugin-actors (framing, batched
// writes), with no decoding and no dispatch.
import { Socket } from 'node:net';
import { encodeFrame } from '../../common/protocol/frames.js';
import { createStreamChannel } from '../../common/protocol/stream-channel.js';
import { createCorkedChannel } from './corked-channel.js';

const socket = new Socket({ fd: Number(process.env.PLUGIN_ACTORS_FD ?? 3), readable: true, writable: true });
const channel = process.env.ECHO_FRAMING === 'corked' ? createCorkedChannel(socket) : createStreamChannel(socket);
channel.start({ frame: (payload) => channel.send(encodeFrame(payload)), closed: () => process.exit(0) });

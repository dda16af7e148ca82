/**
 * A `FrameChannel` over two NATS subjects: one session of the protocol between a host and
 * a runner (docs/protocol.md §14). Each side subscribes to its own inbound subject and
 * publishes to the other's.
 *
 * Each NATS message is `kind: u8, seq: u32 LE, bytes`:
 * - `kind` 0: the last (or only) part of a frame's payload; 1: a part, more follow (a frame
 *   larger than the server's `max_payload` is split); 2: the sender ended the session.
 * - `seq` counts the messages of one direction from 1. Core NATS delivers at most once and
 *   in order per publisher: a message lost while a client reconnects shows as a gap, which
 *   ends the session (`ERR_NODE_DOWN`) instead of leaving a call waiting for an answer
 *   that will never come, or answering a call twice. A duplicate cannot be taken for new.
 *
 * Messages that arrive before `start` are kept and delivered by it.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { PluginHostError } from '../../../common/errors.js';
import type { FrameChannel, FrameSink } from '../../../common/protocol/frame-channel.js';

const LAST = 0;
const PART = 1;
const END = 2;
const HEADER = 5;

export interface NatsChannelOptions {
  readonly connection: NatsConnection;
  /** The subject this side receives on (subscribed at once). */
  readonly inbound: string;
  /** The subject the other side receives on. */
  readonly outbound: string;
  /** The largest frame payload accepted from the other side. */
  readonly maxFrameBytes: number;
  /** Names the other side in errors: `runner of thumbnailer`, `the host`. */
  readonly peerName: string;
}

export interface NatsChannel extends FrameChannel {
  /** True once either side ended the channel or it broke. */
  readonly ended: boolean;
}

export function createNatsChannel(options: NatsChannelOptions): NatsChannel {
  const { connection, inbound, outbound, maxFrameBytes, peerName } = options;
  let sink: FrameSink | undefined;
  let early: { data: Uint8Array }[] | undefined = [];
  let ended = false;
  let sentSeq = 0;
  let seenSeq = 0;
  let parts: Uint8Array[] = [];
  let partBytes = 0;

  const finish = (error?: PluginHostError) => {
    if (ended) return;
    ended = true;
    subscription.unsubscribe();
    sink?.closed(error);
  };
  const broken = (message: string) => new PluginHostError('ERR_NODE_DOWN', `the session with ${peerName} broke: ${message}`);

  const receive = (data: Uint8Array) => {
    if (ended) return;
    if (data.length < HEADER) return finish(broken(`a message of ${data.length} bytes is shorter than its header`));
    const kind = data[0]!;
    const seq = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(1, true);
    if (seq !== seenSeq + 1) return finish(broken(`message ${seenSeq + 1} was lost (message ${seq} arrived next)`));
    seenSeq = seq;
    if (kind === END) return finish();
    if (kind !== LAST && kind !== PART) return finish(new PluginHostError('ERR_PROTOCOL', `${peerName} sent a session message of unknown kind ${kind}`));
    const body = data.subarray(HEADER);
    partBytes += body.length;
    if (partBytes > maxFrameBytes) return finish(new PluginHostError('ERR_PROTOCOL', `${peerName} sent a frame larger than ${maxFrameBytes} bytes`));
    if (kind === PART) {
      parts.push(body.slice());
      return;
    }
    let payload = body;
    if (parts.length > 0) {
      parts.push(body);
      payload = new Uint8Array(partBytes);
      let at = 0;
      for (const p of parts) { payload.set(p, at); at += p.length; }
      parts = [];
    }
    partBytes = 0;
    sink!.frame(payload);
  };

  const subscription: Subscription = connection.subscribe(inbound, {
    callback: (err, msg) => {
      if (err) return finish(broken(err.message));
      if (early) early.push({ data: msg.data });
      else receive(msg.data);
    },
  });

  const publish = (kind: number, body: Uint8Array) => {
    const message = new Uint8Array(HEADER + body.length);
    message[0] = kind;
    new DataView(message.buffer).setUint32(1, ++sentSeq, true);
    message.set(body, HEADER);
    connection.publish(outbound, message);
  };

  return {
    get ended() { return ended; },
    send(frame) {
      if (ended) return;
      const payload = frame.subarray(4);
      try {
        const room = Math.max(1024, (connection.info?.max_payload ?? 1 << 20) - HEADER);
        for (let at = 0; ; at += room) {
          const last = at + room >= payload.length;
          publish(last ? LAST : PART, payload.subarray(at, Math.min(payload.length, at + room)));
          if (last) break;
        }
      } catch (e) {
        // The client refuses to publish only once its connection is closed for good.
        queueMicrotask(() => finish(broken(`cannot publish: ${(e as Error).message}`)));
      }
    },
    start(s) {
      sink = s;
      const queued = early!;
      early = undefined;
      for (const m of queued) receive(m.data);
    },
    close() {
      if (ended) return;
      ended = true;
      try {
        publish(END, new Uint8Array(0));
      } catch {
        // A closed connection already told the other side all it can.
      }
      subscription.unsubscribe();
    },
  };
}

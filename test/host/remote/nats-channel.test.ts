// The NATS frame channel on its own, against a real server: frames in order, frames larger
// than the server's max_payload split and joined, and every way a session breaks (a lost
// message, an oversized frame, an unknown kind, the other side's END) reported once.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginHostError } from '../../../common/errors.js';
import { createNatsChannel } from '../../../host/transports/nats/nats-channel.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';

/** A frame as the peer hands it to a channel: a 4-byte little-endian length, then the payload. */
function frame(bytes: Uint8Array): Uint8Array {
  const f = new Uint8Array(4 + bytes.length);
  new DataView(f.buffer).setUint32(0, bytes.length, true);
  f.set(bytes, 4);
  return f;
}

function raw(kind: number, seq: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const m = new Uint8Array(5 + body.length);
  m[0] = kind;
  new DataView(m.buffer).setUint32(1, seq, true);
  m.set(body, 5);
  return m;
}

describe.skipIf(!natsServerPath)('the NATS frame channel', () => {
  let nats: NatsServer;
  let a: NatsConnection;
  let b: NatsConnection;
  let n = 0;

  beforeAll(async () => {
    nats = await startNatsServer();
    [a, b] = await Promise.all([connect({ servers: nats.url }), connect({ servers: nats.url })]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await nats?.stop();
  });

  const pair = (maxFrameBytes = 1 << 26) => {
    const s = `test.chan${n++}`;
    const left = createNatsChannel({ connection: a, inbound: `${s}.l`, outbound: `${s}.r`, maxFrameBytes, peerName: 'right' });
    const right = createNatsChannel({ connection: b, inbound: `${s}.r`, outbound: `${s}.l`, maxFrameBytes, peerName: 'left' });
    return { left, right, subject: s };
  };
  const sink = () => {
    const frames: Uint8Array[] = [];
    const closes: (PluginHostError | undefined)[] = [];
    return { frames, closes, sink: { frame: (p: Uint8Array) => { frames.push(Uint8Array.from(p)); }, closed: (e?: PluginHostError) => { closes.push(e); } } };
  };

  it('delivers frames in order, a frame above max_payload in parts, and END as a clean close', async () => {
    const { left, right } = pair();
    const got = sink();
    right.start(got.sink);
    await b.flush();
    const big = new Uint8Array(3 * (a.info!.max_payload) + 17).map((_, i) => i % 251);
    left.send(frame(new Uint8Array([1])));
    left.send(frame(big));
    left.send(frame(new Uint8Array([2])));
    left.close();
    await expect.poll(() => got.closes.length).toBe(1);
    expect(got.closes).toEqual([undefined]);
    expect(got.frames.map((f) => f.length)).toEqual([1, big.length, 1]);
    // Compared as bytes: a deep equality of megabytes element by element takes the test's whole budget.
    expect(Buffer.compare(got.frames[1]!, big)).toBe(0);
    expect([got.frames[0], got.frames[2]]).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(right.ended).toBe(true);
  });

  it('ends the session with ERR_NODE_DOWN when a message was lost', async () => {
    const { right, subject } = pair();
    const got = sink();
    right.start(got.sink);
    await b.flush();
    a.publish(`${subject}.r`, raw(0, 1, new Uint8Array([7])));
    a.publish(`${subject}.r`, raw(0, 3, new Uint8Array([8])));
    a.publish(`${subject}.r`, raw(0, 4, new Uint8Array([9])));
    await expect.poll(() => got.closes.length).toBe(1);
    expect(got.frames).toEqual([new Uint8Array([7])]);
    expect(got.closes[0]).toMatchObject({ code: 'ERR_NODE_DOWN', message: expect.stringMatching(/message 2 was lost/) });
  });

  it('refuses frames above maxFrameBytes, unknown kinds and short messages with one close', async () => {
    for (const [messages, code] of [
      [[raw(1, 1, new Uint8Array(60)), raw(0, 2, new Uint8Array(60))], 'ERR_PROTOCOL'],
      [[raw(9, 1)], 'ERR_PROTOCOL'],
      [[new Uint8Array([0, 1])], 'ERR_NODE_DOWN'],
    ] as const) {
      const { right, subject } = pair(100);
      const got = sink();
      right.start(got.sink);
      await b.flush();
      for (const m of messages) a.publish(`${subject}.r`, m);
      a.publish(`${subject}.r`, raw(0, 99));
      await expect.poll(() => got.closes.length).toBe(1);
      expect(got.closes[0]).toMatchObject({ code });
      expect(got.frames).toEqual([]);
    }
  });
});

// The stream channel's rules over a real socket pair: frames in any chunking, the size
// limit, the per-frame deadline, one write per tick, and reading paused while the other
// side does not read.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../common/codec/bytes.js';
import type { PluginHostError } from '../../../common/errors.js';
import { createStreamChannel } from '../../../common/protocol/stream-channel.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function socketPair(): Promise<[Socket, Socket]> {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-actors-sock-'));
  const path = join(dir, 's');
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const client = connect(path);
  const [a, b] = await Promise.all([new Promise<Socket>((resolve) => client.once('connect', () => resolve(client))), accepted]);
  cleanup.push(async () => { a.destroy(); b.destroy(); server.close(); await rm(dir, { recursive: true, force: true }); });
  return [a, b];
}

const frameOf = (bytes: number[]) => {
  const w = ByteWriter.framed();
  for (const b of bytes) w.u8(b);
  return w.frame();
};

describe('createStreamChannel', () => {
  it('delivers frames in order, and sends the frames of one tick in one write', async () => {
    const [a, b] = await socketPair();
    const writes: number[] = [];
    const write = a.write.bind(a);
    a.write = ((chunk: Uint8Array, ...rest: never[]) => { writes.push(chunk.length); return write(chunk, ...rest); }) as typeof a.write;
    const sender = createStreamChannel(a);
    const received: number[][] = [];
    const receiver = createStreamChannel(b);
    receiver.start({ frame: (p) => received.push([...p]), closed: () => {} });
    sender.start({ frame: () => {}, closed: () => {} });
    for (let i = 0; i < 100; i++) sender.send(frameOf([i, i]));
    await expect.poll(() => received.length).toBe(100);
    expect(received[42]).toEqual([42, 42]);
    expect(writes).toEqual([600]);
  });

  it('ends with ERR_PROTOCOL on a frame above the limit, from its header alone', async () => {
    const [a, b] = await socketPair();
    let error: PluginHostError | undefined;
    createStreamChannel(b, { maxFrameBytes: 1024, peerName: 'plugin x' }).start({ frame: () => {}, closed: (e) => { error = e; } });
    a.write(Buffer.from([0x01, 0x04, 0, 0]));
    await expect.poll(() => error?.code).toBe('ERR_PROTOCOL');
    expect(error?.message).toMatch(/plugin x broke the protocol: frame of 1025 bytes exceeds the limit of 1024 bytes/);
  });

  it('ends with ERR_PROTOCOL when a frame is not complete within its deadline, however its bytes trickle', async () => {
    const [a, b] = await socketPair();
    let error: PluginHostError | undefined;
    createStreamChannel(b, { frameTimeoutMs: 300 }).start({ frame: () => {}, closed: (e) => { error = e; } });
    a.on('error', () => { /* the channel ends the connection: later trickles meet a closed socket */ });
    a.write(Buffer.from([10, 0, 0, 0]));
    const trickle = setInterval(() => { if (!a.destroyed) a.write(Buffer.from([1])); }, 20);
    cleanup.push(async () => clearInterval(trickle));
    await expect.poll(() => error?.code, { timeout: 5000 }).toBe('ERR_PROTOCOL');
    expect(error?.message).toMatch(/not complete within 300 ms of its first byte/);
  });

  it('stops reading while more than maxBacklogBytes wait to be written, and reads again once they drain', async () => {
    const [a, b] = await socketPair();
    b.pause(); // the other side reads nothing
    const channel = createStreamChannel(a, { maxBacklogBytes: 64 * 1024 });
    channel.start({ frame: () => {}, closed: () => {} });
    const big = frameOf(new Array(16 * 1024).fill(7));
    for (let i = 0; i < 200 && !a.isPaused(); i++) {
      channel.send(big);
      await new Promise((r) => setImmediate(r));
    }
    expect(a.isPaused()).toBe(true);
    expect(a.writableLength).toBeGreaterThan(64 * 1024);
    b.resume();
    await expect.poll(() => a.isPaused(), { timeout: 5000 }).toBe(false);
  });
});

/** The host side of the raw echo baseline: send frames, match echoes by the id they carry. */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { ByteReader, ByteWriter } from '../../common/codec/bytes.js';
import { FrameWriter } from '../../common/protocol/frame-writer.js';
import { FrameDecoder } from '../../common/protocol/frames.js';

export interface EchoClient {
  /** Sends a frame shaped like `greet("world")` and resolves when it comes back. */
  roundTrip(): Promise<void>;
  close(): void;
}

export async function startEchoChild(script: string): Promise<EchoClient> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'inherit', 'inherit', 'pipe'], env: { ...process.env, PLUGIN_ACTORS_FD: '3' } });
  const channel = child.stdio[3] as Socket;
  const writer = new FrameWriter(channel);
  const decoder = new FrameDecoder();
  const pending = new Map<number, () => void>();
  channel.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      const r = new ByteReader(frame, 1);
      const id = r.uleb();
      const done = pending.get(id)!;
      pending.delete(id);
      done();
    }
  });
  let next = 1;
  const client: EchoClient = {
    roundTrip() {
      const id = next++;
      const w = new ByteWriter(16);
      w.u8(0x10);
      w.uleb(id);
      w.uleb(0);
      w.string('world');
      return new Promise<void>((resolve) => {
        pending.set(id, resolve);
        writer.write(w.view_().slice());
      });
    },
    close() {
      channel.end();
      child.kill();
    },
  };
  await client.roundTrip();
  return client;
}

/** The host side of the raw echo baseline: send frames, match echoes by the id they carry. */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { ByteReader, ByteWriter } from '../../common/codec/bytes.js';
import { createStreamChannel } from '../../common/protocol/stream-channel.js';
import { createCorkedChannel } from './corked-channel.js';

export interface EchoClient {
  /** Sends a frame shaped like `greet("world")` and resolves when it comes back. */
  roundTrip(): Promise<void>;
  close(): void;
}

/** `framing`: the library's stream channel (default), or one corked write per frame as before it. */
export async function startEchoChild(script: string, framing: 'stream' | 'corked' = 'stream'): Promise<EchoClient> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'inherit', 'inherit', 'pipe'], env: { ...process.env, PLUGIN_ACTORS_FD: '3', ECHO_FRAMING: framing } });
  const channel = child.stdio[3] as Socket;
  const frames = framing === 'corked' ? createCorkedChannel(channel) : createStreamChannel(channel);
  const pending = new Map<number, () => void>();
  frames.start({
    frame(payload) {
      const r = new ByteReader(payload, 1);
      const id = r.uleb();
      const done = pending.get(id)!;
      pending.delete(id);
      done();
    },
    closed() {},
  });
  let next = 1;
  const client: EchoClient = {
    roundTrip() {
      const id = next++;
      const w = ByteWriter.framed(16);
      w.u8(0x10);
      w.uleb(id);
      w.uleb(0);
      w.string('world');
      return new Promise<void>((resolve) => {
        pending.set(id, resolve);
        frames.send(w.frame());
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

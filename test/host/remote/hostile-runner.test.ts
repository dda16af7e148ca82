// A runner is as untrusted as any plugin: whatever it answers on NATS (garbage replies,
// garbage frames, silence, a session cut), the host process stays up and the load or the
// calls fail typed, once.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type Runner } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner } from '../../support/runners.js';

/** A session message as §14 frames it. */
function message(seq: number, payload: Uint8Array): Uint8Array {
  const m = new Uint8Array(5 + payload.length);
  new DataView(m.buffer).setUint32(1, seq, true);
  m.set(payload, 5);
  return m;
}

describe.skipIf(!natsServerPath)('a hostile runner', () => {
  let nats: NatsServer;
  let fake: NatsConnection;
  let system: ActorSystem;

  beforeAll(async () => {
    nats = await startNatsServer();
    fake = await connect({ servers: nats.url });
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await fake?.close();
    await nats?.stop();
  });

  /** A fake runner of `node` that answers each connect request with `behave`. */
  const fakeRunner = async (node: string, behave: (session: string, respond: (data: string) => void) => void) => {
    const sub = fake.subscribe(`plugin-actors.node.${node}.connect`, {
      queue: 'runners',
      callback: (_e, m) => {
        const session = (JSON.parse(new TextDecoder().decode(m.data)) as { session: string }).session;
        behave(session, (data) => { m.respond(data); });
      },
    });
    await fake.flush();
    return sub;
  };

  it('refuses a reply that is not a connect reply', async () => {
    await fakeRunner('garbage-reply', (_s, respond) => respond('{not json'));
    await expect(system.load({ name: 'a', remote: { nats: nats.url, node: 'garbage-reply' } })).rejects.toMatchObject({ code: 'ERR_NODE_UNREACHABLE' });
  });

  it('ends the session on garbage frames in place of HELLO', async () => {
    await fakeRunner('garbage-frames', (session, respond) => {
      respond(JSON.stringify({ ok: true, runner: 'evil' }));
      fake.publish(`plugin-actors.session.${session}.host`, message(1, new Uint8Array([0xff, 0xfe, 0x00, 0x13])));
    });
    await expect(system.load({ name: 'b', remote: { nats: nats.url, node: 'garbage-frames' } })).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('gives up on a runner that takes the session and says nothing', async () => {
    await fakeRunner('silent', (_s, respond) => respond(JSON.stringify({ ok: true, runner: 'mute' })));
    await expect(system.load({ name: 'c', remote: { nats: nats.url, node: 'silent', handshakeTimeoutMs: 200 } })).rejects.toMatchObject({ code: 'ERR_HANDSHAKE' });
  });

  it('ends the node when the host kills it: calls in flight reject once, typed', async () => {
    const runner: Runner = await remoteRunner(nats.url, 'victim', { name: 'killable' });
    try {
      const node = await system.load({ name: 'killed', remote: { nats: nats.url, node: 'killable' } });
      const api = node.exports<{ sleep(ms: number): Promise<number>; echo(s: string): Promise<string> }>('test:remote/api');
      const pending = api.sleep(60_000);
      expect(await api.echo('x')).toBe('x');
      node.kill();
      await expect(pending).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED' });
      expect((await node.terminated).cause).toBe('exited');
      await expect.poll(() => runner.sessions()).toBe(0);
    } finally {
      await runner.close();
    }
  });
});

// Security of remote nodes: credentials go to the NATS client as given; namespaces keep two
// applications on one server apart; a runner serves only its world, and the host checks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type Runner } from '../../../host/index.js';
import { validatePluginSpec } from '../../../host/plugin-spec.js';
import { recordingLogger, root } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner, REMOTE_WIT } from '../../support/runners.js';

type Api = { whoami(): Promise<string> };

describe('remote plugin specs', () => {
  it('are validated like the others', () => {
    const ok = validatePluginSpec({ name: 'r', remote: { nats: 'nats://127.0.0.1:4222', node: 'thumbnailer' } });
    expect(ok).toMatchObject({ kind: 'nats', options: { servers: ['nats://127.0.0.1:4222'], node: 'thumbnailer', namespace: 'plugin-actors', health: { intervalMs: 5000, timeoutMs: 20000 } } });
    const bad: [unknown, RegExp][] = [
      [{ name: 'r', remote: { nats: 'nats://x', node: 'n', namespce: 'a' } }, /"namespce" is not an option of remote/],
      [{ name: 'r', remote: { node: 'n' } }, /remote.nats must be/],
      [{ name: 'r', remote: { nats: 'nats://x', node: 'a b' } }, /remote.node must match/],
      [{ name: 'r', remote: { nats: 'nats://x', node: 'n', namespace: 'a.*' } }, /remote.namespace must be/],
      [{ name: 'r', remote: { nats: 'nats://x', node: 'n', connectOptions: { servers: ['nats://y'] } } }, /give the servers as remote.nats/],
      [{ name: 'r', remote: { nats: 'nats://x', node: 'n' }, wasm: 'a.wasm' }, /one of `wasm`, `command` or `remote`/],
      [{ name: 'r', remote: { nats: 'nats://x', node: 'n' }, grants: {} }, /"grants" is not an option of a remote plugin spec/],
    ];
    for (const [spec, message] of bad) expect(() => validatePluginSpec(spec)).toThrow(message);
  });
});

describe.skipIf(!natsServerPath)('remote nodes and security', () => {
  let nats: NatsServer;
  let runner: Runner;
  let system: ActorSystem;
  const token = { token: 's3cret-token' };

  beforeAll(async () => {
    nats = await startNatsServer({ args: ['--auth', token.token] });
    runner = await remoteRunner(nats.url, 'tenant-a', { namespace: 'tenant-a', connectOptions: token });
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await runner?.close();
    await nats?.stop();
  });

  it('passes credentials to the NATS client, and fails typed without them', async () => {
    const node = await system.load({ name: 'authed', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-a', connectOptions: token } });
    expect(await node.exports<Api>('test:remote/api').whoami()).toBe('tenant-a');
    await node.stop();
    await expect(system.load({ name: 'anonymous', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-a' } }))
      .rejects.toMatchObject({ code: 'ERR_NODE_UNREACHABLE' });
  });

  it('keeps namespaces apart: another namespace finds no runner', async () => {
    await expect(system.load({ name: 'other-tenant', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-b', connectOptions: token } }))
      .rejects.toMatchObject({ code: 'ERR_NODE_UNREACHABLE', message: expect.stringMatching(/no runner serves node remote in namespace tenant-b/) });
  });

  it('refuses a session for another world, at the runner and by structure at the host', async () => {
    await expect(system.load({ name: 'wrong-world', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-a', connectOptions: token, world: 'test:other/world' } }))
      .rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH' });
    await expect(system.load({ name: 'wrong-types', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-a', connectOptions: token, wit: root('test/runtime/kitchen-sink/wit') } }))
      .rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH' });
    const right = await system.load({ name: 'right-types', remote: { nats: nats.url, node: 'remote', namespace: 'tenant-a', connectOptions: token, wit: REMOTE_WIT, world: 'test:remote/remote' } });
    expect(await right.exports<Api>('test:remote/api').whoami()).toBe('tenant-a');
    await right.stop();
    await expect.poll(() => runner.sessions()).toBe(0);
  });
});

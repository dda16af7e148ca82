// A remote node end to end: a runner hosting the kitchen-sink component behind a real
// nats-server, and a host that loads it with `remote` and calls it like a local plugin.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ActorSystem, startRunner, type Runner } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { kitchenSinkHost } from '../../runtime/kitchen-sink/host-impl.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';

const WIT = root('test/runtime/kitchen-sink/wit');

describe.skipIf(!natsServerPath)('a remote node over NATS', () => {
  let nats: NatsServer;
  let runner: Runner;
  let system: ActorSystem;

  beforeAll(async () => {
    nats = await startNatsServer();
    runner = await startRunner({
      nats: nats.url, system: { logger: recordingLogger() },
      plugins: [{ spec: { name: 'sink', wasm: inject('rustComponents')['test/runtime/kitchen-sink/rust']!, imports: await kitchenSinkHost() }, wit: WIT }],
    });
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await runner?.close();
    await nats?.stop();
  });

  it('loads a remote node and calls it', async () => {
    const node = await system.load({ name: 'far', remote: { nats: nats.url, node: 'sink', world: 'plugin-actors:kitchen-sink/kitchen-sink' } });
    const echo = node.exports('plugin-actors:kitchen-sink/echo');
    expect(await echo.ofString!('hello over NATS')).toBe('hello over NATS');
    expect(node.id.toString()).toBe('far@1/0');
    expect(runner.sessions('sink')).toBe(1);
    await node.stop();
  });
});

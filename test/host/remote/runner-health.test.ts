// Health both ways, the runner's side: a host that vanishes without ending its session
// (SIGKILL: no END, no SHUTDOWN) is noticed by the runner's own pings; the session ends and
// the resource actors that host held are stopped.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type Runner } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner } from '../../support/runners.js';

describe.skipIf(!natsServerPath)('a runner whose host vanished', () => {
  let nats: NatsServer;
  let runner: Runner;

  beforeAll(async () => {
    nats = await startNatsServer();
    runner = await remoteRunner(nats.url, 'lonely', { health: { intervalMs: 50, timeoutMs: 500 } });
  });
  afterAll(async () => {
    await runner?.close();
    await nats?.stop();
  });

  it('ends the session after its health timeout and stops the actors the host held', async () => {
    const host = spawn(process.execPath, [root('test/fixtures/process/host-that-vanishes.mjs'), nats.url, 'remote'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((r) => { host.once('exit', r); });
    await new Promise<void>((resolve, reject) => {
      host.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('holding 2')) resolve(); });
      void exited.then(() => reject(new Error('the host exited early')));
    });
    expect(runner.sessions('remote')).toBe(1);
    host.kill('SIGKILL');
    await exited;
    await expect.poll(() => runner.sessions('remote'), { timeout: 20_000 }).toBe(0);
    await using system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'after', remote: { nats: nats.url, node: 'remote' } });
    await expect.poll(() => node.exports<{ liveCounters(): Promise<number> }>('test:remote/api').liveCounters()).toBe(0);
  });
});

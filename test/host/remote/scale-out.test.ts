// Scale-out: two runners of one plugin form a pool through the NATS queue group. Root calls
// balance over the host's sessions, which the runners share; a resource actor stays with
// the runner that made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type Runner } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner } from '../../support/runners.js';

type Counter = { increment(by: number): Promise<number>; owner(): Promise<string>; [Symbol.asyncDispose](): Promise<void> };
type Api = { whoami(): Promise<string>; echo(s: string): Promise<string>; Counter: { 'new'(start: number): Promise<Counter> } };

describe.skipIf(!natsServerPath)('two runners of one plugin', () => {
  let nats: NatsServer;
  let runners: Runner[];
  let system: ActorSystem;

  beforeAll(async () => {
    nats = await startNatsServer();
    runners = await Promise.all([remoteRunner(nats.url, 'a'), remoteRunner(nats.url, 'b')]);
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await Promise.all((runners ?? []).map((r) => r.close()));
    await nats?.stop();
  });

  it('share the sessions of a pool, and its root calls reach both', async () => {
    // Each session goes to a runner the queue group picks at random: 24 all on one runner has odds of 2^-23.
    const pool = await system.load({ name: 'pooled', instances: 24, remote: { nats: nats.url, node: 'remote' } });
    expect(runners[0]!.sessions() + runners[1]!.sessions()).toBe(24);
    expect(runners[0]!.sessions()).toBeGreaterThan(0);
    expect(runners[1]!.sessions()).toBeGreaterThan(0);
    const api = pool.exports<Api>('test:remote/api');
    const served = await Promise.all(Array.from({ length: 96 }, () => api.whoami()));
    expect(new Set(served)).toEqual(new Set(['a', 'b']));
    // Each member is pinned to one runner.
    for (const member of pool.members) {
      const m = member.exports<Api>('test:remote/api');
      const first = await m.whoami();
      for (let i = 0; i < 5; i++) expect(await m.whoami()).toBe(first);
    }
    await pool.stop();
    await expect.poll(() => runners[0]!.sessions() + runners[1]!.sessions()).toBe(0);
  });

  it('keeps a resource actor on the runner that made it while root calls move around', async () => {
    const pool = await system.load({ name: 'pinned', instances: 8, remote: { nats: nats.url, node: 'remote' } });
    const api = pool.exports<Api>('test:remote/api');
    const counters = await Promise.all(Array.from({ length: 8 }, (_, i) => api.Counter.new(i * 100)));
    for (const [i, c] of counters.entries()) {
      const owner = await c.owner();
      for (let k = 1; k <= 5; k++) {
        expect(await c.increment(1)).toBe(i * 100 + k);
        expect(await c.owner()).toBe(owner);
      }
      await c[Symbol.asyncDispose]();
    }
    await pool.stop();
  });
});

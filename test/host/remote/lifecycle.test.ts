// Remote lifecycle: a runner SIGKILLed in the middle of calls is declared down after the
// node's health timeout; every pending call rejects once, typed; watchers are told; the
// supervisor's restart lands on another runner as a new incarnation. A stopped host's
// sessions end on the runner too, and its resource actors there are stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError, type Runner, type Termination } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner, spawnRunner } from '../../support/runners.js';

type Counter = { increment(by: number): Promise<number>; owner(): Promise<string>; [Symbol.asyncDispose](): Promise<void> };
type Api = { whoami(): Promise<string>; echo(s: string): Promise<string>; sleep(ms: number, o?: { signal?: AbortSignal; timeoutMs?: number }): Promise<number>; cancelled(): Promise<number>; liveCounters(): Promise<number>; Counter: { 'new'(start: number): Promise<Counter> } };

describe.skipIf(!natsServerPath)('remote lifecycle', () => {
  let nats: NatsServer;
  let system: ActorSystem;
  const runners: Runner[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await Promise.all(runners.map((r) => r.close()));
    await nats?.stop();
  });

  it('declares a SIGKILLed runner down: pending calls reject once with ERR_NODE_DOWN, watchers are told, the restart is a new incarnation elsewhere', async () => {
    const doomed = await spawnRunner(nats.url, 'doomed');
    const node = await system.load({
      name: 'failover', remote: { nats: nats.url, node: 'remote' },
      health: { intervalMs: 50, timeoutMs: 1000 }, restart: { policy: 'permanent' },
    });
    const api = node.exports<Api>('test:remote/api');
    expect(await api.whoami()).toBe('doomed');
    const counter = await api.Counter.new(1);
    const watched = new Promise<Termination>((resolve) => { system.watch(counter, resolve); });
    const terminated = new Promise<{ incarnation: number; reason?: unknown }>((resolve) => {
      system.on('terminated', (e) => { if (e.node === 'failover') resolve(e); });
    });
    const restarted = new Promise<number>((resolve) => { system.on('restarted', (e) => { if (e.node === 'failover') resolve(e.incarnation); }); });
    // The survivor joins the queue group only now, so the first session went to the doomed runner.
    runners.push(await remoteRunner(nats.url, 'survivor'));

    const settlements: string[][] = Array.from({ length: 8 }, () => []);
    const pending = settlements.map((log, i) => api.sleep(60_000 + i).then(
      (v) => { log.push(`value ${v}`); },
      (e: unknown) => { log.push(isPluginHostError(e) ? e.code : `untyped ${String(e)}`); },
    ));
    // Frames of one session arrive in order: once this answer is back, the runner has every sleep.
    expect(await api.echo('behind the sleeps')).toBe('behind the sleeps');
    doomed.child.kill('SIGKILL');
    await Promise.all(pending);
    expect(settlements).toEqual(Array.from({ length: 8 }, () => ['ERR_NODE_DOWN']));
    const ending = await terminated;
    expect(ending.incarnation).toBe(1);
    expect(ending.reason).toMatchObject({ code: 'ERR_NODE_DOWN' });
    expect(await watched).toMatchObject({ cause: 'node-down', reason: { code: 'ERR_NODE_DOWN' } });

    expect(await restarted).toBe(2);
    expect(node.incarnation).toBe(2);
    expect(await api.whoami()).toBe('survivor');
    await expect(counter.increment(1)).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_(STALE_INCARNATION|ACTOR_STOPPED|ACTOR_NOT_FOUND|NODE_DOWN)$/) });
    await doomed.exited;
    await node.stop();
  });

  it('carries cancellation and deadlines to the runner', async () => {
    runners.push(await remoteRunner(nats.url, 'patient', { name: 'cancel' }));
    const node = await system.load({ name: 'canceller', remote: { nats: nats.url, node: 'cancel' } });
    const api = node.exports<Api>('test:remote/api');
    const controller = new AbortController();
    const call = api.sleep(60_000, { signal: controller.signal });
    expect(await api.echo('sent')).toBe('sent');
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await expect(api.sleep(60_000, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    // The runner's plugin saw both cancellations (CANCEL reached it before this call).
    await expect.poll(() => api.cancelled()).toBe(2);
    await node.stop();
  });

  it('ends a session on the runner when the host stops the node, and stops the actors it held', async () => {
    const runner = await remoteRunner(nats.url, 'holder', { name: 'holder' });
    runners.push(runner);
    const node = await system.load({ name: 'holding', remote: { nats: nats.url, node: 'holder' } });
    const api = node.exports<Api>('test:remote/api');
    await Promise.all([api.Counter.new(1), api.Counter.new(2)]);
    expect(await api.liveCounters()).toBe(2);
    expect(runner.sessions('holder')).toBe(1);
    await node.stop();
    await expect.poll(() => runner.sessions('holder')).toBe(0);
    // The plugin on the runner dropped the counters that host held (asked through a new session).
    const again = await system.load({ name: 'holding', remote: { nats: nats.url, node: 'holder' } });
    await expect.poll(() => again.exports<Api>('test:remote/api').liveCounters()).toBe(0);
    await again.stop();
  });
});

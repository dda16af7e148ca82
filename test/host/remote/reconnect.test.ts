// The NATS server restarted in the middle of traffic: every call settles exactly once,
// with its own value or a typed error; none hangs, none is answered twice; once the server
// is back, calls succeed again (the session survived, or the supervisor made a new one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError, type Runner } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { remoteRunner } from '../../support/runners.js';

type Api = { echo(s: string): Promise<string> };
const QUICK_RECONNECT = { reconnectTimeWait: 20, reconnectJitter: 0 };
/** What a call may fail with while the server is away: the session was declared down, or is being replaced. */
const TRANSIENT = new Set(['ERR_NODE_DOWN', 'ERR_RESTARTING', 'ERR_NODE_UNREACHABLE']);

describe.skipIf(!natsServerPath)('a NATS server restarted mid-traffic', () => {
  let nats: NatsServer;
  let runner: Runner;
  let system: ActorSystem;

  beforeAll(async () => {
    nats = await startNatsServer();
    runner = await remoteRunner(nats.url, 'steady', { connectOptions: QUICK_RECONNECT, health: { intervalMs: 100, timeoutMs: 3000 } });
    system = new ActorSystem({ logger: recordingLogger() });
  });
  afterAll(async () => {
    await system?.close();
    await runner?.close();
    await nats?.stop();
  });

  it('settles every call once and serves again afterwards', async () => {
    const node = await system.load({
      name: 'through-restart', remote: { nats: nats.url, node: 'remote', connectOptions: QUICK_RECONNECT },
      health: { intervalMs: 100, timeoutMs: 3000 }, restart: { policy: 'permanent', intensity: 50, periodMs: 60_000, backoff: { initialMs: 20, maxMs: 200 } },
    });
    const api = node.exports<Api>('test:remote/api');
    const outcomes = new Map<string, string[]>();
    let restarted = false;
    let okBefore = 0;
    const okAfter = new Map<number, number>();

    const worker = async (w: number) => {
      for (let i = 0; i < 5000 && (okAfter.get(w) ?? 0) < 20; i++) {
        const arg = `w${w}-${i}`;
        const log: string[] = [];
        outcomes.set(arg, log);
        const after = restarted;
        try {
          const value = await api.echo(arg);
          log.push(value === arg ? 'ok' : `wrong value ${value}`);
          if (after) okAfter.set(w, (okAfter.get(w) ?? 0) + 1);
          else okBefore++;
        } catch (e) {
          log.push(isPluginHostError(e) && TRANSIENT.has(e.code) ? 'transient' : `unexpected ${isPluginHostError(e) ? e.code : String(e)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    };
    const traffic = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await expect.poll(() => okBefore, { timeout: 20_000 }).toBeGreaterThan(200);
    await nats.restart();
    restarted = true;
    await traffic;

    const all = [...outcomes.values()];
    expect(all.filter((log) => log.length !== 1)).toEqual([]);
    expect(all.flat().filter((o) => o !== 'ok' && o !== 'transient')).toEqual([]);
    for (let w = 0; w < 8; w++) expect(okAfter.get(w)).toBe(20);
    await node.stop();
  }, 60_000);
});

// Abort means stop: a plain abort() of a call a worker plugin is still running terminates
// the worker (as a deadline does), so it never spins on unseen; the restart policy brings
// it back. A queued call that is aborted is only dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { faultsSpecs, recordingLogger } from '../helpers.js';

interface Faults { echo(s: string, o?: object): Promise<string>; spin(o?: object): Promise<void> }

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

describe('aborting a call a worker plugin is running', () => {
  it('terminates the worker with ERR_NODE_INTERRUPTED; a queued aborted call is just dropped; the plugin restarts', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'spinner', ...faultsSpecs.worker, restart: { policy: 'permanent', backoff: { initialMs: 1, maxMs: 1 } } } as never);
    const api = node.exports<Faults>('test:faults/api');
    const running = new AbortController();
    const queued = new AbortController();
    const spinning = api.spin({ signal: running.signal });
    const waiting = api.echo('queued', { signal: queued.signal });
    queued.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    const restarted = new Promise((resolve) => system!.once('restarted', resolve));
    const ended = new Promise((resolve) => system!.once('terminated', resolve));
    running.abort();
    await expect(spinning).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(await ended).toMatchObject({ cause: 'interrupted', reason: { code: 'ERR_NODE_INTERRUPTED', message: expect.stringMatching(/spin was aborted/) } });
    await restarted;
    expect(await api.echo('back')).toBe('back');
  });
});

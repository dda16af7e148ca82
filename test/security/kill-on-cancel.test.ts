// killOnCancelTimeoutMs: a process plugin that does not answer a cancelled call within the
// grace period is killed (ERR_UNRESPONSIVE; the restart policy brings it back). The plugin
// here really ignores CANCEL: `spin` is a busy loop, so the process reads no frame at all.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError } from '../../host/index.js';
import { faultsSpecs, recordingLogger } from '../helpers.js';

interface Faults { echo(s: string, o?: object): Promise<string>; spin(o?: object): Promise<void> }

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

describe('a process plugin ignoring CANCEL', () => {
  it('is killed after killOnCancelTimeoutMs, with every call in flight on it; then restarted', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({
      name: 'stubborn', ...faultsSpecs.process, killOnCancelTimeoutMs: 50, restart: { policy: 'permanent', backoff: { initialMs: 1, maxMs: 1 } },
    } as never);
    const api = node.exports<Faults>('test:faults/api');
    const controller = new AbortController();
    const spinning = api.spin({ signal: controller.signal });
    const behind = api.echo('behind');
    const ended = new Promise((resolve) => system!.once('terminated', resolve));
    const restarted = new Promise((resolve) => system!.once('restarted', resolve));
    controller.abort();
    await expect(spinning).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(await ended).toMatchObject({ reason: { code: 'ERR_UNRESPONSIVE', message: expect.stringMatching(/killOnCancelTimeoutMs/) } });
    await expect(behind).rejects.toMatchObject({ code: 'ERR_UNRESPONSIVE' });
    await restarted;
    expect(await api.echo('back')).toBe('back');
  });

  it('killOnCancelTimeoutMs is a positive number of a process plugin spec', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    for (const killOnCancelTimeoutMs of [0, -1, 'soon']) {
      const e = await system.load({ name: 'v', ...faultsSpecs.process, killOnCancelTimeoutMs } as never).then(() => undefined, (x: unknown) => x);
      expect(isPluginHostError(e) && e.code).toBe('ERR_INVALID_OPTION');
    }
    const e = await system.load({ name: 'w', ...faultsSpecs.wasm, killOnCancelTimeoutMs: 10 } as never).then(() => undefined, (x: unknown) => x);
    expect(isPluginHostError(e) && e.code).toBe('ERR_INVALID_OPTION');
  });
});

// A component whose start function never returns: its load fails with ERR_TIMEOUT after
// startTimeoutMs (an interruptible inline guest is interrupted in the host's thread, a
// worker is terminated), and the host goes on serving its other plugins.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { greeterSpecs, recordingLogger, root } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

let wasm: Uint8Array;
let system: ActorSystem | undefined;
beforeAll(async () => { wasm = await componentFromWat(root('test/fixtures/security/endless-start.wat'), root('test/fixtures/security/endless-start.wit'), 'endless-start'); });
afterEach(async () => { await system?.close(); system = undefined; });

describe.each(['inline', 'worker'] as const)('a %s component whose start function never returns', (isolation) => {
  it('fails to load with ERR_TIMEOUT after startTimeoutMs, and the host serves its other plugins', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'endless', wasm, isolation, startTimeoutMs: 200 })).rejects.toMatchObject({
      code: 'ERR_TIMEOUT', plugin: 'endless', message: expect.stringMatching(/did not finish starting within startTimeoutMs \(200 ms\)/),
    });
    const other = await system.load({ name: 'greeter', ...greeterSpecs.wasm });
    expect(await other.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('after')).toBe('Hello, after!');
  });
});

it('refuses a startTimeoutMs that is not a positive number', async () => {
  system = new ActorSystem({ logger: recordingLogger() });
  await expect(system.load({ name: 'endless', wasm, startTimeoutMs: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/startTimeoutMs/) });
});

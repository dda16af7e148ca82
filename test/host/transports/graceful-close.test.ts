// Closing a system is a stop the host asked for: no plugin kind logs it as a failure (a
// worker closing its channel after SHUTDOWN was once reported as a warning on every close).
import { expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

it.each(['wasm', 'worker', 'process'] as const)('a %s plugin stopped by close() logs no warning or error', async (kind) => {
  const logger = recordingLogger();
  const system = new ActorSystem({ logger });
  const node = await system.load({ name: 'greeter', ...greeterSpecs[kind] });
  const api = node.exports<{ greet(n: string): Promise<string> }>('example:greeter/api');
  expect(await api.greet(kind)).toBe(`Hello, ${kind}!`);
  await system.close();
  expect(logger.records.filter((r) => r.level === 'warn' || r.level === 'error')).toEqual([]);
});

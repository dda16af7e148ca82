// A process plugin gets a scrubbed environment unless the application says otherwise:
// PATH and a few basics, `allowEnv`, `env`, and the protocol's variables — never the
// host's secrets by default.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';

const command = [process.execPath, root('test/fixtures/security/env-probe.mjs')];
interface Env { get(name: string): Promise<string | undefined>; names(): Promise<string[]> }

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });
beforeAll(() => { process.env.LIMITS_TEST_SECRET = 'hunter2'; process.env.LIMITS_TEST_ALLOWED = 'fine'; });
afterAll(() => { delete process.env.LIMITS_TEST_SECRET; delete process.env.LIMITS_TEST_ALLOWED; });

describe('a process plugin\'s environment', () => {
  it('by default holds PATH and the protocol variables, not the host\'s secrets', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const env = (await system.load({ name: 'env', command, env: { GIVEN: 'yes' } })).exports<Env>();
    expect(await env.get('LIMITS_TEST_SECRET')).toBeUndefined();
    expect(await env.get('PATH')).toBe(process.env.PATH);
    expect(await env.get('GIVEN')).toBe('yes');
    expect(await env.get('PLUGIN_ACTORS_FD')).toBe('3');
    const names = await env.names();
    expect(names.filter((n) => !['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'GIVEN'].includes(n) && !n.startsWith('PLUGIN_ACTORS_'))).toEqual([]);
  });

  it('passes the names in allowEnv, and everything with inheritEnv: true', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const allowed = (await system.load({ name: 'allowed', command, allowEnv: ['LIMITS_TEST_ALLOWED'] })).exports<Env>();
    expect(await allowed.get('LIMITS_TEST_ALLOWED')).toBe('fine');
    expect(await allowed.get('LIMITS_TEST_SECRET')).toBeUndefined();
    const inherited = (await system.load({ name: 'inherited', command, inheritEnv: true })).exports<Env>();
    expect(await inherited.get('LIMITS_TEST_SECRET')).toBe('hunter2');
  });

  it('refuses a malformed allowEnv', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'bad', command, allowEnv: 'PATH' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

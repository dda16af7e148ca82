// Deny by default: every WASI interface is there, only what the grants name does anything,
// and `wasi:cli/exit` ends the plugin, never the host.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';

interface WasiUser {
  env(): [string, string][];
  args(): string[];
  cwd(): string | undefined;
  quit(ok: boolean): void;
}

const wasm = root('test/fixtures/wasi/assemblyscript/build/wasi.wasm');
let system: ActorSystem;
afterEach(() => system?.close());

describe.each(['inline', 'worker'] as const)('WASI grants (%s)', (isolation) => {
  it('loads a plugin whose WASI imports are not granted; it sees an empty environment', async () => {
    process.env.PLUGIN_ACTORS_SECRET = 'host only';
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'ungranted', wasm, isolation })).exports<WasiUser>();
    expect(await api.env()).toEqual([]);
    expect(await api.args()).toEqual([]);
    expect(await api.cwd()).toBeUndefined();
  });

  it('shows exactly the granted environment and arguments, none of the host\'s', async () => {
    process.env.PLUGIN_ACTORS_SECRET = 'host only';
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'granted', wasm, isolation, grants: { env: { ONLY: '1' }, args: ['plugin', '--x'], cwd: '/work' } })).exports<WasiUser>();
    expect(await api.env()).toEqual([['ONLY', '1']]);
    expect(await api.args()).toEqual(['plugin', '--x']);
    expect(await api.cwd()).toBe('/work');
  });

  it('wasi:cli/exit terminates the plugin with ERR_PLUGIN_EXITED and leaves the host running', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'quitter', wasm, isolation, grants: { env: {} } });
    await expect(node.exports<WasiUser>().quit(false)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    expect((await node.terminated).reason).toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 1 });
    const again = await system.load({ name: 'quitter', wasm, isolation, grants: { env: {} } });
    await expect(again.exports<WasiUser>().quit(true)).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 0 });
    expect(again.incarnation).toBe(2);
  });

  it('lets the application\'s own imports replace a WASI interface', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const environment = { getEnvironment: () => [['FROM', 'the application']], getArguments: () => ['app'], initialCwd: () => undefined };
    const api = (await system.load({ name: 'overridden', wasm, isolation, grants: { env: { FROM: 'grants' } }, imports: { 'wasi:cli/environment': environment } })).exports<WasiUser>();
    expect(await api.env()).toEqual([['FROM', 'the application']]);
    expect(await api.args()).toEqual(['app']);
  });

  it('rejects unknown grants', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    await expect(system.load({ name: 'x', wasm, isolation, grants: { filesystem: true } as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

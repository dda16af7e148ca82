// `plugin-actors serve` from a runtime manifest: the manifest gives the plugin, its world
// and its WIT; a host loads the node by the manifest's name.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { natsServerPath, startNatsServer, type NatsServer } from '../../support/nats-server.js';

/** `plugin-actors serve` with `args`, resolved once it prints `ready`; `exited` gives its exit code. */
async function serve(args: readonly string[], label: string, ready: string) {
  const child = spawn(process.execPath, [root('dist/cli/main.js'), 'serve', '--allow-env', 'RUNNER_LABEL', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUNNER_LABEL: label },
  });
  const exited = new Promise<number | null>((r) => { child.once('exit', (code) => r(code)); });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => { out += d.toString(); if (out.includes(ready)) resolve(); };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`serve exited early:\n${out}`)));
  });
  return { child, exited };
}

describe.skipIf(!natsServerPath)('plugin-actors serve with a manifest', () => {
  let nats: NatsServer;
  beforeAll(async () => { nats = await startNatsServer(); });
  afterAll(async () => { await nats?.stop(); });

  it('serves the plugin the manifest describes, under its name, until SIGTERM', async () => {
    const { child, exited } = await serve(['--nats', nats.url, root('test/fixtures/remote')], 'from-manifest', 'serves remote-manifest on');
    await using system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'm', remote: { nats: nats.url, node: 'remote-manifest', world: 'test:remote/remote' } });
    expect(await node.exports<{ whoami(): Promise<string> }>('test:remote/api').whoami()).toBe('from-manifest');
    const down = node.terminated;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The runner ended the session as it stopped: the host sees the node go down.
    expect((await down).reason).toMatchObject({ code: 'ERR_NODE_DOWN' });
  });

  it('serves several manifests from one runner, each under its own name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'serve-two-'));
    try {
      const second = join(dir, 'second');
      await cp(root('test/fixtures/remote/wit'), join(second, 'wit'), { recursive: true });
      await writeFile(join(second, 'plugin.json'), JSON.stringify({
        name: 'second-manifest', version: '0.1.0', world: 'test:remote/remote', wit: 'wit', command: ['node', root('test/fixtures/process/remote.mjs')],
      }));
      const { child, exited } = await serve(['--nats', nats.url, root('test/fixtures/remote'), second], 'both', 'serves remote-manifest, second-manifest on');
      await using system = new ActorSystem({ logger: recordingLogger() });
      for (const node of ['remote-manifest', 'second-manifest']) {
        const remote = await system.load({ name: node, remote: { nats: nats.url, node, world: 'test:remote/remote' } });
        expect(await remote.exports<{ echo(s: string): Promise<string> }>('test:remote/api').echo(node)).toBe(node);
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

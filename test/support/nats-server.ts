// A real nats-server for the tests, on a free loopback port, started and restarted by the
// test itself. Where nats-server is not installed, `natsServerPath` is undefined and the
// tests that need one report themselves as skipped (CI installs it, see .ci/run).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export const natsServerPath: string | undefined = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin']
  .map((dir) => join(dir, 'nats-server'))
  .find((p) => existsSync(p));

export interface NatsServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  /** Kills the server (SIGKILL) and starts it again on the same port. */
  restart(options?: { between?: () => Promise<void> }): Promise<void>;
  stop(): Promise<void>;
}

export async function startNatsServer(options: { args?: readonly string[] } = {}): Promise<NatsServer> {
  if (!natsServerPath) throw new Error('nats-server is not installed');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = () => new Promise<void>((resolve, reject) => {
    const c = spawn(natsServerPath!, ['-a', '127.0.0.1', '-p', String(port), ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Server is ready')) resolve();
    };
    c.stderr!.on('data', onData);
    c.stdout!.on('data', onData);
    c.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${output}`)));
    c.once('error', reject);
  });
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); });
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`, port,
    async restart(o) {
      await stop();
      await o?.between?.();
      await launch();
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A nats-server on a free loopback port for the remote figures (stopped by the caller). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export async function startNatsServer(): Promise<{ url: string; stop(): void } | undefined> {
  const binary = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin'].map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
  if (!binary) return undefined;
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Server is ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${out}`)));
  });
  return { url: `nats://127.0.0.1:${port}`, stop: () => { child.kill('SIGKILL'); } };
}

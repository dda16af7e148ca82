// A plugin process, and every process it starts, must not outlive its host: not when the
// host is killed with SIGKILL while the plugin spins (so it cannot notice by itself), not
// when the plugin uses no SDK of ours, and a host that closed its system exits even when a
// process the plugin started holds the plugin's stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { eventually, root } from '../../helpers.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the orphan host and collects the pids it prints until `ready`. */
async function startHost(mode: 'sdk' | 'shell', then: 'wait' | 'close'): Promise<{ host: ChildProcess; pids: number[]; exited: Promise<number | null> }> {
  const host = spawn(process.execPath, [root('test/fixtures/process/orphan-host.mjs'), mode, then], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => host.once('exit', (code) => resolve(code)));
  const pids: number[] = [];
  await new Promise<void>((resolve, reject) => {
    let text = '';
    host.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      for (const m of text.matchAll(/^(?:plugin|grandchild) (\d+)$/gm)) if (!pids.includes(Number(m[1]))) pids.push(Number(m[1]));
      if (/^ready$/m.test(text)) resolve();
    });
    void exited.then(() => reject(new Error('the host exited before it was ready')));
  });
  return { host, pids, exited };
}

describe('process plugin lifetime', () => {
  it.each(['sdk', 'shell'] as const)('a host killed with SIGKILL takes a spinning %s plugin and its child with it', async (mode) => {
    const { host, pids } = await startHost(mode, 'wait');
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    host.kill('SIGKILL');
    await eventually(() => pids.every((pid) => !alive(pid)), 10_000);
  });

  it('a host that closed its system exits, although a child of its plugin held the plugin\'s stdout', async () => {
    const { pids, exited } = await startHost('sdk', 'close');
    expect(await exited).toBe(0);
    await eventually(() => pids.every((pid) => !alive(pid)), 10_000);
  });
});

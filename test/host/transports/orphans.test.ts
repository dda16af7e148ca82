// A plugin process must not outlive its host: it exits when its protocol channel closes.
import { spawn } from 'node:child_process';
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

describe('process plugin lifetime', () => {
  it('exits when its host is killed (no orphans)', async () => {
    const host = spawn(process.execPath, [root('test/fixtures/process/host-that-dies.mjs'), root('test/fixtures/process/faults.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve, reject) => {
      host.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      host.once('exit', () => reject(new Error('host exited early')));
    });
    expect(alive(pid)).toBe(true);
    host.kill('SIGKILL');
    await eventually(() => !alive(pid), 5000);
  });
});

/**
 * The host's side of the reaper (`reaper-main.ts`): started with the first process plugin,
 * told of every plugin process group, never keeping the host alive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { entryScript } from '../../entry-script.js';

let reaper: ChildProcess | undefined;
let unavailable = false;

const reaperScript = () => entryScript('reaper-main.js', 'host/transports/process/reaper-main.js');

function send(line: string): void {
  if (unavailable || process.platform === 'win32') return;
  if (!reaper) {
    const script = reaperScript();
    if (!script) {
      unavailable = true;
      return;
    }
    reaper = spawn(process.execPath, [script], { stdio: ['pipe', 'ignore', 'ignore'], detached: true, windowsHide: true });
    reaper.on('error', () => { unavailable = true; reaper = undefined; });
    reaper.on('exit', () => { reaper = undefined; });
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void }).unref?.();
    reaper.stdin!.on('error', () => {});
  }
  reaper.stdin!.write(line);
}

/** The group led by `pid` must die with the host. */
export function watchGroup(pid: number | undefined): void {
  if (pid !== undefined) send(`+${pid}\n`);
}

/** The group ended (or was killed by the host itself). */
export function forgetGroup(pid: number | undefined): void {
  if (pid !== undefined) send(`-${pid}\n`);
}

/**
 * Each plugin process leads its own process group (it is spawned `detached`), so the host
 * can end the plugin *and every process it started* with one signal to the group. On
 * Windows there are no process groups: a signal reaches the plugin process only
 * (docs/lifecycle.md).
 */

/** Sends `signal` to the whole group led by `pid`; false when no process of it is left. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch {
    return false;
  }
}

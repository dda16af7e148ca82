/**
 * The reaper: a small process the host starts beside its plugin processes, in a process
 * group of its own. The host tells it, on its stdin, each plugin process group it starts
 * (`+pid`) and ends (`-pid`). When its stdin ends — the host exited, crashed, or was killed
 * with SIGKILL, which no code in the host can catch — it kills every group still listed and
 * exits. So a plugin and whatever it started never outlive the host, even when the plugin
 * is busy and cannot notice by itself, and even when it uses no SDK of ours.
 */
const groups = new Set<number>();
let buffered = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let nl: number;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') groups.add(pid);
    else if (line[0] === '-') groups.delete(pid);
  }
});
const reap = () => {
  for (const pid of groups) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
// The host's own process group may be signalled as a whole (Ctrl-C): the reaper outlives
// that signal to do its job, then leaves when its stdin ends.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});

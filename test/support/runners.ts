// Runners for the remote-node tests: in this process (startRunner) or as a separate
// `plugin-actors serve` process that a test can SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { startRunner, type Runner, type RunnerOptions } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';

export const REMOTE_WIT = root('test/fixtures/remote/wit');
export const REMOTE_PLUGIN = root('test/fixtures/process/remote.mjs');

/** A runner in this process serving the test:remote plugin as node `name`, labelled `label`. */
export function remoteRunner(nats: string, label: string, options: Partial<RunnerOptions> & { name?: string } = {}): Promise<Runner> {
  const { name = 'remote', ...rest } = options;
  return startRunner({
    nats, system: { logger: recordingLogger() },
    plugins: [{ spec: { name, command: [process.execPath, REMOTE_PLUGIN], env: { RUNNER_LABEL: label } }, wit: REMOTE_WIT }],
    ...rest,
  });
}

export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  output(): string;
}

/** `plugin-actors serve` in a child process, resolved once it serves. */
export function spawnRunner(nats: string, label: string, extra: readonly string[] = []): Promise<RunnerProcess> {
  const child = spawn(process.execPath, [
    root('dist/cli/main.js'), 'serve', '--nats', nats, '--wit', REMOTE_WIT, '--name', 'remote',
    '--command', JSON.stringify([process.execPath, REMOTE_PLUGIN]), '--allow-env', 'RUNNER_LABEL', ...extra,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUNNER_LABEL: label } });
  let out = '';
  const exited = new Promise<void>((r) => { child.once('exit', () => r()); });
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(' serves remote on ')) resolve({ child, exited, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the runner exited before serving:\n${out}`)));
  });
}

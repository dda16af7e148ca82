// Crash-test isolation: a vitest suite whose test bodies run inside a plugin process, so a
// body that exits, aborts, overflows its stack or hangs is an observed, asserted outcome —
// the runner itself never goes down. Each test gets a fresh incarnation of the plugin
// (restart: permanent), because a crashed body leaves nothing behind. The plugin is loaded
// with the harness for plugin authors, `plugin-actors/testing`.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testPlugin } from 'plugin-actors/testing';

type Bodies = { run(name: string): string };

const suite = await testPlugin({
  name: 'crash-suite',
  // From the sources (vitest), the plugin runs compiled, from dist/ (`npm run build`).
  command: [process.execPath, fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/examples/crash-test/bodies.js' : './bodies.js', import.meta.url))],
  restart: { policy: 'permanent', intensity: 100, backoff: { initialMs: 1 }, waitForRestart: true },
}, { cleanup: afterAll });
const bodies = suite.exports<Bodies>('example:crash-test/bodies');

describe('test bodies in a plugin', () => {
  it('a passing body returns its value', async () => {
    expect(await bodies.run('adds', { timeoutMs: 5000 })).toBe('2');
    expect(suite.calls.at(-1)).toMatchObject({ function: 'run', args: ['adds', { timeoutMs: 5000 }], outcome: 'returned', result: '2' });
  });

  it('a failing body is an ERR_RESULT carrying its message', async () => {
    await expect(bodies.run('rejects')).rejects.toMatchObject({ code: 'ERR_RESULT', payload: 'the body said no' });
    expect(suite.terminations).toHaveLength(0);
  });

  it('a body that exits is ERR_PLUGIN_EXITED with its exit code', async () => {
    await expect(bodies.run('exits')).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', exitCode: 3 });
    expect(await suite.nextTermination()).toMatchObject({ cause: 'exited', reason: { code: 'ERR_PLUGIN_EXITED', exitCode: 3 } });
  });

  it('a body that aborts is ERR_PLUGIN_EXITED with the signal', async () => {
    await expect(bodies.run('aborts')).rejects.toMatchObject({ code: 'ERR_PLUGIN_EXITED', signal: 'SIGABRT' });
    expect(await suite.nextTermination()).toMatchObject({ reason: { signal: 'SIGABRT' } });
  });

  it('a body that overflows its stack is an error of its own, and the plugin lives on', async () => {
    await expect(bodies.run('overflows')).rejects.toMatchObject({ code: 'ERR_REMOTE', remote: { name: 'RangeError' } });
    expect(suite.callsTo('run').at(-1)).toMatchObject({ outcome: 'threw', error: { code: 'ERR_REMOTE' } });
  });

  it('a body that hangs is ERR_TIMEOUT, and the next test runs in a fresh plugin', async () => {
    await expect(bodies.run('hangs', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    suite.kill();
    expect(await bodies.run('adds', { timeoutMs: 10_000 })).toBe('2');
    expect(suite.restarts).toBe(3);
  });
});

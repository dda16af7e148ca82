/**
 * The functions of a root-actor proxy: they call whichever incarnation of the plugin runs
 * now, so a proxy taken before a restart keeps working after it. The path to the running
 * incarnation is cached (one comparison per call on the fast path); while the plugin
 * restarts, a call fails with ERR_RESTARTING, or waits for the new incarnation when the
 * plugin's restart policy says `waitForRestart` (bounded by the call's own deadline).
 */
import { abortError } from '../../common/abort-error.js';
import { PluginHostError } from '../../common/errors.js';
import type { WitFunction } from '../../common/wit/model.js';
import { splitCallOptions } from './call.js';
import { callOptions } from './call-options.js';
import { matchInterface } from './node-description.js';
import type { CallPath, NodeRecord } from './node-record.js';
import type { PluginEntry } from './plugin-entry.js';

export type PathOf = (record: NodeRecord, fn: WitFunction, sync: boolean) => CallPath;

export function rootMethod(entry: PluginEntry, interfaceName: string, template: WitFunction, sync: boolean, pathOf: PathOf): (...args: unknown[]) => unknown {
  let cached: NodeRecord | undefined;
  let path: CallPath | undefined;
  const pathFor = (record: NodeRecord): CallPath => {
    const fn = matchInterface(record.description, interfaceName)?.functions.get(template.name);
    if (fn) return pathOf(record, fn, sync);
    const error = new PluginHostError('ERR_UNKNOWN_FUNCTION', `incarnation ${record.incarnation} of plugin ${record.name} has no function ${template.name}`, { plugin: record.name });
    return () => { if (sync) throw error; return Promise.reject(error); };
  };
  const slow = (args: unknown[]): unknown => {
    const running = entry.current;
    if (running) {
      cached = running;
      path = pathFor(running);
      return path(running.registry.root, args);
    }
    // `running` without a current incarnation: it was just killed, and its end is being handled.
    const between = entry.state === 'restarting' || entry.state === 'starting' || (entry.state === 'running' && entry.restart.waitForRestart);
    if (between) return whileRestarting(entry, template, sync, args, slow);
    // Down for good: the last incarnation's path reports how it ended.
    const last = entry.last!;
    return pathFor(last)(last.registry.root, args);
  };
  return (...args: unknown[]) => {
    const record = entry.current;
    if (record !== undefined && record === cached) return path!(record.registry.root, args);
    return slow(args);
  };
}

function whileRestarting(entry: PluginEntry, fn: WitFunction, sync: boolean, args: unknown[], retry: (args: unknown[]) => unknown): unknown {
  const last = entry.last?.reason;
  const refusal = () => new PluginHostError('ERR_RESTARTING', `plugin ${entry.name} is restarting${last ? ` after: ${last.message}` : ''}`, {
    plugin: entry.name, method: fn.name, ...(last ? { cause: last } : {}),
  });
  if (sync || !entry.restart.waitForRestart) {
    if (sync) throw refusal();
    return Promise.reject(refusal());
  }
  let split: ReturnType<typeof splitCallOptions>;
  try {
    split = splitCallOptions(fn, args);
  } catch (e) {
    return Promise.reject(e);
  }
  const { signal } = split;
  if (signal?.aborted) return Promise.reject(abortError(signal, { plugin: entry.name, method: fn.name }));
  // The call's deadline bounds the wait: hand the remaining time on as the same signal,
  // branded, since the arguments may have left out trailing options.
  const rest = signal ? [...split.args, callOptions({ signal })] : args;
  return new Promise((resolve, reject) => {
    const done = () => {
      entry.waiters.delete(done);
      signal?.removeEventListener('abort', onAbort);
      Promise.resolve().then(() => retry(rest)).then(resolve, reject);
    };
    const onAbort = () => {
      entry.waiters.delete(done);
      reject(abortError(signal!, { plugin: entry.name, method: fn.name }));
    };
    entry.waiters.add(done);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

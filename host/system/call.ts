/**
 * One call through the actor system, before and after the transport: arity and call
 * options, node and actor state, cancellation signals, `result` unwrapping, and the
 * context (actor id, plugin, method) every error carries.
 */
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import { abortError } from '../../common/abort-error.js';
import type { WitFunction } from '../../common/wit/model.js';
import type { CallRequest } from './node-connection.js';
import { unalias } from '../../common/wit/model.js';
import type { ActorId } from './actor-id.js';
import { argumentShape, splitArguments, type ArgumentShape, type CallOptions } from './call-options.js';
import type { ActorEntry } from './registry.js';

interface NodeState {
  readonly name: string;
  readonly incarnation: number;
  readonly state: 'running' | 'stopping' | 'down';
  readonly reason?: PluginHostError;
  readonly superseded: boolean;
}

/**
 * Checks everything that can be checked before the transport; throws typed errors. The
 * request's `args` always hold every parameter (left-out trailing options as `undefined`).
 */
export function prepareCall(
  systemClosed: boolean, record: NodeState, entry: ActorEntry, fn: WitFunction, args: unknown[], shape: ArgumentShape = argumentShape(fn),
): CallRequest {
  const { args: callArgs, signal, deadline } = splitCallOptions(fn, args, shape);
  if (record.state !== 'running') {
    if (record.superseded && entry.resource) {
      throw new PluginHostError('ERR_STALE_INCARNATION', `actor ${entry.id} belonged to incarnation ${record.incarnation} of plugin ${record.name}, which has ended`, {
        ...(record.reason ? { cause: record.reason } : {}),
      });
    }
    if (systemClosed && record.state !== 'down') throw new PluginHostError('ERR_SYSTEM_CLOSED', 'the actor system is closed');
    const r = record.reason;
    throw new PluginHostError(r?.code ?? 'ERR_NODE_TERMINATED', `plugin ${record.name} is not running${r ? `: ${r.message}` : record.state === 'stopping' ? ' (stopping)' : ''}`, {
      ...(r ? { cause: r } : {}), ...(r?.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r?.signal !== undefined ? { signal: r.signal } : {}),
    });
  }
  if (entry.state !== 'live') throw new PluginHostError('ERR_ACTOR_STOPPED', `actor ${entry.id} was stopped`);
  if (signal?.aborted) throw abortError(signal);
  return { fn, args: callArgs, self: entry.local, signal, deadline };
}

/**
 * The WIT arguments of a call (left-out trailing options filled in with `undefined`) and the
 * signal of its call options (see call-options.ts for which argument is which).
 */
export function splitCallOptions(fn: WitFunction, args: readonly unknown[], shape: ArgumentShape = argumentShape(fn)): { args: unknown[]; signal: AbortSignal | undefined; deadline: number | undefined } {
  const split = splitArguments(fn, shape, args);
  const timeoutMs = split.options?.timeoutMs;
  // The deadline as a time too: a guest running in this thread is checked against it while
  // no timer can fire (see component/interrupt.ts).
  return { args: split.args, signal: split.options && combineSignals(split.options), deadline: timeoutMs === undefined ? undefined : performance.now() + timeoutMs };
}

/** Adds the call's actor id, plugin and method to a PluginHostError that lacks them. */
export function withCallContext(e: unknown, plugin: string, id: ActorId, fn: WitFunction): unknown {
  if (isPluginHostError(e) && e.actorId === undefined) {
    Object.assign(e, { actorId: String(id), plugin: e.plugin ?? plugin, method: e.method ?? fn.name });
  }
  return e;
}

function combineSignals(options: CallOptions): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (options.signal) signals.push(options.signal);
  if (options.timeoutMs !== undefined) signals.push(AbortSignal.timeout(options.timeoutMs));
  if (signals.length <= 1) return signals[0];
  return AbortSignal.any(signals);
}

/** A top-level `result` becomes the ok value, or ERR_RESULT carrying the err payload. */
export function unwrapResult(fn: WitFunction, raw: unknown, plugin: string, id: ActorId): unknown {
  if (!fn.result || unalias(fn.result).kind !== 'result') return raw;
  const r = raw as { tag: 'ok' | 'err'; val: unknown };
  if (r.tag === 'ok') return r.val;
  const payload = r.val;
  const text = typeof payload === 'string' ? payload : payload === undefined ? 'error' : safeJson(payload);
  throw new PluginHostError('ERR_RESULT', `${fn.name} returned err: ${text}`, { actorId: String(id), plugin, method: fn.name, payload });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

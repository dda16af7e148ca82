/**
 * The call path of one function on one node, made once per node, function and style
 * (async or sync twin); entries are per call, so a resource type's actors share it.
 * Nodes that run in the host's thread (the `sync` capability) get a direct path: no
 * request object, no Promise inside. Calls with options, or in any unusual state, go
 * through `prepareCall`, which also produces every typed error; so do calls that leave out
 * trailing `option<T>` parameters, or end with `callOptions()` where the last parameter is an
 * option (see call-options.ts). Async paths never throw: they return a rejected Promise.
 */
import type { WitFunction } from '../../common/wit/model.js';
import { prepareCall, unwrapResult, withCallContext } from './call.js';
import { currentChain, printChain, runAsChainStart, type ChainOutcome } from './call-chain.js';
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import { argumentShape, isCallOptions } from './call-options.js';
import { returnsResult } from './node-description.js';
import type { CallPath, NodeRecord } from './node-record.js';
import type { ActorEntry } from './registry.js';

export function makeCallPath(record: NodeRecord, fn: WitFunction, sync: boolean, isClosed: () => boolean): CallPath {
  const shape = argumentShape(fn);
  const { arity } = shape;
  // With exactly `arity` arguments, the last may still be branded call options standing for
  // a left-out option; only functions whose last parameter is an option need to look.
  const lastIsOption = shape.required < arity;
  const direct = record.connection.capabilities.sync?.bind(fn);
  const unwrap = returnsResult(fn);
  if (!direct) {
    return (entry, args) => {
      let request;
      try {
        request = prepareCall(isClosed(), record, entry, fn, args, shape);
      } catch (e) {
        return Promise.reject(withCallContext(e, record.name, entry.id, fn));
      }
      // A call that can be given up starts a chain, to say where it waited when it is.
      const outcome: ChainOutcome | undefined = request.signal !== undefined && currentChain() === undefined ? {} : undefined;
      const pending = outcome ? runAsChainStart(outcome, () => record.connection.call(request)) : record.connection.call(request);
      return pending.then(
        (raw) => (unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw),
        (e: unknown) => { throw withCallContext(outcome ? namingWait(e, outcome) : e, record.name, entry.id, fn); },
      );
    };
  }
  // The fast path stays small and flat (it is the whole cost of a ~20 ns guest call); the
  // rest, including every typed error, is in `slow`.
  const slow = (entry: ActorEntry, args: unknown[]): unknown => {
    const request = prepareCall(isClosed(), record, entry, fn, args, shape);
    const raw = direct(request.self, request.args, request);
    return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
  };
  return sync
    ? (entry, args) => {
      try {
        if (args.length !== arity || record.state !== 'running' || entry.state !== 'live' || (lastIsOption && isCallOptions(args[arity - 1]))) return slow(entry, args);
        const raw = direct(entry.local, args);
        return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
      } catch (e) {
        throw withCallContext(e, record.name, entry.id, fn);
      }
    }
    : (entry, args) => {
      try {
        if (args.length !== arity || record.state !== 'running' || entry.state !== 'live' || (lastIsOption && isCallOptions(args[arity - 1]))) return Promise.resolve(slow(entry, args));
        const raw = direct(entry.local, args);
        return Promise.resolve(unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw);
      } catch (e) {
        return Promise.reject(withCallContext(e, record.name, entry.id, fn));
      }
    };
}

/** A timeout or abort of a call that went on through links, naming the hop it waited on. */
function namingWait(e: unknown, outcome: ChainOutcome): unknown {
  const wait = outcome.waitingOn;
  if (!wait || !(isPluginHostError(e, 'ERR_TIMEOUT') || isPluginHostError(e, 'ERR_ABORTED'))) return e;
  const { plugin } = wait;
  return new PluginHostError(e.code, `${e.message} while waiting on plugin ${plugin} (${printChain([...wait.nodes, plugin])})`, {
    cause: e, waitingOn: plugin, ...(e.plugin ? { plugin: e.plugin } : {}), ...(e.method ? { method: e.method } : {}),
  });
}

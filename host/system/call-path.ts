/**
 * The call path of one function on one node, made once per node, function and style
 * (async or sync twin); entries are per call, so a resource type's actors share it.
 * Nodes that run in the host's thread (the `sync` capability) get a direct path: no
 * request object, no Promise inside. Calls with options, or in any unusual state, go
 * through `prepareCall`, which also produces every typed error. Async paths never throw:
 * they return a rejected Promise.
 */
import type { WitFunction } from '../../common/wit/model.js';
import { prepareCall, unwrapResult, withCallContext } from './call.js';
import { returnsResult } from './node-description.js';
import type { CallPath, NodeRecord } from './node-record.js';
import type { ActorEntry } from './registry.js';

export function makeCallPath(record: NodeRecord, fn: WitFunction, sync: boolean, isClosed: () => boolean): CallPath {
  const arity = fn.kind === 'method' ? fn.params.length - 1 : fn.params.length;
  const direct = record.connection.capabilities.sync?.bind(fn);
  const unwrap = returnsResult(fn);
  if (!direct) {
    return (entry, args) => {
      let request;
      try {
        request = prepareCall(isClosed(), record, entry, fn, args);
      } catch (e) {
        return Promise.reject(withCallContext(e, record.name, entry.id, fn));
      }
      return record.connection.call(request).then(
        (raw) => (unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw),
        (e: unknown) => { throw withCallContext(e, record.name, entry.id, fn); },
      );
    };
  }
  // The fast path stays small and flat (it is the whole cost of a ~20 ns guest call); the
  // rest, including every typed error, is in `slow`.
  const slow = (entry: ActorEntry, args: unknown[]): unknown => {
    const request = prepareCall(isClosed(), record, entry, fn, args);
    const raw = direct(request.self, request.args);
    return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
  };
  return sync
    ? (entry, args) => {
      try {
        if (args.length !== arity || record.state !== 'running' || entry.state !== 'live') return slow(entry, args);
        const raw = direct(entry.local, args);
        return unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw;
      } catch (e) {
        throw withCallContext(e, record.name, entry.id, fn);
      }
    }
    : (entry, args) => {
      try {
        if (args.length !== arity || record.state !== 'running' || entry.state !== 'live') return Promise.resolve(slow(entry, args));
        const raw = direct(entry.local, args);
        return Promise.resolve(unwrap ? unwrapResult(fn, raw, record.name, entry.id) : raw);
      } catch (e) {
        return Promise.reject(withCallContext(e, record.name, entry.id, fn));
      }
    };
}

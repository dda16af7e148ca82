/**
 * Per-node limits every transport shares, applied around its `NodeConnection`: live
 * resource actors, calls pending on the node, and the default deadline of a call. What a
 * plugin controls (how many resources it hands out) ends the node when it goes over
 * (`ERR_LIMIT`, a typed termination the restart policy handles); what the host's own
 * callers control (calls in flight) is refused per call.
 */
import { PluginHostError } from '../../common/errors.js';
import { rateLimitedLogger } from '../capabilities/log-rate.js';
import type { Launch, NodeCapabilities, NodeConnection, ResourceBridge } from '../system/node-connection.js';

export interface NodeLimits {
  /** Resource actors of the node alive at once. */
  readonly maxActors: number;
  /** Calls to the node not yet settled; more are refused with ERR_LIMIT. */
  readonly maxPendingCalls: number;
  /** Log records the node may write a second; the excess is dropped (`capabilities/log-rate.ts`). */
  readonly logRecordsPerSecond: number;
  /** The deadline of a call made without a signal or `timeoutMs` (none when undefined). */
  readonly defaultTimeoutMs?: number;
}

export function limitedLaunch(launch: Launch, limits: NodeLimits): Launch {
  return async (context) => {
    const plugin = context.name;
    let actors = 0;
    let pending = 0;
    let breach: PluginHostError | undefined;
    let connection: NodeConnection | undefined;
    const inner = context.bridge;
    const bridge: ResourceBridge = {
      isActorType: (type) => inner.isActorType(type),
      adopt(type, local, route) {
        if (actors >= limits.maxActors) {
          breach ??= new PluginHostError('ERR_LIMIT', `plugin ${plugin} went over its limit of ${limits.maxActors} live resource actors (limits.maxActors)`, { plugin });
          // Ended outside the transport's lifting code, which is still on the stack.
          queueMicrotask(() => connection?.kill());
          throw breach;
        }
        const value = inner.adopt(type, local, route);
        actors++;
        return value;
      },
      ended(value, reason, downAt) {
        actors--;
        inner.ended?.(value, reason, downAt);
      },
      resolve(type, value, own) {
        const local = inner.resolve(type, value, own);
        if (own) actors--;
        return local;
      },
    };
    // The transports write the plugin's log records (host/log, stdio, stderr lines) to the
    // context's logger; the host's own messages about the node go elsewhere.
    const logger = rateLimitedLogger(context.logger, { plugin, recordsPerSecond: limits.logRecordsPerSecond });
    connection = await launch({ ...context, bridge, logger });
    const c = connection;
    const limited: NodeConnection = {
      world: c.world,
      capabilities: withDefaultDeadline(c.capabilities, limits.defaultTimeoutMs),
      terminated: c.terminated.then((reason) => breach ?? reason),
      call(request) {
        if (breach) return Promise.reject(breach);
        if (pending >= limits.maxPendingCalls) {
          return Promise.reject(new PluginHostError('ERR_LIMIT', `plugin ${plugin} has ${pending} calls pending, its limit (limits.maxPendingCalls); the call was not made`, { plugin, method: request.fn.name }));
        }
        pending++;
        const deadline = request.signal === undefined && limits.defaultTimeoutMs !== undefined
          ? { ...request, signal: AbortSignal.timeout(limits.defaultTimeoutMs), deadline: performance.now() + limits.defaultTimeoutMs }
          : request;
        return c.call(deadline).then(
          (value) => { pending--; return value; },
          (e: unknown) => { pending--; throw breach ?? e; },
        );
      },
      drop(local) {
        actors--;
        return c.drop(local);
      },
      close: (options) => c.close(options),
      kill: (signal) => c.kill(signal),
    };
    return limited;
  };
}

/**
 * Synchronous calls made without a budget get the default deadline (a node whose guest can
 * be interrupted stops them at it; see component/interrupt.ts). Without a default, the
 * bound calls are the node's own: nothing is added to the fastest path.
 */
function withDefaultDeadline(capabilities: NodeCapabilities, defaultTimeoutMs: number | undefined): NodeCapabilities {
  const sync = capabilities.sync;
  if (!sync || defaultTimeoutMs === undefined) return capabilities;
  return {
    ...capabilities,
    sync: {
      bind(fn) {
        const direct = sync.bind(fn);
        if (!direct) return undefined;
        return (self, args, budget) => direct(self, args, budget?.signal !== undefined || budget?.deadline !== undefined ? budget : { deadline: performance.now() + defaultTimeoutMs });
      },
    },
  };
}

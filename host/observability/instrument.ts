/**
 * Wraps a call path (host/system/call-path.ts) to count the call in its plugin's metrics
 * and to trace it as one span (plugin, function, actor id; the error code on failure).
 * Applied once per node and function, only when metrics or a tracer are configured.
 *
 * The call runs with its span in the call chain (host/system/call-chain.ts), which the
 * transports carry into the imports the plugin calls meanwhile: a call made through a link
 * finds its caller's span there and becomes its child.
 */
import type { WitFunction } from '../../common/wit/model.js';
import { currentChain, runWithSpan } from '../system/call-chain.js';
import type { CallPath } from '../system/node-record.js';
import { contextWithSpan } from './parent-context.js';
import type { MetricsRegistry } from './plugin-metrics.js';
import { SPAN_ATTRIBUTES, SPAN_KIND_CLIENT, SPAN_STATUS_ERROR, type CallSpan, type CallTracer } from './tracer.js';

export interface Instrumentation {
  readonly metrics?: MetricsRegistry;
  readonly tracer?: CallTracer;
}

export function instrumentCallPath(path: CallPath, plugin: string, fn: WitFunction, with_: Instrumentation): CallPath {
  const meter = with_.metrics?.meter(plugin);
  const counts = meter?.function(fn.name);
  const tracer = with_.tracer;
  const spanName = `${plugin} ${fn.name}`;
  return (entry, args) => {
    let span: CallSpan | undefined;
    if (tracer) {
      const options = {
        kind: SPAN_KIND_CLIENT,
        attributes: {
          [SPAN_ATTRIBUTES.plugin]: plugin, [SPAN_ATTRIBUTES.function]: fn.name, [SPAN_ATTRIBUTES.actorId]: String(entry.id),
          [SPAN_ATTRIBUTES.rpcSystem]: 'plugin-actors', [SPAN_ATTRIBUTES.rpcMethod]: fn.name,
        },
      };
      const caller = currentChain()?.span as CallSpan | undefined;
      span = caller ? tracer.startSpan(spanName, options, contextWithSpan(caller)) : tracer.startSpan(spanName, options);
    }
    if (meter) { meter.calls++; meter.pending++; counts!.calls++; }
    const start = performance.now();
    const settle = (error?: unknown, failed = false) => {
      let code: string | undefined;
      if (meter) {
        meter.pending--;
        meter.latency.record(performance.now() - start);
        if (failed) code = meter.failed(counts!, error);
      }
      if (span) {
        if (failed) {
          span.setAttribute(SPAN_ATTRIBUTES.errorCode, code ?? (error as { code?: string })?.code ?? 'ERR_UNKNOWN');
          span.setStatus({ code: SPAN_STATUS_ERROR, message: (error as Error)?.message ?? String(error) });
          if (error instanceof Error) span.recordException(error);
        }
        span.end();
      }
    };
    let out: unknown;
    try {
      out = span ? runWithSpan(span, () => path(entry, args)) : path(entry, args);
    } catch (e) {
      settle(e, true);
      throw e;
    }
    if (out instanceof Promise) return out.then((v: unknown) => { settle(); return v; }, (e: unknown) => { settle(e, true); throw e; });
    settle();
    return out;
  };
}

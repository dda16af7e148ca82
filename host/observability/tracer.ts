/**
 * Tracing hooks shaped like OpenTelemetry's API, so `trace.getTracer('my-app')` from
 * `@opentelemetry/api` can be passed as it is (an optional peer dependency: this library
 * never imports it). Only the members used here are declared.
 */

/** The subset of OpenTelemetry's `Span` a call span uses. */
export interface CallSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** `code` 2 is OpenTelemetry's `SpanStatusCode.ERROR`. */
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): unknown;
  end(): void;
}

/** The subset of OpenTelemetry's `Tracer`: `startSpan(name, { kind, attributes })` (parented on the active context). */
export interface CallTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: Record<string, string | number | boolean> }): CallSpan;
}

/** OpenTelemetry's `SpanKind.CLIENT`: the host calls out to a plugin. */
export const SPAN_KIND_CLIENT = 2;
/** OpenTelemetry's `SpanStatusCode.ERROR`. */
export const SPAN_STATUS_ERROR = 2;

/** The attribute names of a call span. */
export const SPAN_ATTRIBUTES = {
  plugin: 'plugin_actors.plugin',
  function: 'plugin_actors.function',
  actorId: 'plugin_actors.actor_id',
  errorCode: 'plugin_actors.error_code',
  rpcSystem: 'rpc.system',
  rpcMethod: 'rpc.method',
} as const;

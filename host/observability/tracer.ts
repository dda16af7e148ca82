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

/** OpenTelemetry's `Context` (immutable key-value map); a linked call's span is started in one holding its caller's span. */
export interface SpanParentContext {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): SpanParentContext;
  deleteValue(key: symbol): SpanParentContext;
}

/**
 * The subset of OpenTelemetry's `Tracer`: `startSpan(name, { kind, attributes }, context?)`.
 * A call made by the application is parented on the active context (no `context`); a call
 * a plugin makes through a link gets a context whose span is the calling plugin's span.
 */
export interface CallTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: Record<string, string | number | boolean> }, context?: SpanParentContext): CallSpan;
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

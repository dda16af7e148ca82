/**
 * The parent context of a linked call's span, without importing `@opentelemetry/api`:
 * OpenTelemetry finds a context's span under the key `createContextKey('OpenTelemetry
 * Context Key SPAN')`, which is `Symbol.for(…)` so that separate copies of the API agree on
 * it; `trace.getSpan(context)` reads that key. A context holding only the caller's span is
 * enough for the tracer to make the new span its child (same trace, parent span id).
 */
import type { CallSpan, SpanParentContext } from './tracer.js';

export const OTEL_SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

class ParentContext implements SpanParentContext {
  constructor(private readonly values: ReadonlyMap<symbol, unknown>) {}

  getValue(key: symbol): unknown {
    return this.values.get(key);
  }

  setValue(key: symbol, value: unknown): SpanParentContext {
    return new ParentContext(new Map(this.values).set(key, value));
  }

  deleteValue(key: symbol): SpanParentContext {
    const values = new Map(this.values);
    values.delete(key);
    return new ParentContext(values);
  }
}

/** A context whose active span is `span`. */
export function contextWithSpan(span: CallSpan): SpanParentContext {
  return new ParentContext(new Map([[OTEL_SPAN_KEY, span]]));
}

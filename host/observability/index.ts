// Observability: per-plugin metrics and OpenTelemetry-shaped tracing of calls.
export { MetricsRegistry, type PluginMetrics } from './plugin-metrics.js';
export { LATENCY_BUCKETS_MS, latencyQuantile, type LatencyHistogram } from './latency-histogram.js';
export { SPAN_ATTRIBUTES, type CallSpan, type CallTracer } from './tracer.js';
export { instrumentCallPath, type Instrumentation } from './instrument.js';

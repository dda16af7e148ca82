// Per-plugin metrics and OpenTelemetry tracing of calls, over inline wasm (async and sync
// twin) and a process plugin, with a real OpenTelemetry SDK collecting the spans.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, latencyQuantile } from '../../../host/index.js';
import type { GreeterApi } from '../../../examples/greeter/api.js';
import { greeterSpecs, recordingLogger } from '../../helpers.js';

describe('metrics', () => {
  let system: ActorSystem;
  beforeAll(() => { system = new ActorSystem({ logger: recordingLogger(), metrics: true }); });
  afterAll(() => system.close());

  it('counts calls, errors by code, latency and functions of a wasm plugin, sync twin included', async () => {
    const node = await system.load({ name: 'm-wasm', ...greeterSpecs.wasm });
    expect(system.metrics('m-wasm')).toBeUndefined();
    const api = node.exports<GreeterApi>('example:greeter/api');
    await api.greet('a');
    await api.greet('b');
    await expect(api.words('')).rejects.toMatchObject({ code: 'ERR_RESULT' });
    await expect(api.greet(1 as never)).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT' });
    expect(system.sync(api).greet('c')).toBe('Hello, c!');
    const counter = await api.Counter.create(1);
    await counter.increment(1);
    const m = system.metrics('m-wasm')!;
    expect(m).toMatchObject({ plugin: 'm-wasm', calls: 7, pending: 0, restarts: 0, errors: { ERR_RESULT: 1, ERR_BAD_ARGUMENT: 1 } });
    expect(m.functions).toEqual({ greet: { calls: 4, errors: 1 }, words: { calls: 1, errors: 1 }, '[constructor]counter': { calls: 1, errors: 0 }, '[method]counter.increment': { calls: 1, errors: 0 } });
    expect(m.latency.count).toBe(7);
    expect(m.latency.counts.reduce((a, b) => a + b, 0)).toBe(7);
    expect(m.latency.sumMs).toBeGreaterThan(0);
    expect(latencyQuantile(m.latency, 0.5)).toBeDefined();
    expect(m.memoryBytes).toBeGreaterThan(0);
    expect(system.allMetrics().map((x) => x.plugin)).toContain('m-wasm');
  });

  it('counts pending calls and restarts of a process plugin', async () => {
    const node = await system.load({ name: 'm-proc', ...greeterSpecs.process, restart: { policy: 'permanent', waitForRestart: true } });
    const api = node.exports<GreeterApi>('example:greeter/api');
    const inFlight = [api.greet('x'), api.greet('y')];
    expect(system.metrics('m-proc')).toMatchObject({ calls: 2, pending: 2 });
    await Promise.all(inFlight);
    expect(system.metrics('m-proc')).toMatchObject({ calls: 2, pending: 0 });
    const restarted = new Promise((r) => system.once('restarted', r));
    node.kill('SIGKILL');
    await restarted;
    expect(await api.greet('z')).toBe('Hello, z!');
    expect(system.metrics('m-proc')).toMatchObject({ calls: 3, pending: 0, restarts: 1 });
  });

  it('are refused on a system without them, and the options are checked', async () => {
    await using plain = new ActorSystem({ logger: recordingLogger() });
    expect(() => plain.metrics('x')).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED' }));
    expect(plain.allMetrics()).toEqual([]);
    expect(() => new ActorSystem({ metrics: 'yes' as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => new ActorSystem({ tracer: {} as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

describe('tracing with OpenTelemetry', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let system: ActorSystem;
  beforeAll(() => { system = new ActorSystem({ logger: recordingLogger(), tracer: provider.getTracer('plugin-actors-test') }); });
  afterAll(() => system.close());

  it('makes one client span per call with plugin, function and actor id; failures carry the code and ERROR status', async () => {
    const node = await system.load({ name: 't-proc', ...greeterSpecs.process });
    const api = node.exports<GreeterApi>('example:greeter/api');
    await api.greet('a');
    await expect(api.words('')).rejects.toMatchObject({ code: 'ERR_RESULT' });
    const counter = await api.Counter.create(3);
    await counter.get();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['t-proc greet', 't-proc words', 't-proc [constructor]counter', 't-proc [method]counter.get']);
    expect(spans[0]!.attributes).toEqual({
      'plugin_actors.plugin': 't-proc', 'plugin_actors.function': 'greet', 'plugin_actors.actor_id': 't-proc@1/0', 'rpc.system': 'plugin-actors', 'rpc.method': 'greet',
    });
    expect(spans[0]!.kind).toBe(2);
    expect(spans[0]!.status.code).toBe(0);
    expect(spans[1]!.attributes['plugin_actors.error_code']).toBe('ERR_RESULT');
    expect(spans[1]!.status).toMatchObject({ code: 2 });
    expect(spans[1]!.events.map((e) => e.name)).toEqual(['exception']);
    expect(spans[3]!.attributes['plugin_actors.actor_id']).toMatch(/^t-proc@1\/[1-9]\d*$/);
  });

  it('ends a span when its call settles, not when it is made', async () => {
    exporter.reset();
    const node = await system.load({ name: 't-wasm', ...greeterSpecs.worker });
    const api = node.exports<GreeterApi>('example:greeter/api');
    const call = api.greet('q');
    expect(exporter.getFinishedSpans()).toEqual([]);
    await call;
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['t-wasm greet']);
  });
});

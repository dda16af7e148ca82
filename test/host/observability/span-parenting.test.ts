// Span parenting across links: a call a plugin makes through a link is traced as a child of
// the span of the call it serves, for each transport pairing, with a real OpenTelemetry SDK.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { FRONT, STORE, frontSpec, relaySpec, storeSpec, type Front, type Kind } from '../linking/links-fixture.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let system: ActorSystem;
beforeAll(() => { system = new ActorSystem({ logger: recordingLogger(), tracer: provider.getTracer('span-parenting') }); });
afterAll(() => system.close());

const byName = (spans: readonly ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

function expectChild(child: ReadableSpan, parent: ReadableSpan): void {
  expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
}

describe('a linked call\'s span', () => {
  const pairings: [Kind, Kind][] = [['worker', 'process'], ['process', 'process'], ['process', 'worker'], ['worker', 'worker']];
  it.each(pairings)('is a child of the caller\'s (front %s, store %s), with plugin, function and actor id', async (frontKind, storeKind) => {
    const tag = `${frontKind}-${storeKind}`;
    const store = await system.load(storeSpec(`store-${tag}`, storeKind));
    const front = await system.load(frontSpec(`front-${tag}`, frontKind, store.exports(STORE)));
    exporter.reset();
    expect(await front.exports<Front>(FRONT).add(2, 3)).toBe(5);
    const spans = exporter.getFinishedSpans();
    const outer = byName(spans, `front-${tag} add`);
    const inner = byName(spans, `store-${tag} add`);
    expect(outer.parentSpanContext).toBeUndefined();
    expectChild(inner, outer);
    expect(inner.attributes).toMatchObject({ 'plugin_actors.plugin': `store-${tag}`, 'plugin_actors.function': 'add', 'plugin_actors.actor_id': expect.stringMatching(new RegExp(`^store-${tag}@1/0$`)) });
  });

  it('nests along a chain of three plugins, and calls made one after another are siblings, not nested', async () => {
    const store = await system.load(storeSpec('store-chain', 'process'));
    const relay = await system.load(relaySpec('relay-chain', store.exports(STORE)));
    const front = await system.load(frontSpec('front-chain', 'worker', relay.exports(STORE)));
    exporter.reset();
    const api = front.exports<Front>(FRONT);
    await api.add(1, 1);
    await api.add(2, 2);
    const spans = exporter.getFinishedSpans();
    const fronts = spans.filter((s) => s.name === 'front-chain add');
    const relays = spans.filter((s) => s.name === 'relay-chain add');
    const stores = spans.filter((s) => s.name === 'store-chain add');
    expect([fronts.length, relays.length, stores.length]).toEqual([2, 2, 2]);
    for (let i = 0; i < 2; i++) {
      expect(fronts[i]!.parentSpanContext).toBeUndefined();
      expectChild(relays[i]!, fronts[i]!);
      expectChild(stores[i]!, relays[i]!);
    }
    expect(fronts[0]!.spanContext().traceId).not.toBe(fronts[1]!.spanContext().traceId);
  });
});

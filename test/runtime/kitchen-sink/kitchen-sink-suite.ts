// Every WIT type through AssemblyScript bindings, both directions, property-based: the
// host sends random values to the guest's `echo` exports, and through `relay`, which passes
// them on to the host's `host` imports and back. Every value must come back exactly.
// kitchen-sink.test.ts runs it inline and in a worker; test/host/remote/ through a runner.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode } from '../../../host/index.js';
import { recordingLogger } from '../../helpers.js';
import { arbitraryFor } from '../../support/arbitrary.js';
import { call, echoFunctions, many, type Api } from './calls.js';
import { kitchenSinkHost } from './host-impl.js';

/** Loads the kitchen sink some other way (through a remote node), for the same suite. */
export interface KitchenSinkLoader {
  readonly label: string;
  readonly runs: number;
  load(system: ActorSystem): Promise<PluginNode>;
  close?(): Promise<void>;
}

/**
 * The same suite inline and in a worker (with fewer random values: each worker call is a
 * thread round trip): a component that works inline works in a worker, host resources and
 * all. With a `loader`, the same again through whatever it loads.
 */
export function kitchenSinkSuite(language: string, wasm: string, isolation: 'inline' | 'worker' = 'inline', loader?: KitchenSinkLoader): void {
  const RUNS = loader ? loader.runs : isolation === 'inline' ? 2000 : 300;
  describe(`kitchen sink in ${language} (${loader?.label ?? isolation})`, () => {
    let system: ActorSystem;
    let node: PluginNode;
    let echo: Api;
    let relay: Api;

    beforeAll(async () => {
      system = new ActorSystem({ logger: recordingLogger() });
      node = loader ? await loader.load(system) : await system.load({ name: `kitchen-sink-${language}`, wasm, imports: await kitchenSinkHost(), isolation });
      echo = node.exports<Api>('plugin-actors:kitchen-sink/echo') as unknown as Api;
      relay = node.exports<Api>('plugin-actors:kitchen-sink/relay') as unknown as Api;
    });
    afterAll(async () => {
      await system.close();
      await loader?.close?.();
    });

    describe.each([['echo', () => echo], ['relay', () => relay]] as const)('%s', (_, api) => {
      it.each(echoFunctions.map((f) => [f.name, f] as const))('%s round-trips random values exactly', async (_name, f) => {
        const type = f.params[0]!.type;
        await fc.assert(fc.asyncProperty(arbitraryFor(type, { maxLength: 12 }), async (value) => {
          expect(await call(api(), f, [value])).toEqual(value);
        }), { numRuns: RUNS });
      });

      it('passes more than 16 flat parameters and returns a result of many values', async () => {
        await fc.assert(fc.asyncProperty(fc.tuple(...many.params.map((p) => arbitraryFor(p.type))), async (args) => {
          expect(await call(api(), many, args)).toEqual(args);
        }), { numRuns: RUNS / 4 });
      });

      it('round-trips edge strings: empty, non-ASCII, 1 MiB', async () => {
        const big = 'ab☃🌍'.repeat(1 << 17);
        for (const s of ['', 'é', '\u{10ffff}', '\0', big]) expect(await api().ofString!(s)).toBe(s);
        const bytes = new Uint8Array(1 << 20).map((_, i) => i * 7);
        const back = await api().ofListU8!(bytes) as Uint8Array;
        // Compared as bytes: a deep toEqual of 1 MiB element by element takes seconds.
        expect(back).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(back.buffer, back.byteOffset, back.byteLength).equals(bytes)).toBe(true);
      });

      it('round-trips NaN, infinities and negative zero', async () => {
        for (const x of [NaN, Infinity, -Infinity, -0, 3.4028234663852886e38, 1.401298464324817e-45]) {
          expect(Object.is(await api().ofF32!(x), x)).toBe(true);
          expect(Object.is(await api().ofF64!(x), x)).toBe(true);
        }
        expect(Object.is(await api().ofF64!(Number.MIN_VALUE), Number.MIN_VALUE)).toBe(true);
      });
    });

    it('spawns, calls, borrows, moves and drops guest resources', async () => {
      type Blob = { data(): Promise<Uint8Array>; append(b: Uint8Array): Promise<void>; size(): Promise<number>; [Symbol.asyncDispose](): Promise<void> };
      const ns = echo.Blob as unknown as { create(b: Uint8Array): Promise<Blob>; merge(a: Blob, b: Blob): Promise<Blob> };
      const a = await ns.create(new Uint8Array([1, 2]));
      await a.append(new Uint8Array([3]));
      expect(await a.data()).toEqual(new Uint8Array([1, 2, 3]));
      const b = await (echo.makeBlob as (x: Uint8Array) => Promise<Blob>)(new Uint8Array([9]));
      const merged = await ns.merge(a, b);
      expect(await merged.data()).toEqual(new Uint8Array([1, 2, 3, 9]));
      expect(await (echo.blobSize as (x: Blob) => Promise<number>)(merged)).toBe(4);
      const passed = await (echo.passBlob as (x: Blob) => Promise<Blob>)(b);
      await expect(b.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
      expect(await passed.size()).toBe(1);
      expect(await (echo.consumeBlob as (x: Blob) => Promise<Uint8Array>)(passed)).toEqual(new Uint8Array([9]));
      await expect(passed.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
      for (const r of [a, merged]) await r[Symbol.asyncDispose]();
    });

    it('refuses to lend and give away the same resource in one call, before the guest runs', async () => {
      type Blob = { size(): Promise<number>; [Symbol.asyncDispose](): Promise<void> };
      const ns = echo.Blob as unknown as { create(b: Uint8Array): Promise<Blob> };
      const absorb = echo.absorb as (target: Blob, source: Blob) => Promise<number>;
      const a = await ns.create(new Uint8Array([1, 2]));
      const b = await ns.create(new Uint8Array([3]));
      await expect(absorb(a, a)).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT', message: expect.stringMatching(/also lent to the same call/) });
      expect(await a.size()).toBe(2);
      expect(await absorb(a, b)).toBe(3);
      await expect(b.size()).rejects.toMatchObject({ code: 'ERR_ACTOR_STOPPED' });
      await a[Symbol.asyncDispose]();
    });

    it('uses host resources from the guest: constructor, methods, owned results, borrows, drops', async () => {
      await fc.assert(fc.asyncProperty(fc.nat(1000), fc.array(fc.nat(1000), { maxLength: 20 }), async (start, values) => {
        expect(await (relay.tallySum as (s: number, v: Uint32Array) => Promise<number>)(start, Uint32Array.from(values)))
          .toBe(values.reduce((s, v) => s + v, start));
      }), { numRuns: 200 });
    });

    // The host reads guest memory only inline (worker plugins have no memory capability yet).
    if (isolation === 'inline' && !loader) it('keeps guest memory flat over 100,000 calls passing strings, lists and resources', async () => {
      const round = async (i: number) => {
        await (echo.ofString as (s: string) => Promise<string>)(`value ${i} ☃`);
        await (echo.ofListString as (s: string[]) => Promise<string[]>)(['a', 'bb', `${i}`]);
        await (echo.ofListU32 as (s: Uint32Array) => Promise<Uint32Array>)(new Uint32Array([i, i + 1, i + 2]));
        await (relay.ofString as (s: string) => Promise<string>)(`relay ${i}`);
        const blob = await (echo.makeBlob as (x: Uint8Array) => Promise<{ size(): Promise<number>; [Symbol.asyncDispose](): Promise<void> }>)(new Uint8Array([1, 2, 3]));
        await blob.size();
        await blob[Symbol.asyncDispose]();
      };
      for (let i = 0; i < 5_000; i++) await round(i);
      const before = node.memoryBytes!;
      for (let i = 0; i < 100_000; i += 5) await round(i);
      expect(node.memoryBytes).toBe(before);
    }, 120_000);
  });
}


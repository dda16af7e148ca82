// The persistent component cache (`cacheDir`): a fresh process reuses the glue an earlier one
// generated, and a damaged, stale or foreign entry is never used but rebuilt.
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../host/index.js';
import { clearCompiledCache, sha256 } from '../../../host/transports/component/compiled-cache.js';
import { parseComponent } from '../../../host/component/binary/parse.js';
import { readEntry, writeEntry } from '../../../host/transports/component/persistent-cache.js';
import { greeterSpecs, recordingLogger, root } from '../../helpers.js';
import { arbitraryFor } from '../../support/arbitrary.js';
import { call, echoFunctions, type Api } from '../../runtime/kitchen-sink/calls.js';
import { kitchenSinkHost } from '../../runtime/kitchen-sink/host-impl.js';

const kitchenSink = root('test/runtime/kitchen-sink/assemblyscript/build/kitchen-sink.wasm');
const digestOf = async (path: string) => sha256(await readFile(path));

let dir: string;
let system: ActorSystem | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugin-actors-glue-'));
  clearCompiledCache();
});
afterEach(async () => {
  await system?.close();
  system = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Loads the kitchen sink as a fresh process would (nothing compiled yet) and returns its log. */
async function loadFresh(cacheDir = dir) {
  clearCompiledCache();
  await system?.close();
  const logger = recordingLogger();
  system = new ActorSystem({ logger, cacheDir });
  const node = await system.load({ name: 'kitchen-sink', wasm: kitchenSink, imports: await kitchenSinkHost() });
  const cacheLog = () => logger.records.filter((r) => r.message.startsWith('component cache')).map((r) => r.message);
  return { node, cacheLog };
}

describe('persistent component cache', () => {
  it('writes one entry per component, and a fresh process loads from it without generating glue', async () => {
    const first = await loadFresh();
    expect(first.cacheLog()).toEqual([expect.stringMatching(/^component cache miss/), expect.stringMatching(/^component cache wrote \d+ templates/)]);
    const digest = await digestOf(kitchenSink);
    expect(await readdir(dir)).toEqual([`${digest}.json`]);

    const second = await loadFresh();
    // A hit that covers every call site: nothing new is generated, so nothing is written.
    expect(second.cacheLog()).toEqual([expect.stringMatching(/^component cache hit/)]);
    const echo = second.node.exports<Api>('plugin-actors:kitchen-sink/echo') as unknown as Api;
    for (const f of echoFunctions) {
      await fc.assert(fc.asyncProperty(arbitraryFor(f.params[0]!.type, { maxLength: 6 }), async (value) => {
        expect(await call(echo, f, [value])).toEqual(value);
      }), { numRuns: 30 });
    }
  });

  it.each([
    ['not valid JSON', (text: string) => `#${text.slice(1)}`],
    ['checksum mismatch', (text: string) => text.replace(/"source":"/, '"source":"throw 1;')],
    ['checksum mismatch', (text: string) => text.slice(0, text.length - 100)],
    ['written by runtime', (text: string) => text.replace(/"runtime":"[^"]*"/, '"runtime":"0.0.0-other"')],
    ['unknown format', (text: string) => text.replace(/"format":"[^"]*"/, '"format":"other/9"')],
  ])('discards an entry that is %s, loads correctly and rewrites it', async (why, damage) => {
    await loadFresh();
    const file = join(dir, `${await digestOf(kitchenSink)}.json`);
    const good = await readFile(file, 'utf8');
    await writeFile(file, damage(good));

    const again = await loadFresh();
    expect(again.cacheLog()).toEqual([
      expect.stringContaining(`component cache corrupt`), expect.stringMatching(/^component cache wrote/),
    ]);
    expect(again.cacheLog()[0]).toContain(why);
    expect(await (again.node.exports<Api>('plugin-actors:kitchen-sink/echo') as unknown as Api).ofString('still right')).toBe('still right');
    expect(await readFile(file, 'utf8')).toBe(good);
  });

  it('stores the parsed definitions exactly, core modules as ranges of the component', async () => {
    await loadFresh();
    const bytes = await readFile(kitchenSink);
    const hit = await readEntry(dir, await digestOf(kitchenSink), bytes);
    if (hit.status !== 'hit') throw new Error('expected a cache hit');
    expect(hit.definitions).toStrictEqual(parseComponent(bytes));
  });

  it('does not use an entry made for other bytes', async () => {
    await loadFresh();
    const digest = await digestOf(kitchenSink);
    const greeter = await digestOf(greeterSpecs.wasm.wasm);
    await writeFile(join(dir, `${greeter}.json`), await readFile(join(dir, `${digest}.json`)));
    expect(await readEntry(dir, greeter, await readFile(greeterSpecs.wasm.wasm))).toEqual({ status: 'corrupt', why: 'written for other bytes' });
  });

  it('never fails a load when the directory cannot be written', async () => {
    const notADirectory = join(dir, 'file');
    await writeFile(notADirectory, 'x');
    const { node, cacheLog } = await loadFresh(notADirectory);
    expect(cacheLog()).toEqual([expect.stringMatching(/^component cache miss/), expect.stringMatching(/^component cache could not write/)]);
    expect(await (node.exports<Api>('plugin-actors:kitchen-sink/echo') as unknown as Api).ofU8(7)).toBe(7);
  });

  it('leaves one whole entry and no temporary files when many writers race', async () => {
    await loadFresh();
    const digest = await digestOf(kitchenSink);
    const bytes = await readFile(kitchenSink);
    const hit = await readEntry(dir, digest, bytes);
    if (hit.status !== 'hit') throw new Error('expected a cache hit');
    await Promise.all(Array.from({ length: 24 }, () => writeEntry(dir, digest, hit.definitions, hit.templates)));
    expect(await readdir(dir)).toEqual([`${digest}.json`]);
    expect(await readEntry(dir, digest, bytes)).toMatchObject({ status: 'hit' });
  });

  it('works with worker isolation: the worker\'s glue is written, and a later worker starts from it', async () => {
    const start = async () => {
      clearCompiledCache();
      await system?.close();
      const logger = recordingLogger();
      system = new ActorSystem({ logger, cacheDir: dir });
      const node = await system.load({ name: 'greeter', ...greeterSpecs.worker });
      expect(await node.exports<{ greet(n: string): Promise<string> }>().greet('cache')).toMatch(/cache/);
      return logger.records.filter((r) => r.message.startsWith('component cache')).map((r) => r.message);
    };
    expect(await start()).toEqual([expect.stringMatching(/^component cache miss/), expect.stringMatching(/^component cache wrote/)]);
    expect(await start()).toEqual([expect.stringMatching(/^component cache hit/)]);
  });

  it('rejects a cacheDir that is not a path', () => {
    expect(() => new ActorSystem({ cacheDir: 42 as unknown as string })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

// limits.maxValueBytes: one string or list a wasm guest hands the host is refused with
// ERR_LIMIT when it spans more bytes than the limit — checked on its length before anything
// is decoded or copied — and the host keeps serving its other plugins.
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { greeterSpecs, recordingLogger, root, hostRejection } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

const MiB = 1 << 20;
interface Hog { huge(len: number): Promise<string>; grow(pages: number): Promise<number> }
let hog: Uint8Array;
beforeAll(async () => { hog = await componentFromWat(root('test/fixtures/security/hog.wat'), root('test/fixtures/security/hog.wit'), 'hog'); });

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

describe.each(['inline', 'worker'] as const)('maxValueBytes for a %s wasm plugin', (isolation) => {
  it('a result string above the limit is ERR_LIMIT; one at the limit is lifted', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'huge', wasm: hog, isolation, limits: { memoryBytes: 4 * MiB, maxValueBytes: MiB } });
    const api = node.exports<Hog>();
    // Grow the memory so that the over-limit string lies inside it: only the value limit refuses it.
    expect(await api.grow(63)).toBe(1);
    expect(await api.huge(MiB)).toHaveLength(MiB);
    const e = await hostRejection(api.huge(MiB + 1));
    expect(e).toMatchObject({ code: 'ERR_LIMIT' });
    expect(e.message).toMatch(/maxValueBytes/);
    const other = await system.load({ name: 'other', ...greeterSpecs.wasm });
    expect(await other.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('up')).toMatch(/up/);
  });

  it('the default (64 MiB) refuses a larger string without any option', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const api = (await system.load({ name: 'default', wasm: hog, isolation })).exports<Hog>();
    expect(await api.grow(1040)).toBe(1);
    expect(await hostRejection(api.huge(64 * MiB + 1))).toMatchObject({ code: 'ERR_LIMIT' });
  });
});

describe('maxValueBytes as an option', () => {
  it('must be a positive whole number, and applies to wasm plugins only', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    for (const maxValueBytes of [0, -1, 1.5, 'big']) {
      expect(await hostRejection(system.load({ name: 'v', wasm: hog, limits: { maxValueBytes } } as never))).toMatchObject({ code: 'ERR_INVALID_OPTION' });
    }
    expect(await hostRejection(system.load({ name: 'p', command: [process.execPath, '-e', ''], limits: { maxValueBytes: 1 } } as never))).toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

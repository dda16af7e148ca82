// Regression (issue 9): a resource that a second exported interface re-exports through
// `use` kept one description per type, and the last interface described won, so its
// actors had no methods and its interface no constructor.
import { afterEach, describe, expect, it } from 'vitest';
import { ActorSystem } from '../../../../host/index.js';
import { recordingLogger, root } from '../../../helpers.js';

interface Thing { label(): Promise<string> }
interface Things { Thing: { create(label: string): Promise<Thing> } }
interface Factory { make(label: string): Promise<Thing>; describe(t: Thing): Promise<string> }

const wasm = root('test/fixtures/reexported-resource/assemblyscript/build/reexport.wasm');
let system: ActorSystem | undefined;
afterEach(() => system?.close());

describe.each([['inline', {}], ['worker', { isolation: 'worker' as const }]])('a `use`-re-exported resource (%s)', (_name, isolation) => {
  it('keeps its methods when the re-exporting interface hands it out', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'reexport', wasm, ...isolation });
    const thing = await node.exports<Factory>('test:reexport/factory').make('from factory');
    expect(await thing.label()).toBe('from factory');
    expect(await node.exports<Factory>('test:reexport/factory').describe(thing)).toBe('thing from factory');
  });

  it('keeps the constructor in the defining interface', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'reexport', wasm, ...isolation });
    const thing = await node.exports<Things>('test:reexport/things').Thing.create('constructed');
    expect(await thing.label()).toBe('constructed');
  });
});

// Issue 9, point 5: a jco user's import object moves over unchanged — world-level functions
// and resources as `{ default }`, an interface as a class instance, resource classes with
// inherited methods — and no name is ever satisfied by Object.prototype or Function.prototype.
// Each component is also run through jco's own transpiler with the very same object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode } from '../../../host/index.js';
import { recordingLogger, root } from '../../helpers.js';
import { instantiateWithJco } from '../../support/jco-instance.js';
import { componentFromWat } from '../../support/wat-component.js';

const jcoImportsWasm = root('test/fixtures/jco-imports/assemblyscript/build/jco-imports.wasm');
const HOST = 'test:jco-imports/host';

interface Calls {
  decorated(n: number): Promise<number>;
  widgetGet(start: number): Promise<number>;
  widgetText(start: number): Promise<string>;
  widgetValue(start: number): Promise<number>;
  widgetApply(n: number): Promise<number>;
  hostText(): Promise<string>;
  hostHas(key: string): Promise<boolean>;
  hostValue(): Promise<number>;
  hostConstructor(): Promise<number>;
  hostPick(a: number): Promise<number>;
}

class Counted {
  constructor(protected n: number) {}
  get(): number { return this.n; }
}

/** A host resource as a class: `get` is inherited, the others are named like built-ins. */
class Widget extends Counted {
  override toString(): string { return `widget ${this.n}`; }
  override valueOf(): number { return this.n * 2; }
  static override apply(n: number): number { return n + 100; }
}

/**
 * The interface as a class instance: every function a method on its prototype. (jco calls
 * them without `this`, so they do not use it; here `this` would be the instance.)
 */
class Host {
  readonly Widget = Widget;
  toString(): string { return 'host'; }
  hasOwnProperty(key: PropertyKey): boolean { return key === 'widget'; }
  valueOf(): number { return 7; }
  pick(a: number, b?: number): number { return b ?? a; }
}

/** A class cannot have a method named `constructor`: the instance gets its own. */
const hostObject = () => Object.assign(new Host(), { constructor: () => 9 });

/** `hostObject()` whose `pick` records the arguments it gets. */
function recordingHost() {
  const picks: unknown[][] = [];
  return Object.assign(hostObject(), { picks, pick: (...args: unknown[]) => { picks.push(args); return (args[1] ?? args[0]) as number; } });
}

const jcoImports = (host: object = hostObject()) => ({ decorate: { default: (n: number) => n * 10 }, [HOST]: host });

/** What every call of the `calls` interface returns with `hostObject()`. */
async function callEverything(calls: { [K in keyof Calls]: (...a: never[]) => unknown }) {
  const c = calls as unknown as Record<keyof Calls, (...a: unknown[]) => unknown>;
  return Promise.all([
    c.decorated(4), c.widgetGet(3), c.widgetText(3), c.widgetValue(3), c.widgetApply(1),
    c.hostText(), c.hostHas('widget'), c.hostValue(), c.hostConstructor(), c.hostPick(5),
  ]);
}
const everything = [40, 3, 'widget 3', 6, 101, 'host', true, 7, 9, 5];

describe.each(['inline', 'worker'] as const)('jco import objects (%s wasm)', (isolation) => {
  const system = new ActorSystem({ logger: recordingLogger() });
  afterAll(() => system.close());
  let loads = 0;
  const load = (imports: Record<string, unknown>) => system.load({ name: `jco-imports-${isolation}-${loads++}`, wasm: jcoImportsWasm, imports, isolation });
  const calls = (node: PluginNode) => node.exports<Calls>('test:jco-imports/calls');

  it('takes a world-level function as `{ default }` or bare, an interface as a class instance, a resource class with inherited methods', async () => {
    expect(await callEverything(calls(await load(jcoImports())))).toEqual(everything);
    const bare = await load({ ...jcoImports(), decorate: (n: number) => n + 1 });
    expect(await calls(bare).decorated(4)).toBe(5);
  });

  it('calls a host function with `none` for its trailing option as undefined', async () => {
    const host = recordingHost();
    await calls(await load(jcoImports(host))).hostPick(5);
    expect(host.picks).toEqual([[5, undefined]]);
  });

  it.each([
    ['toString', 'to-string'], ['hasOwnProperty', 'has-own-property'], ['valueOf', 'value-of'], ['constructor', 'constructor'],
  ])('refuses to load when only the built-in %s is there for %s', async (key, witName) => {
    const plain: Record<string, unknown> = { Widget, toString: () => 'h', hasOwnProperty: () => true, valueOf: () => 1, constructor: () => 2, pick: (a: number) => a };
    delete plain[key];
    await expect(load(jcoImports(plain))).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringContaining(`${HOST}#${witName}`) });
  });

  it('never takes a class for an import named `constructor` (the instance\'s constructor link)', async () => {
    await expect(load(jcoImports(new Host()))).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringContaining(`${HOST}#constructor`) });
  });

  it('refuses a resource static that only Function.prototype has', async () => {
    class NoStatics extends Counted {}
    await expect(load(jcoImports(Object.assign(hostObject(), { Widget: NoStatics }))))
      .rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringContaining('Widget.apply') });
  });

  it('never calls the built-in for a resource method the class does not define', async () => {
    class Plain extends Counted { static override apply(n: number) { return n; } }
    const node = await load(jcoImports(Object.assign(hostObject(), { Widget: Plain })));
    await expect(calls(node).widgetText(1)).rejects.toMatchObject({ code: 'ERR_TRAPPED', message: expect.stringMatching(/no method `toString`/) });
  });

  it('refuses a world-level function given as anything but a function or `{ default: function }`', async () => {
    await expect(load({ ...jcoImports(), decorate: { default: 'no' } })).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringMatching(/decorate/) });
  });
});

describe('jco import objects against jco itself', () => {
  it('give the same results with the same import object', async () => {
    const { readFile } = await import('node:fs/promises');
    const jco = await instantiateWithJco(new Uint8Array(await readFile(jcoImportsWasm)), { ...jcoImports(), 'plugin-actors:host/log': { log() {} } });
    const theirs = (jco as { calls: Record<string, (...a: unknown[]) => unknown> }).calls;
    const sync = Object.fromEntries(Object.entries(theirs).map(([k, f]) => [k, (...a: unknown[]) => Promise.resolve(f(...a))]));
    expect(await callEverything(sync as never)).toEqual(everything);
  });
});

class Thing {
  constructor(private n: number) {}
  value(): number { return this.n + 1; }
  static make(n: number): Thing { return new Thing(n * 2); }
}
interface ThingWorld { thingValue(n: number): Promise<number>; madeValue(n: number): Promise<number> }
const worldResource = () => componentFromWat(root('test/fixtures/jco-imports/world-resource.wat'), root('test/fixtures/jco-imports/world.wit'), 'world-resource');

describe.each(['inline', 'worker'] as const)('a world-level imported resource given as a class (%s wasm)', (isolation) => {
  const system = new ActorSystem({ logger: recordingLogger() });
  afterAll(() => system.close());
  let wasm: Uint8Array;
  beforeAll(async () => { wasm = await worldResource(); });
  const load = (name: string, imports: Record<string, unknown>) => system.load({ name: `world-resource-${isolation}-${name}`, wasm, imports, isolation });

  it.each([['bare', Thing], ['{ default }', { default: Thing }]])('constructs it, calls its methods and statics (%s)', async (how, thing) => {
    const api = (await load(how === 'bare' ? 'bare' : 'default', { thing })).exports<ThingWorld>();
    expect([await api.thingValue(3), await api.madeValue(3)]).toEqual([4, 7]);
  });

  it('names the resource once when it is missing, and asks for its class when it is not one', async () => {
    await expect(load('missing', {})).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringMatching(/imports thing, which/) });
    await expect(load('not-a-class', { thing: {} })).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringMatching(/class of resource `thing`/) });
  });
});

describe('a world-level imported resource against jco itself', () => {
  it('gives the same results with the same import object', async () => {
    const jco = await instantiateWithJco(await worldResource(), { thing: { default: Thing } }) as unknown as { thingValue(n: number): number; madeValue(n: number): number };
    expect([jco.thingValue(3), jco.madeValue(3)]).toEqual([4, 7]);
  });
});

describe('jco import objects for a subprocess plugin\'s host imports', () => {
  const system = new ActorSystem({ logger: recordingLogger() });
  afterAll(() => system.close());
  let loads = 0;
  const load = (imports: Record<string, unknown>) => system.load({
    name: `jco-imports-process-${loads++}`,
    command: [process.execPath, root('test/fixtures/process/jco-imports.mjs')],
    world: 'test:jco-imports/jco-imports',
    imports,
  });

  it('resolves `{ default }`, class instances and built-in names by the same rule as wasm', async () => {
    const host = recordingHost();
    const api = (await load(jcoImports(host))).exports<Calls>('test:jco-imports/calls');
    expect([await api.decorated(4), await api.hostText(), await api.hostHas('widget'), await api.hostValue(), await api.hostConstructor()])
      .toEqual([40, 'host', true, 7, 9]);
    // The plugin left out the trailing option: the host function gets undefined.
    expect(await api.hostPick(5)).toBe(5);
    expect(host.picks).toEqual([[5, undefined]]);
  });

  it.each([['toString', 'to-string'], ['constructor', 'constructor']])('refuses the handshake when only the built-in %s is there', async (key, witName) => {
    const plain: Record<string, unknown> = { Widget, toString: () => 'h', hasOwnProperty: () => true, valueOf: () => 1, constructor: () => 2, pick: (a: number) => a };
    delete plain[key];
    await expect(load(jcoImports(plain))).rejects.toMatchObject({ code: 'ERR_IMPORT_MISSING', message: expect.stringContaining(`${HOST}#${witName}`) });
  });
});

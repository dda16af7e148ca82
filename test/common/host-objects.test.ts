// Which JavaScript value satisfies an import (issue 9, point 5): jco's import objects move
// over unchanged — `{ default: fn }`, class instances and inherited methods — while nothing
// from Object.prototype or Function.prototype ever counts.
import { describe, expect, it } from 'vitest';
import { hostMember, lookupImport, resolveHostCall, rootImportValue, worldLevelFunction } from '../../common/host-objects.js';
import { parseWitSource, selectWorld } from '../../common/wit/load.js';
import type { WitFunction } from '../../common/wit/model.js';

const world = selectWorld(parseWitSource(`package test:objects;
interface host {
  resource widget {
    constructor(start: u32);
    get: func() -> u32;
    to-string: func() -> string;
    value-of: func() -> u32;
    apply: static func(n: u32) -> u32;
    bind: static func(n: u32) -> u32;
  }
  to-string: func() -> string;
  value-of: func() -> u32;
  has-own-property: func(key: string) -> bool;
  is-prototype-of: func() -> bool;
  to-locale-string: func() -> string;
  %constructor: func() -> u32;
  plain: func() -> u32;
}
world objects {
  import host;
  import decorate: func(n: u32) -> u32;
  import %constructor: func() -> u32;
}
`), 'test:objects/objects');

const iface = (world.imports.get('test:objects/host') as { iface: { functions: Map<string, WitFunction> } }).iface;
const fn = (name: string): WitFunction => iface.functions.get(name)!;
const worldFn = (name: string): WitFunction => (world.imports.get(name) as { func: WitFunction }).func;
const call = (imports: Record<string, unknown>, name: string, self?: unknown, ...args: unknown[]) =>
  resolveHostCall(imports, 'test:objects/host', fn(name))?.(self, args);

class Base {
  constructor(protected n: number) {}
  get(): number { return this.n; }
}
class Widget extends Base {
  override toString(): string { return `widget ${this.n}`; }
  static override apply(n: number): number { return n + 1; }
}

describe('hostMember', () => {
  it('reads own, prototype and inherited members', () => {
    const w = new Widget(3);
    expect(hostMember(w, 'get')).toBe(Base.prototype.get);
    expect(hostMember(w, 'toString')).toBe(Widget.prototype.toString);
    expect(hostMember(Widget, 'apply')).toBe(Widget.apply);
    expect(hostMember({ plain: 1 }, 'plain')).toBe(1);
  });

  it.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'constructor', '__proto__', '__defineGetter__'])(
    'never reads %s from Object.prototype', (name) => {
      expect(hostMember({}, name)).toBeUndefined();
      expect(hostMember(new Base(1), name)).toBeUndefined();
      expect(hostMember(Object.create(null) as object, name)).toBeUndefined();
    },
  );

  it.each(['call', 'apply', 'bind', 'toString', 'constructor', 'length', 'name', 'arguments', 'caller'])(
    'never reads %s from Function.prototype (statics of a class)', (name) => {
      class Plain {}
      // `length` and `name` are the class's own (non-function) values, never Function.prototype's.
      const own = Object.prototype.hasOwnProperty.call(Plain, name) ? (Plain as unknown as Record<string, unknown>)[name] : undefined;
      expect(hostMember(Plain, name)).toBe(own);
      expect(typeof hostMember(Plain, name)).not.toBe('function');
    },
  );

  it('treats the constructor link of a class as absent, but an own `constructor` member as present', () => {
    expect(hostMember(new Widget(1), 'constructor')).toBeUndefined();
    const own = { constructor: () => 7 };
    expect(hostMember(own, 'constructor')).toBe(own.constructor);
  });

  it('reads names no built-in has through a get-only Proxy', () => {
    const proxy = new Proxy({}, { get: (_t, key) => (key === 'plain' ? () => 5 : undefined) });
    expect((hostMember(proxy, 'plain') as () => number)()).toBe(5);
  });
});

describe('lookupImport and worldLevelFunction', () => {
  it('finds interface names with and without @version, never a built-in', () => {
    const host = {};
    expect(lookupImport({ 'a:b/c': host }, 'a:b/c@1.0.0')).toBe(host);
    expect(lookupImport({}, 'constructor')).toBeUndefined();
    expect(lookupImport({}, 'toString')).toBeUndefined();
  });

  it('takes a function bare or as `{ default }` (jco), and nothing else', () => {
    const f = (n: number) => n;
    expect(worldLevelFunction(f)).toBe(f);
    expect(worldLevelFunction({ default: f })).toBe(f);
    expect(worldLevelFunction({ default: 1 })).toBeUndefined();
    expect(worldLevelFunction({})).toBeUndefined();
    expect(worldLevelFunction(undefined)).toBeUndefined();
  });

  it('looks up a world-level resource function by its resource, unless given under its own name', () => {
    expect(rootImportValue({ thing: Widget }, '[constructor]thing')).toBe(Widget);
    expect(rootImportValue({ thing: Widget }, '[method]thing.value')).toBe(Widget);
    expect(rootImportValue({ thing: Widget }, '[static]thing.make')).toBe(Widget);
    const byName = () => 1;
    expect(rootImportValue({ thing: Widget, '[constructor]thing': byName }, '[constructor]thing')).toBe(byName);
  });
});

describe('resolveHostCall', () => {
  it('calls world-level functions given bare or as `{ default }`', () => {
    expect(resolveHostCall({ decorate: (n: number) => n * 2 }, '', worldFn('decorate'))!(undefined, [4])).toBe(8);
    expect(resolveHostCall({ decorate: { default: (n: number) => n * 3 } }, '', worldFn('decorate'))!(undefined, [4])).toBe(12);
    expect(resolveHostCall({ decorate: { nope: 1 } }, '', worldFn('decorate'))).toBeUndefined();
    expect(resolveHostCall({}, '', worldFn('constructor'))).toBeUndefined();
  });

  it('calls the methods of a class instance, inherited ones included, with the instance as `this`', () => {
    class Host { constructor(private k: number) {} plain(): number { return this.k; } }
    class Derived extends Host {}
    expect(call({ 'test:objects/host': new Derived(6) }, 'plain')).toBe(6);
  });

  it.each(['to-string', 'value-of', 'has-own-property', 'is-prototype-of', 'to-locale-string', 'constructor'])(
    'leaves %s unresolved when only a built-in has that name', (name) => {
      expect(resolveHostCall({ 'test:objects/host': {} }, 'test:objects/host', fn(name))).toBeUndefined();
      class Host { plain() { return 1; } }
      expect(resolveHostCall({ 'test:objects/host': new Host() }, 'test:objects/host', fn(name))).toBeUndefined();
    },
  );

  it('uses functions the application wrote under built-in names', () => {
    class Host { toString() { return 'mine'; } valueOf() { return 3; } }
    const host = Object.assign(new Host(), { constructor: () => 9 });
    expect(call({ 'test:objects/host': host }, 'to-string')).toBe('mine');
    expect(call({ 'test:objects/host': host }, 'value-of')).toBe(3);
    expect(call({ 'test:objects/host': host }, 'constructor')).toBe(9);
  });

  it('constructs resources, calls their statics, and refuses statics only Function.prototype has', () => {
    const imports = { 'test:objects/host': { Widget } };
    const w = call(imports, '[constructor]widget', undefined, 2);
    expect(w).toBeInstanceOf(Widget);
    expect(call(imports, '[static]widget.apply', undefined, 2)).toBe(3);
    expect(resolveHostCall(imports, 'test:objects/host', fn('[static]widget.bind'))).toBeUndefined();
    class Bare {}
    expect(resolveHostCall({ 'test:objects/host': { Widget: Bare } }, 'test:objects/host', fn('[static]widget.apply'))).toBeUndefined();
  });

  it('calls resource methods found on the prototype chain, and never a built-in one', () => {
    const imports = { 'test:objects/host': { Widget } };
    const w = new Widget(4);
    expect(call(imports, '[method]widget.get', w)).toBe(4);
    expect(call(imports, '[method]widget.to-string', w)).toBe('widget 4');
    expect(() => call(imports, '[method]widget.value-of', w)).toThrowError(expect.objectContaining({ code: 'ERR_IMPORT_MISSING', message: expect.stringMatching(/valueOf/) }));
    expect(() => call(imports, '[method]widget.to-string', new Base(1))).toThrowError(expect.objectContaining({ code: 'ERR_IMPORT_MISSING' }));
  });
});

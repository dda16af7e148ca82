import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPluginHostError } from '../../../common/errors.js';
import { loadWit, parseWitSource, selectInterface, selectWorld } from '../../../common/wit/load.js';
import { interfaceId, unalias, type RecordType, type ResourceType, type Type } from '../../../common/wit/model.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function expectWitError(text: string, code: string, pattern: RegExp) {
  try {
    parseWitSource(text, { file: 'bad.wit' });
  } catch (e) {
    expect(isPluginHostError(e, code as never), String(e)).toBe(true);
    expect((e as Error).message).toMatch(pattern);
    return e as Error & { location?: { line: number; column: number } };
  }
  throw new Error('expected the WIT to be rejected');
}

describe('WIT front end', () => {
  it('resolves every construct of the fixture', async () => {
    const wit = await loadWit(fixture('everything.wit'));
    const pkg = wit.main!;
    expect(pkg.name).toEqual({ namespace: 'test', name: 'everything', version: '1.2.3-rc.1+build.5' });
    const types = pkg.interfaces.get('types')!;
    expect(types.docs).toBe('Types shared with `api`.');
    const point = types.types.get('point') as RecordType;
    expect(point.kind).toBe('record');
    expect(point.docs).toBe('A 2-D point.');
    expect(point.fields.map((f) => [f.name, f.type.kind, f.docs])).toEqual([['x', 'f64', 'Horizontal.'], ['y', 'f64', undefined]]);
    expect(types.types.get('perms')).toMatchObject({ kind: 'flags', flags: [{ name: 'read' }, { name: 'write' }, { name: 'exec' }] });
    const shape = types.types.get('shape')!;
    expect(shape.kind === 'variant' && shape.cases.map((c) => [c.name, c.type?.kind])).toEqual([['circle', 'f64'], ['polygon', 'alias'], ['none', undefined]]);

    const blob = types.types.get('blob') as ResourceType;
    expect(blob.ctor?.name).toBe('[constructor]blob');
    expect(blob.methods.map((m) => m.name)).toEqual(['[method]blob.write', '[method]blob.read']);
    expect(blob.methods[0]!.params[0]).toMatchObject({ name: 'self', type: { kind: 'borrow', resource: blob } });
    expect(blob.statics[0]!.name).toBe('[static]blob.merge');
    expect(types.functions.has('[method]blob.read')).toBe(true);

    const api = pkg.interfaces.get('api')!;
    expect(api.functions.get('everything')!.docs).toBe('Block doc\non two lines.');
    const figure = api.types.get('figure')!;
    expect(figure.kind).toBe('alias');
    expect(unalias(figure)).toBe(shape);
    const everything = api.functions.get('everything')!;
    expect(everything.params.map((p) => p.type.kind)).toEqual(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string']);
    const result = everything.result as Extract<Type, { kind: 'tuple' }>;
    expect(result.types.map((t) => t.kind)).toEqual(['option', 'result', 'result', 'result', 'result']);
    expect(result.types[2]).toMatchObject({ kind: 'result', err: { kind: 'alias', name: 'color' } });
    expect(result.types[2]).not.toHaveProperty('ok');
    expect(result.types[4]).toEqual({ kind: 'result' });
    const take = api.functions.get('take')!;
    expect(take.params.map((p) => p.type.kind)).toEqual(['own', 'borrow']);
    expect(take.result?.kind).toBe('own');
    expect(api.functions.get('fixed')!.params[0]!.type).toMatchObject({ kind: 'list', length: 4 });
    expect(api.functions.get('later')!.gate).toEqual({ since: '1.2.0' });
    expect(api.functions.get('old')!.gate).toEqual({ since: '1.0.0', deprecated: '1.2.0' });
    expect(api.functions.has('fancy')).toBe(false);
    expect(api.types.get('interface')).toMatchObject({ kind: 'resource', name: 'interface' });

    const world = selectWorld(wit, 'everything');
    expect([...world.imports.keys()]).toEqual(['test:everything/types@1.2.3-rc.1+build.5', 'log', 'scratch']);
    expect([...world.exports.keys()]).toEqual(['test:everything/api@1.2.3-rc.1+build.5', 'run']);
    const bigger = selectWorld(wit, 'test:everything/bigger');
    expect([...bigger.imports.keys()]).toEqual(['test:everything/types@1.2.3-rc.1+build.5', 'logger', 'scratch']);
    expect([...bigger.exports.keys()]).toEqual(['extra', 'test:everything/api@1.2.3-rc.1+build.5', 'run']);
  });

  it('keeps @unstable items when their feature is enabled', async () => {
    const wit = await loadWit(fixture('everything.wit'), { features: ['fancy'] });
    expect(wit.main!.interfaces.get('api')!.functions.has('fancy')).toBe(true);
  });

  it('parses the project\'s own WIT', async () => {
    const wit = await loadWit(fileURLToPath(new URL('../../../wit/host', import.meta.url)));
    const log = selectInterface(wit, 'plugin-actors:host/log');
    expect(interfaceId(log)).toBe('plugin-actors:host/log@0.1.0');
    expect(log.functions.get('log')!.params.map((p) => p.name)).toEqual(['level', 'message']);
  });

  it('resolves several packages in one source, in any order', () => {
    const wit = parseWitSource(`
      package b:user { world w { import a:dep/i@1.0.0; export b-api; } interface b-api { use a:dep/i.{t}; f: func(x: t); } }
      package a:dep@1.0.0 { interface i { type t = u32; } }
    `);
    const w = selectWorld(wit, 'b:user/w');
    expect([...w.imports.keys()]).toEqual(['a:dep/i@1.0.0']);
    const item = w.exports.get('b:user/b-api');
    if (item?.kind !== 'interface') throw new Error('expected an interface export');
    const f = item.iface.functions.get('f')!;
    expect(unalias(f.params[0]!.type).kind).toBe('u32');
  });

  it('adds the imports an exported interface depends on', () => {
    const wit = parseWitSource(`package a:b;
      interface types { record r { x: u8 } }
      interface api { use types.{r}; get: func() -> r; }
      world w { export api; }`);
    const w = selectWorld(wit);
    expect([...w.imports.keys()]).toEqual(['a:b/types']);
  });

  it('loads a directory with deps/', async () => {
    const wit = await loadWit(fixture('dir'));
    expect(wit.main!.name.name).toBe('app');
    const w = selectWorld(wit);
    expect([...w.imports.keys()]).toEqual(['dep:lib/util@0.1.0']);
  });

  it.each([
    ['package a:b;\ninterface i {\n  f: func(x: u32) -> ;\n}', /bad\.wit:3:22: expected a type, found `;`/],
    ['package a:b;\ninterface i { variant v { } }', /expected at least one case/],
    ['package a:b;\nworld w { import }', /expected an identifier, found `}`/],
    ['package a:b@1.x;', /expected a semantic version/],
    ['package a:b;\ninterface i { Bad-name: func(); }', /mixes upper and lower case/],
    ['package a:b;\ninterface i { f: func(); } /* open', /unterminated block comment/],
    ['package a:b;\ninterface i { @bogus(version = 1.0.0) f: func(); }', /unknown annotation @bogus/],
    ['package a:b;\ninterface i \u0007 {}', /forbidden character U\+0007/],
  ])('rejects malformed syntax: %j', (text, pattern) => {
    expectWitError(text, 'ERR_WIT_SYNTAX', pattern);
  });

  it.each([
    ['package a:b;\ninterface i { type t = missing; }', /bad\.wit:2:24: type `missing` is not defined/],
    ['package a:b;\ninterface i { record r { a: r } }', /contains itself \(r → r\)/],
    ['package a:b;\ninterface i { record a { b: b } record b { a: list<a> } }', /contains itself/],
    ['package a:b;\ninterface i { type t = u8; type t = u16; }', /defined more than once/],
    ['package a:b;\ninterface i { use missing.{t}; }', /interface `missing` is not defined/],
    ['package a:b;\ninterface i { use j.{nope}; } interface j { }', /interface `j` has no type `nope`/],
    ['package a:b;\ninterface i { use x:y/z.{t}; }', /package x:y not found/],
    ['package a:b;\ninterface i { resource r; f: func() -> borrow<r>; }', /returns a `borrow` handle/],
    ['package a:b;\ninterface i { record r { x: u8 } f: func(x: borrow<r>); }', /not a resource type/],
    ['package a:b;\ninterface i { resource r { constructor() -> u32; } }', /must return `r` or `result<r, E>`/],
    ['package a:b;\ninterface i { f: func(a: u8, a: u8); }', /parameter `a` is defined more than once/],
    ['package a:b;\nworld w { import f: func(); import f: func(); }', /imported more than once/],
    ['package a:b;\nworld w { include w; }', /includes itself/],
    ['package a:b;\ninterface i { variant v { a, a } }', /the case `a` is defined more than once/],
    ['interface i {}', /no `package` declaration/],
  ])('rejects unresolvable WIT: %j', (text, pattern) => {
    expectWitError(text, 'ERR_WIT_RESOLVE', pattern);
  });

  it('reports line and column as data', () => {
    const e = expectWitError('package a:b;\n\ninterface i {\n    f: func() -> nope;\n}', 'ERR_WIT_RESOLVE', /not defined/);
    expect(e.location).toEqual({ file: 'bad.wit', line: 4, column: 18 });
  });

  it('reads the fixture text unchanged from disk (sanity)', async () => {
    expect(await readFile(fixture('everything.wit'), 'utf8')).toContain('package test:everything');
  });
});

describe('WIT printer', () => {
  it('prints packages that parse back to the same text', async () => {
    const { printPackages } = await import('../../../common/wit/print.js');
    for (const path of [fixture('everything.wit'), fixture('dir')]) {
      const first = printPackages((await loadWit(path, { features: 'all' })).packages);
      const second = printPackages(parseWitSource(first, { features: 'all' }).packages);
      expect(second).toBe(first);
    }
  });

  it('keeps docs, gates-free items, resources and world items', async () => {
    const { printPackages } = await import('../../../common/wit/print.js');
    const text = printPackages((await loadWit(fixture('everything.wit'))).packages);
    expect(text).toContain('/// A 2-D point.');
    expect(text).toContain('merge: static func(lhs: borrow<blob>, rhs: borrow<blob>) -> blob;');
    expect(text).toContain('constructor(name: string) -> result<%interface, string>;');
    expect(text).toContain('use types.{point, shape as figure, blob, color};');
    expect(text).toContain('import scratch: interface {');
    expect(text).toContain('export run: func() -> result<_, string>;');
  });
});

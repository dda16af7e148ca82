// The WIT front end accepts and refuses what wit-parser does: each rule is shown refusing a
// source and accepting its nearest valid twin. Every refusal is a typed WIT error.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPluginHostError, type PluginHostError } from '../../../common/errors.js';
import { loadWit, parseWitSource, parseWitSources, selectWorld } from '../../../common/wit/load.js';
import type { ResourceType } from '../../../common/wit/model.js';

type Sources = string | { text: string; file: string }[];

function refusal(sources: Sources, features?: string[]): PluginHostError | undefined {
  try {
    if (typeof sources === 'string') parseWitSource(sources, { file: 'test.wit', features: features ?? [] });
    else parseWitSources(sources, { features: features ?? [] });
    return undefined;
  } catch (e) {
    if (!isPluginHostError(e)) throw new Error(`untyped error from the WIT front end: ${String(e)}`, { cause: e });
    return e;
  }
}

const cases: { rule: string; invalid: Sources; valid: Sources; message: RegExp }[] = [
  {
    rule: 'names differing only in case collide',
    invalid: 'package a:b;\nworld w { export get-user: func(); export GET-USER: func(); }',
    valid: 'package a:b;\nworld w { export get-user: func(); export get-users: func(); }',
    message: /conflicts with export `get-user`.*case-insensitive/,
  },
  {
    rule: 'type names differing only in case collide',
    invalid: 'package a:b;\ninterface i { type t = u8; type T = u8; }',
    valid: 'package a:b;\ninterface i { type t = u8; type t2 = u8; }',
    message: /case-insensitive/,
  },
  {
    rule: 'an export may not need an interface both imported and exported',
    invalid: 'package a:b;\ninterface i1 { type t = u32; }\ninterface i2 { use i1.{t}; }\ninterface i3 { use i2.{t}; }\nworld w { export i1; export i3; }',
    valid: 'package a:b;\ninterface i1 { type t = u32; }\ninterface i2 { use i1.{t}; }\ninterface i3 { use i2.{t}; }\nworld w { export i1; export i2; export i3; }',
    message: /transitively depends on an interface in incompatible ways/,
  },
  {
    rule: '`include … with` must rename a kebab name the world has',
    invalid: 'package a:b;\nworld a { import f: func(); }\nworld b { include a with { g as h } }',
    valid: 'package a:b;\nworld a { import f: func(); }\nworld b { include a with { f as h } }',
    message: /no import or export kebab-name `g`/,
  },
  {
    rule: '`include … with` cannot rename an interface ID',
    invalid: 'package a:b;\ninterface foo {}\nworld a { import foo; }\nworld b { include a with { foo as foo2 } }',
    valid: 'package a:b;\ninterface foo {}\nworld a { import foo2: foo; }\nworld b { include a with { foo2 as foo3 } }',
    message: /an ID does not support renaming/,
  },
  {
    rule: '@since may not name a version newer than the package',
    invalid: 'package a:b@0.1.0;\ninterface i { @since(version = 0.2.0) type t = u32; }',
    valid: 'package a:b@0.2.0;\ninterface i { @since(version = 0.2.0) type t = u32; }',
    message: /cannot reference unreleased version 0\.2\.0/,
  },
  {
    rule: '@since needs a versioned package',
    invalid: 'package a:b;\n@since(version = 0.1.0)\nworld w {}',
    valid: 'package a:b@0.1.0;\n@since(version = 0.1.0)\nworld w {}',
    message: /must have a version/,
  },
  {
    rule: 'what an excluded interface holds must be excluded too',
    invalid: 'package a:b;\n@unstable(feature = off)\ninterface i { type t = u32; }',
    valid: 'package a:b;\n@unstable(feature = off)\ninterface i { @unstable(feature = off) type t = u32; }',
    message: /excluded due to its feature not being activated/,
  },
  {
    rule: 'the members of an excluded resource must be excluded too',
    invalid: 'package a:b;\ninterface i { @unstable(feature = off) resource r { constructor(); } }',
    valid: 'package a:b;\ninterface i { @unstable(feature = off) resource r { @unstable(feature = off) constructor(); } }',
    message: /excluded due to its feature not being activated/,
  },
  {
    rule: 'a top-level `use` must name an interface, even unreferenced',
    invalid: 'package a:b;\nuse bar as foo;',
    valid: 'package a:b;\nuse bar as foo;\ninterface bar {}',
    message: /interface `bar` is not defined/,
  },
  {
    rule: 'a top-level `use` may not name a world',
    invalid: [{ file: 'deps/baz.wit', text: 'package foo:baz;\nworld bar {}' }, { file: 'root.wit', text: 'package foo:root;\nuse foo:baz/bar;' }],
    valid: [{ file: 'deps/baz.wit', text: 'package foo:baz;\ninterface bar {}' }, { file: 'root.wit', text: 'package foo:root;\nuse foo:baz/bar;' }],
    message: /has no interface `bar`/,
  },
  {
    rule: 'a top-level `use` may not shadow an item of the file',
    invalid: 'package a:b;\nuse foo as bar;\ninterface foo {}\ninterface bar {}',
    valid: 'package a:b;\nuse foo as baz;\ninterface foo {}\ninterface bar {}',
    message: /duplicate name `bar` in this file/,
  },
  {
    rule: 'a top-level `use` is visible only in its own file',
    invalid: [{ file: 'bar.wit', text: 'use bar as bar-renamed;' }, { file: 'foo.wit', text: 'package foo:foo;\nuse bar-renamed;\ninterface bar {}' }],
    valid: [{ file: 'bar.wit', text: 'use bar as bar-renamed;' }, { file: 'foo.wit', text: 'package foo:foo;\ninterface bar {}\ninterface baz { use bar.{}; }' }],
    message: /bar-renamed/,
  },
  {
    rule: 'a package block may define a package only once',
    invalid: 'package foo:root;\npackage foo:name {}\npackage foo:name {}',
    valid: 'package foo:root;\npackage foo:name {}\npackage foo:other {}',
    message: /defined in two different locations/,
  },
  {
    rule: 'only one file may document the package',
    invalid: [{ file: 'a.wit', text: '/// A\npackage foo:foo;' }, { file: 'b.wit', text: '/// B\npackage foo:foo;' }],
    valid: [{ file: 'a.wit', text: '/// A\npackage foo:foo;' }, { file: 'b.wit', text: 'package foo:foo;' }],
    message: /doc comments on multiple 'package' items/,
  },
  {
    rule: 'a world-level resource method may not return a borrow',
    invalid: 'package foo:bar;\nworld foo { resource y { x: func() -> borrow<y>; } }',
    valid: 'package foo:bar;\nworld foo { resource y { x: func() -> y; } }',
    message: /returns a `borrow` handle/,
  },
  {
    rule: 'map keys are primitive',
    invalid: 'package a:b;\ninterface i { type m = map<tuple<u32, string>, u32>; }',
    valid: 'package a:b;\ninterface i { type m = map<string, u32>; }',
    message: /invalid map key type/,
  },
  {
    rule: 'type nesting is bounded at 100',
    invalid: `package a:b;\ninterface i { type t = ${'list<'.repeat(101)}u8${'>'.repeat(101)}; }`,
    valid: `package a:b;\ninterface i { type t = ${'list<'.repeat(99)}u8${'>'.repeat(99)}; }`,
    message: /type nesting too deep/,
  },
];

describe('WIT front end: wit-parser rules', () => {
  it.each(cases)('$rule', ({ invalid, valid, message }) => {
    const e = refusal(invalid);
    expect(e?.message, 'expected a refusal').toMatch(message);
    expect(['ERR_WIT_SYNTAX', 'ERR_WIT_RESOLVE']).toContain(e!.code);
    const ok = refusal(valid);
    expect(ok, ok?.message).toBeUndefined();
  });

  // issue-10: 5,000 nested `list<` threw an untyped RangeError.
  it('refuses very deep type nesting with a typed error, not a stack overflow', () => {
    const e = refusal(`package a:b;\ninterface i { type t = ${'list<'.repeat(5000)}u8${'>'.repeat(5000)}; }`);
    expect(e).toMatchObject({ code: 'ERR_WIT_SYNTAX', message: expect.stringMatching(/type nesting too deep/) });
  });

  it('accepts empty records and flags, `tuple<>`, `use i.{}` and error-context', () => {
    const wit = parseWitSource(`package a:b;
      interface empty { record r {} flags f {} type t = tuple<>; type e = error-context; }
      interface user { use empty.{}; }`);
    const types = wit.main!.interfaces.get('empty')!.types;
    expect([...types.keys()]).toEqual(['r', 'f', 't', 'e']);
  });

  it('keeps world-level types, resources and their functions through `include … with`', () => {
    const wit = parseWitSource(`package a:b;
      world a { resource r { constructor(); m: func(); } type t = u32; import f: func(x: t) -> r; }
      world b { include a with { f as g } }`);
    const b = selectWorld(wit, 'b');
    expect([...b.types.keys()]).toEqual(['r', 't']);
    expect((b.types.get('r') as ResourceType).methods.map((m) => m.name)).toEqual(['[method]r.m']);
    const g = b.imports.get('g');
    expect(g?.kind === 'function' && g.func.name).toBe('g');
  });

  it('refuses a WIT file without a package header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plugin-actors-wit-'));
    try {
      await writeFile(join(dir, 'empty.wit'), '// nothing here\n');
      await expect(loadWit(join(dir, 'empty.wit'))).rejects.toMatchObject({ code: 'ERR_WIT_RESOLVE', message: expect.stringMatching(/no `package` header/) });
      await writeFile(join(dir, 'empty.wit'), 'package a:b;\n');
      await expect(loadWit(join(dir, 'empty.wit'))).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

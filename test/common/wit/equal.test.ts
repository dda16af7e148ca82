// The one structural comparison (common/wit/equal.ts) as links use it: every function the
// importer needs, with the same signature; the target may offer more.
import { describe, expect, it } from 'vitest';
import { parseWitSource, selectInterface } from '../../../common/wit/load.js';
import { compareInterfaces } from '../../../common/wit/equal.js';

const iface = (body: string) => selectInterface(parseWitSource(`package t:x;\ninterface i {\n${body}\n}`), 't:x/i');

describe('compareInterfaces', () => {
  const needed = iface('record p { x: u32 }\nresource r { constructor(n: u32); get: func() -> u32; }\nf: func(a: p) -> option<string>;');

  it('accepts the same interface, and a target that offers more', () => {
    expect(compareInterfaces('t:x/i', needed, needed)).toBeUndefined();
    const more = iface('record p { x: u32 }\nresource r { constructor(n: u32); get: func() -> u32; put: func(n: u32); }\nf: func(a: p) -> option<string>;\ng: func();');
    expect(compareInterfaces('t:x/i', needed, more)).toBeUndefined();
  });

  it('names a missing function or resource method', () => {
    expect(compareInterfaces('t:x/i', needed, iface('f: func(a: u32);'))).toMatch(/has no function/);
    const noGet = iface('record p { x: u32 }\nresource r { constructor(n: u32); }\nf: func(a: p) -> option<string>;');
    expect(compareInterfaces('t:x/i', needed, noGet)).toBe('t:x/i has no function [method]r.get');
  });

  it('names the function whose types differ, down to a record field', () => {
    const other = iface('record p { y: u32 }\nresource r { constructor(n: u32); get: func() -> u32; }\nf: func(a: p) -> option<string>;');
    expect(compareInterfaces('t:x/i', needed, other)).toBe('t:x/i#f: expected f(a:record{x:u32})->option<string>, got f(a:record{y:u32})->option<string>');
  });
});

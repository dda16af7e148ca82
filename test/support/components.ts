// Components for tests: WAT text turned into binaries with the wasm-tools jco-transpile
// ships, a little binary builder for bytes the text format cannot express, and loading
// through the host's own compile (parse + validate) and instantiate steps.
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { expect } from 'vitest';
import { isPluginHostError, type PluginHostError } from '../../common/errors.js';
import {
  compileComponent, instantiateComponent, type CompiledComponent, type ExternValue, type InstanceValue,
} from '../../host/component/instantiate.js';
import { evalInstanceType, newResource, typeAt } from '../../host/component/runtime/types.js';

/** The binary of a component written in WAT. */
export function wat(text: string): Promise<Uint8Array> {
  return parse(text);
}

/**
 * Compiles (decodes and validates) a component; returns the typed error it is refused with,
 * or undefined. Anything thrown that is not a PluginHostError fails the test.
 */
export async function validation(source: string | Uint8Array): Promise<PluginHostError | undefined> {
  const bytes = typeof source === 'string' ? await wat(source) : source;
  try {
    await compileComponent(bytes);
    return undefined;
  } catch (e) {
    if (!isPluginHostError(e)) throw new Error(`untyped error from the validator: ${String(e)}`, { cause: e });
    return e;
  }
}

/** Asserts the component is refused as invalid under `rule`, at an offset inside it. */
export async function expectInvalid(source: string | Uint8Array, rule: string): Promise<PluginHostError> {
  const bytes = typeof source === 'string' ? await wat(source) : source;
  const e = await validation(bytes);
  expect(e, `expected rule ${rule} to refuse the component`).toBeDefined();
  expect({ code: e!.code, rule: e!.rule, message: e!.message }).toMatchObject({ code: 'ERR_COMPONENT_INVALID', rule });
  expect(e!.offset).toBeGreaterThanOrEqual(0);
  expect(e!.offset).toBeLessThan(bytes.length);
  return e!;
}

/** Asserts the component is refused as using a feature this host does not implement. */
export async function expectUnsupported(source: string | Uint8Array, feature: RegExp): Promise<PluginHostError> {
  const e = await validation(source);
  expect(e?.code, e?.message).toBe('ERR_COMPONENT_UNSUPPORTED');
  expect(e!.feature).toMatch(feature);
  return e!;
}

export async function expectValid(source: string | Uint8Array): Promise<void> {
  const e = await validation(source);
  expect(e, e?.message).toBeUndefined();
}

/** Imports for `instantiate`: functions by name, instance imports as objects of functions. */
export type TestImports = Record<string, ((...a: never[]) => unknown) | Record<string, (...a: never[]) => unknown>>;

/** Decodes, validates and compiles a component. */
export async function compile(source: string | Uint8Array): Promise<CompiledComponent> {
  return compileComponent(typeof source === 'string' ? await wat(source) : source);
}

/**
 * Instantiates a component (compiling it first unless it already is); returns its exports'
 * callable functions. A compiled component instantiated again reuses its generated glue.
 */
export async function instantiate(source: string | Uint8Array | CompiledComponent, imports: TestImports = {}): Promise<{
  instance: InstanceValue; call(name: string, ...args: unknown[]): unknown;
}> {
  const compiled = typeof source === 'string' || source instanceof Uint8Array ? await compile(source) : source;
  const instance = instantiateComponent(compiled, (name, type, space): ExternValue => {
    const given = imports[name];
    if (type.sort === 'func' && typeof given === 'function') {
      const t = typeAt(space, type.index);
      if (t.kind !== 'func') throw new Error(`import ${name} is not a function type`);
      return { sort: 'func', func: { name, sig: t.sig, call: { kind: 'function', fn: given as (...a: unknown[]) => unknown } } };
    }
    if (type.sort === 'instance' && typeof given === 'object') {
      const t = typeAt(space, type.index);
      if (t.kind !== 'instance') throw new Error(`import ${name} is not an instance type`);
      const exports = new Map<string, ExternValue>();
      for (const [k, sig] of evalInstanceType(t.decls, t.space, (r) => newResource(r))) {
        if (sig.sort === 'func') exports.set(k, { sort: 'func', func: { name: k, sig: sig.sig, call: { kind: 'function', fn: given[k] as (...a: unknown[]) => unknown } } });
        else if (sig.sort === 'type') exports.set(k, { sort: 'type', type: sig.type });
      }
      return { sort: 'instance', instance: { exports } };
    }
    if (type.sort === 'type' && type.bound.kind === 'sub-resource') return { sort: 'type', type: { kind: 'resource', resource: newResource(name) } };
    throw new Error(`test import ${name} (${type.sort}) is not provided`);
  });
  return {
    instance,
    call(name, ...args) {
      const v = instance.exports.get(name);
      if (v?.sort !== 'func' || v.func.call.kind !== 'function') throw new Error(`no exported function ${name}`);
      return v.func.call.fn(...args);
    },
  };
}

// ---------------------------------------------------------------- binary builder

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: id, LEB128 size, contents. */
export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...leb(contents.length), ...contents];
}

/** A name: LEB128 length and UTF-8 (or raw) bytes. */
export function name(text: string | readonly number[]): number[] {
  const bytes = typeof text === 'string' ? [...new TextEncoder().encode(text)] : [...text];
  return [...leb(bytes.length), ...bytes];
}

export const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00] as const;

/** A component binary made of the given sections. */
export function component(...sections: number[][]): Uint8Array {
  return Uint8Array.from([...COMPONENT_PREAMBLE, ...sections.flat()]);
}

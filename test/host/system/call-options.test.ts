// Call options and left-out trailing options (issue 9, point 5): which argument is which is
// decided by position or by the callOptions() brand, never by the shape of an object.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseWitSource, selectWorld } from '../../../common/wit/load.js';
import type { WitFunction } from '../../../common/wit/model.js';
import { argumentShape, callOptions, isCallOptions, splitArguments } from '../../../host/system/call-options.js';
import type { CallArguments, Remote } from '../../../host/system/proxy.js';

const world = selectWorld(parseWitSource(`package test:split;
interface api {
  record settings { timeout-ms: u32 }
  pick: func(a: u32, b: option<u32>, c: option<u32>) -> u32;
  last-required: func(a: option<u32>, b: u32) -> u32;
  deadline: func(a: u32, opts: option<settings>) -> u32;
  none: func() -> u32;
  resource tally {
    add: func(n: u32, times: option<u32>) -> u32;
  }
}
world split { export api; }
`), 'test:split/split');
const functions = (world.exports.get('test:split/api') as { iface: { functions: Map<string, WitFunction> } }).iface.functions;
const split = (name: string, ...args: unknown[]) => {
  const fn = functions.get(name)!;
  return splitArguments(fn, argumentShape(fn), args);
};

describe('argumentShape', () => {
  it('counts the trailing options a call may leave out, a method\'s self excluded', () => {
    expect(argumentShape(functions.get('pick')!)).toEqual({ arity: 3, required: 1 });
    expect(argumentShape(functions.get('last-required')!)).toEqual({ arity: 2, required: 2 });
    expect(argumentShape(functions.get('[method]tally.add')!)).toEqual({ arity: 2, required: 1 });
    expect(argumentShape(functions.get('none')!)).toEqual({ arity: 0, required: 0 });
  });
});

describe('splitArguments', () => {
  it('fills left-out trailing options with undefined (none)', () => {
    expect(split('pick', 1)).toEqual({ args: [1, undefined, undefined], options: undefined });
    expect(split('pick', 1, 2)).toEqual({ args: [1, 2, undefined], options: undefined });
    expect(split('[method]tally.add', 5)).toEqual({ args: [5, undefined], options: undefined });
  });

  it('takes branded call options after any number of the optional arguments', () => {
    const options = callOptions({ timeoutMs: 10 });
    expect(split('pick', 1, options)).toEqual({ args: [1, undefined, undefined], options });
    expect(split('pick', 1, 2, options)).toEqual({ args: [1, 2, undefined], options });
    expect(split('pick', 1, 2, 3, options)).toEqual({ args: [1, 2, 3], options });
    expect(split('none', options)).toEqual({ args: [], options });
  });

  it('takes a plain options object only after every parameter, as before', () => {
    expect(split('pick', 1, 2, 3, { timeoutMs: 10 })).toEqual({ args: [1, 2, 3], options: { timeoutMs: 10 } });
    expect(split('none', { signal: AbortSignal.abort() }).options?.signal?.aborted).toBe(true);
    expect(split('pick', 1, 2, 3, undefined)).toEqual({ args: [1, 2, 3], options: undefined });
  });

  it('keeps an unbranded object in a parameter\'s place as that parameter', () => {
    expect(split('deadline', 1, { timeoutMs: 10 })).toEqual({ args: [1, { timeoutMs: 10 }], options: undefined });
    expect(split('pick', 1, { timeoutMs: 10 }).args).toEqual([1, { timeoutMs: 10 }, undefined]);
  });

  it.each([
    ['a required argument left out', 'pick', []],
    ['a non-option left out', 'last-required', [1]],
    ['one argument too many', 'pick', [1, 2, 3, 4]],
    ['an unknown key where options go', 'pick', [1, 2, 3, { timeoutMs: 1, other: 2 }]],
    ['a number where options go', 'none', [1]],
    ['branded options in a required parameter\'s place', 'last-required', [callOptions()]],
    ['two sets of options', 'pick', [1, 2, 3, callOptions(), callOptions()]],
  ])('refuses %s with ERR_BAD_ARGUMENT', (_why, name, args) => {
    expect(() => split(name as string, ...(args as unknown[]))).toThrowError(expect.objectContaining({ code: 'ERR_BAD_ARGUMENT' }));
  });

  it('validates plain options in the options position', () => {
    expect(() => split('none', { timeoutMs: -1 })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => split('none', { signal: 'x' })).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });
});

describe('callOptions()', () => {
  it('validates at once and returns a frozen, branded copy', () => {
    const signal = new AbortController().signal;
    const input = { signal, timeoutMs: 5 };
    const options = callOptions(input);
    expect(options).not.toBe(input);
    expect(options).toEqual({ signal, timeoutMs: 5 });
    expect(Object.isFrozen(options)).toBe(true);
    expect(isCallOptions(options) && !isCallOptions(input)).toBe(true);
    expect(callOptions(options)).toBe(options);
    expect(isCallOptions(callOptions())).toBe(true);
  });

  it.each([{ timeoutMs: 0 }, { timeoutMs: Number.NaN }, { signal: {} }, { timeout: 5 }, null])('refuses %j with ERR_INVALID_OPTION', (bad) => {
    expect(() => callOptions(bad as never)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it('recognises options branded by another copy of the package (Symbol.for)', () => {
    expect(isCallOptions({ [Symbol.for('plugin-actors.call-options')]: true })).toBe(true);
    expect(isCallOptions({ [Symbol('plugin-actors.call-options')]: true })).toBe(false);
  });
});

describe('Remote<T> argument types', () => {
  interface Api {
    pick(a: number, b?: number, c?: number): number;
    jcoStyle(a: number, b: number | undefined): number;
    required(a: number): number;
  }

  it('allows trailing optional parameters to be left out, with branded options in their place', () => {
    expectTypeOf<CallArguments<[a: number, b?: number]>>().toExtend<unknown[]>();
    const typeOnly = (api: Remote<Api>) => {
      void api.pick(1);
      void api.pick(1, 2, 3, { timeoutMs: 1 });
      void api.pick(1, callOptions({ timeoutMs: 1 }));
      void api.pick(1, 2, callOptions());
      void api.jcoStyle(1, undefined);
      void api.jcoStyle(1, callOptions());
      void api.required(1, { signal: AbortSignal.abort() });
      // @ts-expect-error a plain options object in a parameter's place
      void api.pick(1, { timeoutMs: 1 });
      // @ts-expect-error a required parameter cannot be left out
      void api.required(callOptions());
    };
    expect(typeof typeOnly).toBe('function');
  });
});

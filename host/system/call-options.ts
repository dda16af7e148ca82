/**
 * Call options (`signal`, `timeoutMs`) and how a call's arguments are told apart from them.
 *
 * A proxy call takes the WIT parameters, then optionally call options. Trailing
 * `option<T>` parameters may be left out, as in jco (they are `none`). So that an object in
 * a parameter's place is never guessed to be options, two rules decide:
 *
 * 1. A last argument made by `callOptions()` (it carries a brand) is call options, wherever
 *    it stands: `api.pick(1, callOptions({ timeoutMs: 50 }))` leaves `b` out.
 * 2. Otherwise, only an argument after every parameter is call options, and there a plain
 *    `{ signal, timeoutMs }` object is accepted as before: `api.pick(1, 2, { timeoutMs: 50 })`.
 *
 * An unbranded object in a parameter's place is always that parameter.
 */
import { PluginHostError } from '../../common/errors.js';
import { unalias, type WitFunction } from '../../common/wit/model.js';

export interface CallOptions {
  /** Cancels the call; it rejects with ERR_ABORTED (or ERR_TIMEOUT for `AbortSignal.timeout`). */
  readonly signal?: AbortSignal;
  /** Rejects with ERR_TIMEOUT after this many milliseconds. */
  readonly timeoutMs?: number;
}

// Symbol.for, so that options made by another copy of this package are still recognised.
const BRAND = Symbol.for('plugin-actors.call-options');

/** Call options made by `callOptions()`: recognised by their brand, never mistaken for an argument. */
export interface MarkedCallOptions extends CallOptions {
  readonly [BRAND]: true;
}

/**
 * Marks `options` as call options, so they can follow fewer arguments than the function has
 * parameters (trailing `option<T>` parameters left out). Validates them at once.
 *
 * @throws ERR_INVALID_OPTION for a `signal` that is not an AbortSignal, a `timeoutMs` that is
 *   not a positive finite number, or an unknown key.
 * @example await api.pick(1, callOptions({ timeoutMs: 50 }));
 */
export function callOptions(options: CallOptions = {}): MarkedCallOptions {
  if (isCallOptions(options)) return options;
  const { signal, timeoutMs } = validateCallOptions(options, 'callOptions()');
  const marked = { ...(signal ? { signal } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  // Not enumerable: the options print and compare as what they hold.
  Object.defineProperty(marked, BRAND, { value: true });
  return Object.freeze(marked) as MarkedCallOptions;
}

/** Whether `value` was made by `callOptions()`. */
export function isCallOptions(value: unknown): value is MarkedCallOptions {
  return value !== null && typeof value === 'object' && (value as Partial<MarkedCallOptions>)[BRAND] === true;
}

function validateCallOptions(value: unknown, where: string): CallOptions {
  if (value === null || typeof value !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', `${where}: call options must be an object { signal, timeoutMs }`);
  const unknown = Object.keys(value).find((k) => k !== 'signal' && k !== 'timeoutMs');
  if (unknown !== undefined) throw new PluginHostError('ERR_INVALID_OPTION', `${where}: unknown call option \`${unknown}\` (known: signal, timeoutMs)`);
  const o = value as CallOptions;
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) throw new PluginHostError('ERR_INVALID_OPTION', 'options.signal must be an AbortSignal');
  if (o.timeoutMs !== undefined && !(typeof o.timeoutMs === 'number' && o.timeoutMs > 0 && Number.isFinite(o.timeoutMs))) {
    throw new PluginHostError('ERR_INVALID_OPTION', `options.timeoutMs must be a positive number, got ${String(o.timeoutMs)}`);
  }
  return o;
}

/** How many parameters a call passes (a method's `self` excluded), and how many of the last ones are `option<T>`. */
export interface ArgumentShape {
  readonly arity: number;
  /** The fewest arguments a call may pass: trailing `option<T>` parameters may be left out. */
  readonly required: number;
}

export function argumentShape(fn: WitFunction): ArgumentShape {
  const params = fn.kind === 'method' ? fn.params.slice(1) : fn.params;
  let required = params.length;
  while (required > 0 && unalias(params[required - 1]!.type).kind === 'option') required--;
  return { arity: params.length, required };
}

/**
 * Splits a proxy call's arguments into the WIT arguments (left-out trailing options filled
 * with `undefined`, which is `none`) and the call options.
 *
 * @throws ERR_BAD_ARGUMENT for too few or too many arguments, or an unbranded last argument
 *   after every parameter that is not call options; ERR_INVALID_OPTION for bad option values.
 */
export function splitArguments(fn: WitFunction, shape: ArgumentShape, args: readonly unknown[]): { args: unknown[]; options: CallOptions | undefined } {
  const { arity, required } = shape;
  let count = args.length;
  let options: CallOptions | undefined;
  const last = args[count - 1];
  if (count > 0 && isCallOptions(last)) {
    options = last;
    count--;
  } else if (count === arity + 1) {
    if (last !== undefined) {
      if (last === null || typeof last !== 'object' || Object.keys(last).some((k) => k !== 'signal' && k !== 'timeoutMs')) {
        throw new PluginHostError('ERR_BAD_ARGUMENT', `${fn.name}: too many arguments (an extra last argument must be call options { signal, timeoutMs })`);
      }
      options = validateCallOptions(last, fn.name);
    }
    count--;
  }
  if (count < required || count > arity) {
    const optional = arity - required;
    const takes = optional === 0 ? `${arity}` : `${required} to ${arity}`;
    throw new PluginHostError('ERR_BAD_ARGUMENT', `${fn.name} takes ${takes} argument(s) (plus optional call options), got ${count}`);
  }
  const callArgs = args.slice(0, count);
  // Left-out trailing `option<T>` parameters are `none`, which is `undefined` in jco's mapping.
  while (callArgs.length < arity) callArgs.push(undefined);
  return { args: callArgs, options };
}

/**
 * The value codecs of one function of a connection's table, compiled once: its arguments
 * (without a method's `self`, which travels as a handle) and its result.
 */
import type { ByteReader, ByteWriter } from '../../codec/bytes.js';
import { compileCodec, type ResourceHooks, type ValueCodec } from '../../codec/value-codec.js';
import { unalias, type ResourceType, type WitFunction } from '../../wit/model.js';
import { camelCase } from '../../wit/names.js';

export interface FunctionCodecs {
  readonly func: WitFunction;
  /** For methods: the resource `self` belongs to. */
  readonly selfResource: ResourceType | undefined;
  readonly arity: number;
  encodeArgs(w: ByteWriter, args: readonly unknown[]): void;
  decodeArgs(r: ByteReader): unknown[];
  readonly result: ValueCodec | undefined;
  /** True when the WIT result is a `result<…>`: the serving side maps throws with a payload to `err`. */
  readonly returnsResult: boolean;
}

export function functionCodecs(func: WitFunction, hooks: ResourceHooks): FunctionCodecs {
  const params = func.kind === 'method' ? func.params.slice(1) : func.params;
  const parts = params.map((p) => compileCodec(p.type, hooks, camelCase(p.name)));
  const n = parts.length;
  return {
    func,
    selfResource: func.kind === 'method' ? func.resource : undefined,
    arity: n,
    encodeArgs(w, args) {
      for (let i = 0; i < n; i++) parts[i]!.encode(w, args[i]);
    },
    decodeArgs(r) {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = parts[i]!.decode(r);
      return out;
    },
    result: func.result ? compileCodec(func.result, hooks, 'result') : undefined,
    returnsResult: func.result !== undefined && unalias(func.result).kind === 'result',
  };
}

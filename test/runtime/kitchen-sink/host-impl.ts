// The host side of `plugin-actors:kitchen-sink/host`: every function returns its argument.
import { loadWit, selectInterface } from '../../../common/wit/load.js';
import { unalias } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import { root } from '../../helpers.js';

export class Tally {
  constructor(private n: number) {}
  add(n: number): number {
    this.n = (this.n + n) >>> 0;
    return this.n;
  }
  value(): number {
    return this.n;
  }
}

/** Identity implementations in jco's convention (a `result` returns ok, throws `{ payload }` for err). */
export async function kitchenSinkHost(): Promise<Record<string, unknown>> {
  const wit = await loadWit(root('test/runtime/kitchen-sink/wit'));
  const host = selectInterface(wit, 'plugin-actors:kitchen-sink/host');
  const impl: Record<string, unknown> = {
    many: (...args: unknown[]) => args,
    Tally,
    makeTally: (start: number) => new Tally(start),
    readTally: (t: Tally) => t.value(),
  };
  for (const f of host.functions.values()) {
    if (!f.name.startsWith('of-')) continue;
    const isResult = f.result !== undefined && unalias(f.result).kind === 'result';
    impl[camelCase(f.name)] = isResult
      ? (v: { tag: string; val: unknown }) => {
        if (v.tag === 'ok') return v.val;
        throw Object.assign(new Error('err'), { payload: v.val });
      }
      : (v: unknown) => v;
  }
  return { 'plugin-actors:kitchen-sink/host': impl };
}

// Calling the kitchen sink's functions by their WIT description (shared by its tests).
import { isPluginHostError } from '../../../host/index.js';
import { loadWit, selectInterface } from '../../../common/wit/load.js';
import { unalias, type WitFunction } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import { root } from '../../helpers.js';

export type Api = Record<string, (...args: unknown[]) => Promise<unknown>> & Record<string, unknown>;

const wit = await loadWit(root('test/runtime/kitchen-sink/wit'));
export const echoFunctions = [...selectInterface(wit, 'plugin-actors:kitchen-sink/echo').functions.values()].filter((f) => f.name.startsWith('of-'));
export const many = selectInterface(wit, 'plugin-actors:kitchen-sink/echo').functions.get('many')!;

/** Calls through the actor API; a top-level `result` comes back as `{ tag, val }` again for comparison. */
export async function call(api: Api, f: WitFunction, args: unknown[]): Promise<unknown> {
  const isResult = f.result !== undefined && unalias(f.result).kind === 'result';
  const p = (api[camelCase(f.name)] as (...a: unknown[]) => Promise<unknown>)(...args);
  if (!isResult) return p;
  return p.then((val) => ({ tag: 'ok', val }), (e: unknown) => {
    if (isPluginHostError(e, 'ERR_RESULT')) return { tag: 'err', val: e.payload };
    throw e;
  });
}

/**
 * Calling a lifted export with core values, for functions whose lowering and lifting are
 * the identity on core values: every parameter and the result a 32- or 64-bit integer or a
 * float. Between two instances in one thread (a link, docs/linking.md), the importer's
 * core import can then call the target's core export with the values it has, instead of
 * lifting them to JavaScript and lowering them again; the instance is entered and guarded
 * as the lifted function would (re-entrance traps, a trap poisons it).
 *
 * `bool`, `char`, 8- and 16-bit integers, enums and flags are not identities (lifting
 * normalises or checks them), so they keep the lifted path, as does anything in memory.
 */
import { unalias, type Type } from '../../../common/wit/model.js';
import type { FuncSig } from '../runtime/types.js';
import type { CallGuard } from './functions.js';
import { enter, leave } from './reentrance.js';

/** What a lifted function is made of, kept on its function value for `coreEntry`. */
export interface CoreSource {
  readonly core: (...core: unknown[]) => unknown;
  readonly guard: CallGuard;
  readonly postReturn?: unknown;
}

export type CoreCall = (...core: unknown[]) => unknown;

const IDENTITY_KINDS = new Set(['s32', 'u32', 's64', 'u64', 'f32', 'f64']);
/** Flat parameters beyond this go through memory (CanonicalABI.md, MAX_FLAT_PARAMS). */
const MAX_FLAT_PARAMS = 16;

function isIdentity(type: Type): boolean {
  return IDENTITY_KINDS.has(unalias(type).kind);
}

/** Whether a call with this signature passes core values through unchanged. */
export function passesThrough(sig: { readonly params: readonly { readonly type: Type }[]; readonly result?: Type | undefined }): boolean {
  return sig.params.length <= MAX_FLAT_PARAMS && sig.params.every((p) => isIdentity(p.type)) && (sig.result === undefined || isIdentity(sig.result));
}

/**
 * The lifted function's core call, entered and guarded; undefined unless its signature
 * passes through and it has no post-return to run.
 */
export function coreEntry(name: string, sig: FuncSig, source: CoreSource | undefined): CoreCall | undefined {
  if (!source || source.postReturn !== undefined || !passesThrough(sig)) return undefined;
  const { core, guard } = source;
  const { state } = guard;
  const start = (): ReturnType<typeof enter> => {
    if (state.poisoned) guard.refuse(name);
    try {
      return enter(state);
    } catch (err) {
      throw guard.fail(name, err);
    }
  };
  // One flat closure per arity: this sits on every linked call.
  switch (sig.params.length) {
    case 0: return () => { const caller = start(); try { return core(); } catch (err) { throw guard.fail(name, err); } finally { leave(state, caller); } };
    case 1: return (a) => { const caller = start(); try { return core(a); } catch (err) { throw guard.fail(name, err); } finally { leave(state, caller); } };
    case 2: return (a, b) => { const caller = start(); try { return core(a, b); } catch (err) { throw guard.fail(name, err); } finally { leave(state, caller); } };
    case 3: return (a, b, c) => { const caller = start(); try { return core(a, b, c); } catch (err) { throw guard.fail(name, err); } finally { leave(state, caller); } };
    default: return (...args) => { const caller = start(); try { return core(...args); } catch (err) { throw guard.fail(name, err); } finally { leave(state, caller); } };
  }
}

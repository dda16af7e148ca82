/** Questions about WIT types that every bindings generator asks. */
import type { Type } from '../../../common/wit/model.js';
import { somePart } from '../../../common/wit/walk.js';

/** Whether lowering a value of `t` allocates guest memory (so an export needs post-return). */
export function needsPostReturn(t: Type): boolean {
  return somePart(t, (u) => u.kind === 'string' || u.kind === 'list');
}

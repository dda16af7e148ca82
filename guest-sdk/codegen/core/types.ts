/** Questions about WIT types that every bindings generator asks. */
import type { Type } from '../../../host/src/wit/model.js';
import { unalias } from '../../../host/src/wit/model.js';

/** Whether lowering a value of `t` allocates guest memory (so an export needs post-return). */
export function needsPostReturn(t: Type, seen = new Set<Type>()): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  const u = unalias(t);
  switch (u.kind) {
    case 'string': case 'list': return true;
    case 'option': return needsPostReturn(u.some, seen);
    case 'result': return (u.ok ? needsPostReturn(u.ok, seen) : false) || (u.err ? needsPostReturn(u.err, seen) : false);
    case 'tuple': return u.types.some((x) => needsPostReturn(x, seen));
    case 'record': return u.fields.some((f) => needsPostReturn(f.type, seen));
    case 'variant': return u.cases.some((c) => (c.type ? needsPostReturn(c.type, seen) : false));
    default: return false;
  }
}

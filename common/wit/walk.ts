/** Questions about the value types nested in a WIT type. */
import type { AliasType, Type } from './model.js';
import { unalias } from './model.js';

/**
 * Whether `test` holds for `type` or for any value type inside it (list elements, option
 * and result payloads, tuple members, record fields, variant cases), through aliases.
 * Resources are not entered: a handle is a leaf.
 */
export function somePart(type: Type, test: (t: Exclude<Type, AliasType>) => boolean, seen = new Set<Type>()): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  const t = unalias(type);
  if (test(t)) return true;
  const part = (x: Type | undefined) => x !== undefined && somePart(x, test, seen);
  switch (t.kind) {
    case 'list': return part(t.element);
    case 'option': return part(t.some);
    case 'result': return part(t.ok) || part(t.err);
    case 'tuple': return t.types.some(part);
    case 'record': return t.fields.some((f) => part(f.type));
    case 'variant': return t.cases.some((c) => part(c.type));
    default: return false;
  }
}

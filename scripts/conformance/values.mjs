// Component values of .wast scripts (`(u32.const 7)`, `(str.const "x")`, `(list.const …)`)
// turned into the host's JS values for a WIT type, and JS results put in a comparable form.
import { atom, head, stringText } from './sexpr.mjs';

const unalias = (t) => { while (t.kind === 'alias') t = t.target; return t; };
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/** Thrown for value forms this runner does not map (the assertion is then skipped). */
export class Unmappable extends Error {}

function number(text, kind) {
  const clean = text.replace(/_/g, '');
  if (kind === 'f32' || kind === 'f64') {
    if (/nan/.test(clean)) return NaN;
    if (/inf/.test(clean)) return clean.startsWith('-') ? -Infinity : Infinity;
    const v = Number(clean);
    return kind === 'f32' ? Math.fround(v) : v;
  }
  if (kind === 's64' || kind === 'u64') {
    const neg = clean.startsWith('-');
    const v = BigInt(neg ? clean.slice(1) : clean);
    return neg ? -v : v;
  }
  const v = Number(clean);
  if (!Number.isFinite(v)) throw new Unmappable(`number ${text}`);
  return v;
}

/** The JS value of a wast value node, given the WIT type it is passed as. */
export function toJs(node, type) {
  const t = unalias(type);
  const h = head(node);
  const args = node.items.slice(1);
  switch (h) {
    case 'bool.const': return atom(args[0]) === 'true';
    case 's8.const': case 'u8.const': case 's16.const': case 'u16.const': case 's32.const': case 'u32.const':
    case 's64.const': case 'u64.const': case 'f32.const': case 'f64.const':
      return number(atom(args[0]), h.slice(0, h.indexOf('.')));
    case 'char.const': return stringText(args[0]);
    case 'str.const': return stringText(args[0]);
    case 'list.const': {
      if (t.kind !== 'list') throw new Unmappable('list for a non-list type');
      return args.map((a) => toJs(a, t.element));
    }
    case 'tuple.const': {
      if (t.kind !== 'tuple') throw new Unmappable('tuple for a non-tuple type');
      return args.map((a, i) => toJs(a, t.types[i]));
    }
    case 'record.const': {
      if (t.kind !== 'record') throw new Unmappable('record for a non-record type');
      return Object.fromEntries(t.fields.map((f, i) => [camel(f.name), toJs(args[i], f.type)]));
    }
    case 'enum.const': return stringText(args[0]);
    case 'variant.const': {
      if (t.kind !== 'variant') throw new Unmappable('variant for a non-variant type');
      const name = stringText(args[0]);
      const c = t.cases.find((x) => x.name === name);
      if (!c) throw new Unmappable(`no case ${name}`);
      return c.type ? { tag: name, val: toJs(args[1], c.type) } : { tag: name };
    }
    case 'option.none': return undefined;
    case 'option.some': return toJs(args[0], t.some);
    case 'result.ok': return { tag: 'ok', val: args[0] ? toJs(args[0], t.ok) : undefined };
    case 'result.err': return { tag: 'err', val: args[0] ? toJs(args[0], t.err) : undefined };
    case 'flags.const': {
      if (t.kind !== 'flags') throw new Unmappable('flags for a non-flags type');
      const set = new Set(args.map(stringText));
      return Object.fromEntries(t.flags.map((f) => [camel(f.name), set.has(f.name)]));
    }
    default: throw new Unmappable(`value form ${h}`);
  }
}

/** A JS value in a form `isDeepStrictEqual` can compare (typed arrays become arrays). */
export function normalize(value) {
  if (ArrayBuffer.isView(value)) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

/**
 * Structural comparison of worlds, so a host can check that a plugin implements exactly
 * the contract it expects. Types compare by structure and names (record fields, cases,
 * resource names); docs and gates are ignored.
 */
import type { Interface, Type, WitFunction, World, WorldItem } from './model.js';
import { unalias } from './model.js';

/** A canonical text of a type's structure. */
export function typeSignature(type: Type, seen = new Set<Type>()): string {
  const t = unalias(type);
  switch (t.kind) {
    case 'list': return t.length === undefined ? `list<${typeSignature(t.element, seen)}>` : `list<${typeSignature(t.element, seen)},${t.length}>`;
    case 'option': return `option<${typeSignature(t.some, seen)}>`;
    case 'result': return `result<${t.ok ? typeSignature(t.ok, seen) : '_'},${t.err ? typeSignature(t.err, seen) : '_'}>`;
    case 'tuple': return `tuple<${t.types.map((x) => typeSignature(x, seen)).join(',')}>`;
    case 'record': return `record{${t.fields.map((f) => `${f.name}:${typeSignature(f.type, seen)}`).join(',')}}`;
    case 'variant': return `variant{${t.cases.map((c) => (c.type ? `${c.name}(${typeSignature(c.type, seen)})` : c.name)).join(',')}}`;
    case 'enum': return `enum{${t.cases.map((c) => c.name).join(',')}}`;
    case 'flags': return `flags{${t.flags.map((c) => c.name).join(',')}}`;
    case 'own': case 'borrow': return `${t.kind}<${(unalias(t.resource) as { name: string }).name}>`;
    case 'resource': return `resource ${t.name}`;
    case 'future': case 'stream': return t.element ? `${t.kind}<${typeSignature(t.element, seen)}>` : t.kind;
    case 'map': return `map<${typeSignature(t.key, seen)},${typeSignature(t.value, seen)}>`;
    default: return t.kind;
  }
}

export function functionSignature(f: WitFunction): string {
  return `${f.name}(${f.params.map((p) => `${p.name}:${typeSignature(p.type)}`).join(',')})${f.result ? `->${typeSignature(f.result)}` : ''}`;
}

function interfaceFunctions(iface: Interface): Map<string, string> {
  return new Map([...iface.functions.values()].map((f) => [f.name, functionSignature(f)]));
}

function compareItems(kind: string, key: string, expected: WorldItem, actual: WorldItem | undefined): string | undefined {
  if (!actual) return `it does not ${kind} ${key}`;
  if (expected.kind !== actual.kind) return `${key} is a ${actual.kind}, not a ${expected.kind}`;
  if (expected.kind === 'function' && actual.kind === 'function') {
    const e = functionSignature(expected.func);
    const a = functionSignature(actual.func);
    return e === a ? undefined : `${key}: expected ${e}, got ${a}`;
  }
  if (expected.kind === 'interface' && actual.kind === 'interface') {
    const missingOrDifferent = compareInterfaces(key, expected.iface, actual.iface);
    if (missingOrDifferent) return missingOrDifferent;
    const e = interfaceFunctions(expected.iface);
    for (const name of interfaceFunctions(actual.iface).keys()) if (!e.has(name)) return `${key} has an unexpected function ${name}`;
  }
  return undefined;
}

/**
 * The first function of `needed` that `offered` lacks or declares with another signature,
 * or undefined. Extra functions of `offered` are allowed: this is the check of a link (an
 * import bound to another plugin's export), and the half of `compareWorlds` both share.
 */
export function compareInterfaces(key: string, needed: Interface, offered: Interface): string | undefined {
  const a = interfaceFunctions(offered);
  for (const [name, sig] of interfaceFunctions(needed)) {
    const other = a.get(name);
    if (!other) return `${key} has no function ${name}`;
    if (other !== sig) return `${key}#${name}: expected ${sig}, got ${other}`;
  }
  return undefined;
}

/** The first difference between what a host expects and what a plugin declares, or undefined. */
export function compareWorlds(expected: World, actual: World): string | undefined {
  for (const [key, item] of expected.exports) {
    const diff = compareItems('export', key, item, actual.exports.get(key));
    if (diff) return diff;
  }
  for (const key of actual.exports.keys()) if (!expected.exports.has(key)) return `it exports ${key}, which is not in the expected world`;
  for (const [key, item] of actual.imports) {
    const e = expected.imports.get(key);
    if (!e) return `it imports ${key}, which the expected world does not`;
    const diff = compareItems('import', key, e, item);
    if (diff) return diff;
  }
  return undefined;
}

// Runs one .wast script against the built host and writes one JSON line per command to
// stdout: `{"start":i}` before command i, then `{"i":i,"kind":…,"result":…,"detail":…}`.
// The parent process restarts this script after command i when it dies (a host crash).
//
// Kinds: valid (a component that must load), invalid / malformed (must be refused),
// unlinkable, return, trap, invoke. Results: pass, fail, unsupported (refused as
// ERR_COMPONENT_UNSUPPORTED), other (refused with another typed error), crash (an untyped
// error), skip (the text cannot be encoded, or the assertion cannot be mapped to JS).
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { makeResolver, NotSuppliable } from './host.mjs';
import { rt } from './runtime.mjs';
import { atom, head, readForms } from './sexpr.mjs';
import { normalize, toJs, Unmappable } from './values.mjs';

const [file, from = '0'] = process.argv.slice(2);
const text = await readFile(file, 'utf8');
const forms = readForms(text);
const resolver = makeResolver(rt);
const definitions = new Map();
const instances = new Map();
let current;

const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const describe = (e) => (rt.isPluginHostError(e) ? `${e.code}: ${e.message}` : `${e?.name}: ${e?.message}`).slice(0, 300);

class Skip extends Error {}

/** The binary of a component form (`(component …)`, `binary`, `quote`), or throws Skip. */
async function encode(node) {
  const items = node.items;
  let k = 1;
  if (atom(items[k]) === 'definition') k++;
  if (atom(items[k])?.startsWith('$')) k++;
  const mode = atom(items[k]);
  if (mode === 'binary') return Uint8Array.from(items.slice(k + 1).flatMap((s) => [...s.bytes]));
  let source;
  if (mode === 'quote') source = `(component ${items.slice(k + 1).map((s) => new TextDecoder().decode(s.bytes)).join(' ')})`;
  else source = text.slice(node.start, node.end).replace(/^\(component\s+definition\b/, '(component');
  try {
    return await parse(source);
  } catch (e) {
    throw new Skip(`not encodable: ${String(e?.message ?? e).split('\n')[0]}`);
  }
}

/**
 * Compiles (parse, validate, compile core modules) and instantiates. A component whose root
 * imports no host can supply (components, core modules) is only compiled: `instance` is
 * undefined and `validatedOnly` says why.
 */
async function load(bytes, instantiate = true) {
  const compiled = await rt.compileComponent(bytes);
  if (!instantiate) return { compiled };
  try {
    return { compiled, instance: rt.instantiateComponent(compiled, resolver) };
  } catch (e) {
    if (e instanceof NotSuppliable) return { compiled, validatedOnly: e.message };
    throw e;
  }
}

/** Classifies a load that must fail. */
function refusal(e) {
  if (!rt.isPluginHostError(e)) return { result: 'crash', detail: describe(e) };
  if (e.code === 'ERR_COMPONENT_INVALID') return { result: 'pass', detail: describe(e) };
  if (e.code === 'ERR_COMPONENT_UNSUPPORTED') return { result: 'unsupported', detail: describe(e) };
  return { result: 'other', detail: describe(e) };
}

/** Classifies a load that must succeed. */
function acceptance(e) {
  if (!rt.isPluginHostError(e)) return { result: 'crash', detail: describe(e) };
  if (e.code === 'ERR_COMPONENT_UNSUPPORTED') return { result: 'unsupported', detail: describe(e) };
  return { result: 'fail', detail: describe(e) };
}

function invokeTarget(node) {
  const items = node.items.slice(1);
  let instance = current;
  if (atom(items[0])?.startsWith('$')) instance = instances.get(atom(items.shift()));
  if (!instance) throw new Skip('no instance to invoke');
  const name = new TextDecoder().decode(items[0].bytes);
  const v = instance.exports.get(name);
  if (v?.sort !== 'func') throw new Skip(`no exported function ${name}`);
  const { sig } = v.func;
  const args = items.slice(1).map((a, i) => toJs(a, sig.params[i].type));
  return { call: () => v.func.call.fn(...args), sig };
}

async function component(node) {
  const second = atom(node.items[1]);
  if (second === 'instance') {
    const def = definitions.get(atom(node.items[3]));
    if (!def) throw new Skip('unknown definition');
    try {
      current = rt.instantiateComponent(def, resolver);
      instances.set(atom(node.items[2]), current);
      return { kind: 'valid', result: 'pass' };
    } catch (e) {
      if (e instanceof NotSuppliable) return { kind: 'valid', result: 'pass', detail: `validated only (${e.message})` };
      return { kind: 'valid', ...acceptance(e) };
    }
  }
  const isDefinition = second === 'definition';
  // Until this one loads, assertions have no instance to run against (not the previous one's).
  if (!isDefinition) current = undefined;
  const bytes = await encode(node);
  try {
    const { compiled, instance, validatedOnly } = await load(bytes, !isDefinition);
    const id = atom(node.items[isDefinition ? 2 : 1]);
    if (isDefinition) definitions.set(id, compiled);
    else {
      current = instance;
      if (instance && id?.startsWith('$')) instances.set(id, instance);
    }
    return { kind: 'valid', result: 'pass', ...(validatedOnly ? { detail: `validated only (${validatedOnly})` } : {}) };
  } catch (e) {
    return { kind: 'valid', ...acceptance(e) };
  }
}

async function mustFail(kind, node) {
  const bytes = await encode(node);
  try {
    const { validatedOnly } = await load(bytes);
    return { kind, result: 'fail', detail: validatedOnly ? `validated (${validatedOnly})` : 'loaded' };
  } catch (e) {
    const outcome = { kind, ...refusal(e) };
    // A component that traps while it starts may fail with any typed error.
    if (kind === 'trap-load' && outcome.result !== 'crash') outcome.result = 'pass';
    return outcome;
  }
}

function invoke(kind, node, expected) {
  const { call, sig } = invokeTarget(node);
  let value;
  try {
    value = call();
  } catch (e) {
    if (kind === 'trap') {
      if (rt.isPluginHostError(e, 'ERR_TRAPPED')) return { kind, result: 'pass' };
      return { kind, result: rt.isPluginHostError(e) ? 'other' : 'crash', detail: describe(e) };
    }
    return { kind, result: rt.isPluginHostError(e) ? 'fail' : 'crash', detail: describe(e) };
  }
  if (kind === 'trap') return { kind, result: 'fail', detail: `returned ${JSON.stringify(normalize(value), (_, x) => (typeof x === 'bigint' ? `${x}n` : x))}` };
  if (kind === 'invoke') return { kind, result: 'pass' };
  const want = expected.length === 0 ? undefined : toJs(expected[0], sig.result);
  if (isDeepStrictEqual(normalize(value), normalize(want))) return { kind, result: 'pass' };
  const show = (x) => JSON.stringify(normalize(x), (_, y) => (typeof y === 'bigint' ? `${y}n` : y));
  return { kind, result: 'fail', detail: `got ${show(value)}, expected ${show(want)}` };
}

async function run(node) {
  const h = head(node);
  const inner = node.items[1];
  switch (h) {
    case 'component': return component(node);
    case 'assert_invalid': return head(inner) === 'component' ? mustFail('invalid', inner) : undefined;
    case 'assert_malformed': return head(inner) === 'component' ? mustFail('malformed', inner) : undefined;
    case 'assert_unlinkable': return head(inner) === 'component' ? mustFail('unlinkable', inner) : undefined;
    case 'assert_return': return invoke('return', inner, node.items.slice(2));
    case 'assert_trap':
      if (head(inner) === 'component') return mustFail('trap-load', inner);
      return invoke('trap', inner);
    case 'invoke': return invoke('invoke', node);
    default: return undefined;
  }
}

const KINDS = {
  component: 'valid', assert_invalid: 'invalid', assert_malformed: 'malformed', assert_unlinkable: 'unlinkable',
  assert_return: 'return', assert_trap: 'trap', invoke: 'invoke',
};

for (let i = Number(from); i < forms.length; i++) {
  emit({ start: i });
  let outcome;
  try {
    outcome = await run(forms[i]);
  } catch (e) {
    if (e instanceof Skip || e instanceof Unmappable) outcome = { kind: KINDS[head(forms[i])] ?? head(forms[i]), result: 'skip', detail: e.message };
    else outcome = { kind: KINDS[head(forms[i])] ?? head(forms[i]), result: 'crash', detail: describe(e) };
  }
  if (outcome) emit({ i, ...outcome });
}

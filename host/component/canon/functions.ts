/**
 * `canon lift` and `canon lower` compiled to JavaScript functions.
 *
 * A lifted function is how the host calls a guest export: validate the JS arguments (no
 * guest code has run if they are wrong), lower them, call the core function, lift the
 * result, run post-return. A lowered function is what the guest calls for an import: lift
 * the core arguments, call the host, validate and lower what it returned.
 */
import type { CoreCallBinding } from '../../../common/host-objects.js';
import { alignOf, flattenSignature, recordLayout, sizeOf } from '../../../common/abi/layout.js';
import { somePart } from '../../../common/wit/walk.js';
import { unalias, type Type } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import type { InstanceState, RuntimeResource } from '../runtime/resources.js';
import type { FuncSig } from '../runtime/types.js';
import { Emitter, str } from './emitter.js';
import type { SiteBinding, Template } from './templates.js';
import { checkMayLeave, enter, leave } from './reentrance.js';
import { allocate, asyncHost, badHostResult, endLent, errorPayload, trap, wrongArity } from './runtime.js';
import { ValueCodegen, type FlatSource, type ValueOptions } from './values.js';

export interface LiftOptions extends ValueOptions {
  readonly postReturn?: (...core: unknown[]) => void;
}

/** What a lifted function does when the guest throws: poison the instance and report. */
export interface CallGuard {
  readonly state: InstanceState;
  /** Throws the error for a call that may not start (poisoned, or re-entered). */
  refuse(name: string): never;
  /** Poisons the instance; returns the error the caller sees. */
  fail(name: string, cause: unknown): Error;
}

const SAFE_NAME = /[^A-Za-z0-9_$]/g;

function containsKind(type: Type | undefined, kind: string): boolean {
  return type !== undefined && somePart(type, (t) => t.kind === kind);
}

function containsForeignBorrow(type: Type | undefined, state: InstanceState): boolean {
  return type !== undefined && somePart(type, (t) => t.kind === 'borrow' && (unalias(t.resource) as RuntimeResource).impl !== state);
}

/** The values a lift site's generated code refers to, by symbolic name. */
export function liftSite(core: unknown, options: LiftOptions, guard: CallGuard, sig: FuncSig): SiteBinding {
  return {
    values: { state: guard.state, guard, ops: options.ops, mem: options.memory, realloc: options.realloc, postReturn: options.postReturn, core },
    sig,
  };
}

/** The values a lower site's generated code refers to, by symbolic name. `state`: the instance calling out. */
export function lowerSite(call: CallStyle, options: ValueOptions, state: InstanceState, sig: FuncSig): SiteBinding {
  return {
    values: {
      state, ops: options.ops, mem: options.memory, realloc: options.realloc,
      ...(call.kind === 'function' ? { host: call.fn } : call.kind === 'construct' ? { Host: call.cls } : {}),
    },
    sig,
  };
}

export interface Compiled<F> {
  readonly fn: F;
  /** The symbolic form, for other instances of the component and the persistent cache. */
  readonly template: Template;
}

/** Compiles `canon lift`: a JS function taking the export's parameters positionally. */
export function compileLift(
  name: string, sig: FuncSig, core: (...args: unknown[]) => unknown, options: LiftOptions, guard: CallGuard,
): Compiled<(...args: unknown[]) => unknown> {
  const e = new Emitter(liftSite(core, options, guard, sig));
  const gen = new ValueCodegen(e, options);
  const flat = flattenSignature(sig, 'lift');
  const params = sig.params.map((_, i) => `a${i}`);
  const state = e.helper(guard.state, 'state');
  const g = e.helper(guard, 'guard');
  const coreFn = e.helper(core, 'core');
  const label = str(name);
  // A borrow of a resource this instance defines lowers to its rep: no scope to track.
  const borrows = sig.params.some((p) => containsForeignBorrow(p.type, guard.state));

  const fn = e.build<(...args: unknown[]) => unknown>(name.replace(SAFE_NAME, '_') || 'lifted', params, () => {
    e.line(`if (${state}.poisoned) ${g}.refuse(${label});`);
    e.line(`if (arguments.length !== ${params.length}) ${e.helper(wrongArity, 'wrongArity')}(${label}, ${params.length}, arguments.length);`);
    // A top-level borrow of this instance's own resource is validated and lowered at once (its
    // rep), before the other arguments are checked: an argument that gives away (`own`) a
    // resource lent to the same call as a borrow is refused, as the canonical ABI requires.
    const early = new Map<number, string>();
    const ownResource = (t: Type) => {
      const u = unalias(t);
      return (u.kind === 'borrow' || u.kind === 'own') && (unalias(u.resource) as RuntimeResource).impl === guard.state ? u : undefined;
    };
    const earlyBorrows = flat.paramsInMemory ? [] : sig.params.flatMap((p, i) => (ownResource(p.type)?.kind === 'borrow' ? [i] : []));
    const ownedOfLent = sig.params.flatMap((p, i) => {
      const u = ownResource(p.type);
      return u?.kind === 'own' && earlyBorrows.some((j) => unalias((unalias(sig.params[j]!.type) as { resource: Type }).resource) === unalias(u.resource)) ? [i] : [];
    });
    const lent = ownedOfLent.length > 0 ? e.tmp('lent') : undefined;
    if (lent) e.line(`const ${lent} = [];`);
    for (const i of earlyBorrows) {
      const p = sig.params[i]!;
      const t = unalias(p.type) as { resource: Type };
      const v = `rep${i}`;
      e.line(`const ${v} = ${e.helper(options.ops, 'ops')}.borrowRep(${e.helper(unalias(t.resource), 'rt')}, ${params[i]}, ${str(camelCase(p.name))}${lent ? `, ${lent}` : ''});`);
      early.set(i, v);
    }
    sig.params.forEach((p, i) => {
      if (early.has(i)) return;
      gen.validate(p.type, params[i]!, camelCase(p.name));
      if (lent && ownedOfLent.includes(i)) {
        const t = unalias(p.type) as { resource: Type };
        e.line(`${e.helper(options.ops, 'ops')}.checkNotLent(${e.helper(unalias(t.resource), 'rt')}, ${params[i]}, ${lent}, ${str(camelCase(p.name))});`);
      }
    });
    // Entering an instance that is running a call traps (and so poisons it), as the spec says.
    e.line('let caller;');
    e.line(`try { caller = ${e.helper(enter, 'enter')}(${state}); } catch (err) { throw ${g}.fail(${label}, err); }`);
    if (borrows) {
      gen.scopeName = e.tmp('scope');
      e.line(`const ${gen.scopeName} = { count: 0 };`);
    }
    e.block('try', () => {
      let args: string[];
      if (flat.paramsInMemory) {
        const tuple: Type = { kind: 'tuple', types: sig.params.map((p) => p.type) };
        const layout = recordLayout(sig.params);
        const ptr = e.tmp('args');
        e.line(`const ${ptr} = ${e.helper(allocate, 'allocate')}(${e.helper(options.memory, 'mem')}, ${e.helper(options.realloc, 'realloc')}, 0, 0, ${alignOf(tuple)}, ${sizeOf(tuple)});`);
        sig.params.forEach((p, i) => gen.store(p.type, params[i]!, ptr, layout.offsets[i]!, camelCase(p.name)));
        args = [ptr];
      } else {
        args = sig.params.flatMap((p, i) => (early.has(i) ? [early.get(i)!] : gen.lowerFlat(p.type, params[i]!, camelCase(p.name))));
      }
      e.line(`const ret = ${coreFn}(${args.join(', ')});`);
      let result = 'undefined';
      if (sig.result) {
        if (flat.resultsInMemory) {
          e.line(`const rp = ret >>> 0;`);
          e.line(`${e.helper(options.memory, 'mem')}.check(rp, ${sizeOf(sig.result)}, ${alignOf(sig.result)});`);
          result = gen.load(sig.result, 'rp', 0);
        } else {
          result = gen.liftFlat(sig.result, { next: () => 'ret' });
        }
      }
      e.line(`const result = ${result};`);
      if (gen.scopeName) e.line(`if (${gen.scopeName}.count !== 0) ${e.helper(trap, 'trap')}(${str(`${name}: the guest returned without dropping a borrowed handle`)});`);
      if (options.postReturn) {
        // post-return may not call out of the instance (CanonicalABI.md: `may_leave` is cleared).
        e.line(`${state}.mayLeave = false;`);
        e.line(`try { ${e.helper(options.postReturn, 'postReturn')}(ret); } finally { ${state}.mayLeave = true; }`);
      }
      e.line('return result;');
    }, '} catch (err) {');
    e.line(`  throw ${g}.fail(${label}, err);`);
    e.line('} finally {');
    e.line(`  ${e.helper(leave, 'leave')}(${state}, caller);`);
    e.line('}');
  });
  return { fn, template: e.template! };
}


/**
 * How a lowered import reaches the host: a function, a method of `self`, a constructor, or a
 * core call (no lowering at all). A
 * method may also be a `function` that takes `self` first (host-imports.ts does so for names
 * the built-in prototypes have).
 */
export type CallStyle =
  | { readonly kind: 'function'; readonly fn: (...args: unknown[]) => unknown }
  | { readonly kind: 'method'; readonly name: string }
  | { readonly kind: 'construct'; readonly cls: new (...args: unknown[]) => unknown }
  /** Takes and returns core values; only for signatures that pass them through (`core-entry.ts`). */
  | { readonly kind: 'core'; readonly fn: (...core: unknown[]) => unknown; readonly binding: CoreCallBinding };

/**
 * Compiles `canon lower`: a core function the guest (whose instance is `state`) calls with
 * flat arguments. `intoComponent`: the callee is lifted from a component instance.
 *
 * may-leave (no calls out of an instance while its realloc or post-return runs) is enforced
 * for calls into component instances. Calls to the host are allowed there, unlike in the
 * Canonical ABI: modules linked by wasm-ld without `_initialize` run their constructors —
 * which call WASI through the preview1 adapter — inside every export, cabi_realloc and
 * post-return included, and would otherwise trap on their first call.
 */
export function compileLower(
  name: string, sig: FuncSig, call: CallStyle, options: ValueOptions, state: InstanceState, intoComponent: boolean,
): Compiled<(...core: unknown[]) => unknown> {
  const e = new Emitter(lowerSite(call, options, state, sig));
  const gen = new ValueCodegen(e, options);
  const flat = flattenSignature(sig, 'lower');
  const coreParams = flat.params.map((_, i) => `c${i}`);
  const lent = sig.params.some((p) => containsKind(p.type, 'borrow'));

  const fn = e.build<(...core: unknown[]) => unknown>(`import_${name.replace(SAFE_NAME, '_')}`, coreParams, () => {
    if (intoComponent) e.line(`${e.helper(checkMayLeave, 'checkMayLeave')}(${e.helper(state, 'state')});`);
    if (lent) {
      gen.lentName = e.tmp('lent');
      e.line(`const ${gen.lentName} = [];`);
    }
    let args: string[];
    if (flat.paramsInMemory) {
      const layout = recordLayout(sig.params);
      e.line(`const ap = c0 >>> 0;`);
      const tuple: Type = { kind: 'tuple', types: sig.params.map((p) => p.type) };
      e.line(`${e.helper(options.memory, 'mem')}.check(ap, ${sizeOf(tuple)}, ${alignOf(tuple)});`);
      args = sig.params.map((p, i) => {
        const x = e.tmp('a');
        e.line(`const ${x} = ${gen.load(p.type, 'ap', layout.offsets[i]!)};`);
        return x;
      });
    } else {
      let next = 0;
      const src: FlatSource = { next: () => `c${next++}` };
      args = sig.params.map((p) => {
        const x = e.tmp('a');
        e.line(`const ${x} = ${gen.liftFlat(p.type, src)};`);
        return x;
      });
    }
    let invoke: string;
    if (call.kind === 'function') invoke = `${e.helper(call.fn, 'host')}(${args.join(', ')})`;
    else if (call.kind === 'construct') invoke = `new ${e.helper(call.cls, 'Host')}(${args.join(', ')})`;
    else if (call.kind === 'method') invoke = `${args[0]}[${str(call.name)}](${args.slice(1).join(', ')})`;
    else throw new Error(`internal: ${name} takes core values and has nothing to lower`);
    const result = sig.result ? unalias(sig.result) : undefined;
    e.line('let r;');
    // While the host runs, the instance calling it may not be entered. A lifted call has
    // marked it so already; a link's direct wasm-to-wasm call (core-trampoline.ts) has not.
    const st = intoComponent ? undefined : e.helper(state, 'state');
    if (st) e.line(`const open = ${st}.mayEnter; ${st}.mayEnter = false;`);
    if (st) e.line('try {');
    if (result?.kind === 'result') {
      e.line(`try { r = { tag: 'ok', val: ${invoke} }; } catch (err) { r = { tag: 'err', val: ${e.helper(errorPayload, 'errorPayload')}(err) }; }`);
    } else {
      e.line(`r = ${invoke};`);
    }
    if (st) e.line(`} finally { ${st}.mayEnter = open; }`);
    if (gen.lentName) e.line(`${e.helper(endLent, 'endLent')}(${gen.lentName});`);
    e.line(`if (r !== null && typeof r === 'object' && typeof r.then === 'function') ${e.helper(asyncHost, 'asyncHost')}(${str(name)});`);
    if (!sig.result) {
      e.line('return;');
      return;
    }
    e.block('try', () => gen.validate(sig.result!, 'r', `result of host function ${name}`), '} catch (err) {');
    e.line(`  ${e.helper(badHostResult, 'badHostResult')}(${str(name)}, err);`);
    e.line('}');
    if (flat.resultsInMemory) {
      e.line(`const rp = c${coreParams.length - 1} >>> 0;`);
      e.line(`${e.helper(options.memory, 'mem')}.check(rp, ${sizeOf(sig.result)}, ${alignOf(sig.result)});`);
      gen.store(sig.result, 'r', 'rp', 0, 'result');
      e.line('return;');
    } else {
      const [v] = gen.lowerFlat(sig.result, 'r', 'result');
      e.line(`return ${v};`);
    }
  });
  return { fn, template: e.template! };
}




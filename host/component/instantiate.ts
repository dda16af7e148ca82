/**
 * Instantiates a parsed component: walks its definitions in order, filling the index
 * spaces of Explainer.md (core funcs, memories, modules, instances; funcs, types,
 * components, instances), instantiating core modules with WebAssembly, and compiling each
 * `canon lift`/`canon lower` to JavaScript. Nested components get their own instance
 * state (handle table, poisoned flag), as the component model prescribes.
 */
import type { CoreMemory, CoreModule } from './core-types.js';
import { limitedMemories, MEMORY_IMPORT_MODULE, withImportedMemories } from './memory-limit.js';
import { FUEL_IMPORT_MODULE, REFUEL_IMPORT, withFuelChecks } from './fuel.js';
import { unlimitedRefuel } from './interrupt.js';
import { isPluginHostError, PluginHostError } from '../../common/errors.js';
import type { CoreSort, Definition, ExternType, Sort } from './binary/ast.js';
import { parseComponent } from './binary/parse.js';
import { coreCompileError } from './core-compile-error.js';
import { validateComponent } from './validate/index.js';
import type { CoreSource } from './canon/core-entry.js';
import { compileLift, compileLower, liftSite, lowerSite, type CallGuard, type CallStyle, type Compiled } from './canon/functions.js';
import { fromTemplate, type SiteBinding, type Template } from './canon/templates.js';
import { checkMayLeave, enter, leave } from './canon/reentrance.js';
import { HandleOps, type GuestBridge } from './canon/handle-ops.js';
import { MemoryView, Trap, type Realloc } from './canon/runtime.js';
import { HandleTable, type InstanceState, type RuntimeResource } from './runtime/resources.js';
import { sharedType } from './runtime/shared-types.js';
import { evalTypeDef, nameType, typeAt, unsupported, type FuncSig, type TypeSpace, type TypeValue } from './runtime/types.js';

/** A component function: its signature and how to call it. */
export interface FuncValue {
  readonly name: string;
  readonly sig: FuncSig;
  readonly call: CallStyle;
  /** Set for functions lifted from a component instance (calling one enters that instance). */
  readonly lifted?: true;
  /** What a lifted function is made of (`canon/core-entry.ts` calls it with core values). */
  readonly source?: CoreSource;
}

export interface InstanceValue {
  readonly exports: Map<string, ExternValue>;
  /** The core memories this component (not its nested components) defined or aliased, for introspection. */
  readonly memories?: readonly CoreMemory[];
}

export interface ComponentValue {
  readonly body: readonly Definition[];
  readonly scope: Scope;
}

export type ExternValue =
  | { readonly sort: 'func'; readonly func: FuncValue }
  | { readonly sort: 'instance'; readonly instance: InstanceValue }
  | { readonly sort: 'type'; readonly type: TypeValue }
  | { readonly sort: 'component'; readonly component: ComponentValue }
  | { readonly sort: 'core module'; readonly module: CoreModule };

/** The index spaces of one component (instance) being evaluated. */
interface Scope extends TypeSpace {
  readonly parent?: Scope;
  readonly coreFuncs: ((...args: unknown[]) => unknown)[];
  readonly coreTables: unknown[];
  readonly coreMemories: CoreMemory[];
  readonly coreGlobals: unknown[];
  readonly coreTags: unknown[];
  readonly coreTypes: unknown[];
  readonly coreModules: CoreModule[];
  readonly coreInstances: Record<string, unknown>[];
  readonly funcs: FuncValue[];
  readonly components: ComponentValue[];
  readonly instances: InstanceValue[];
}

export interface CompiledComponent {
  readonly definitions: readonly Definition[];
  readonly modules: ReadonlyMap<Definition, CoreModule>;
  /** The root component's imports, in order. */
  readonly imports: readonly { name: string; type: ExternType }[];
  /**
   * Generated glue by call site (a definition's position in the tree), filled by the first
   * instantiation and reused by the next ones; the persistent cache stores it too.
   */
  readonly templates?: Map<string, Template>;
  /** Its core modules check fuel (`fuel.ts`): instances need a `refuel` (`InstantiateHooks.refuel`). */
  readonly interruptible?: boolean;
}

export interface CompileOptions {
  /** Instrument the core modules with fuel checks, so calls can be interrupted (`fuel.ts`). */
  readonly interruptible?: boolean;
}

/**
 * The one place a core module is compiled: its memories become imports (`memory-limit.ts`),
 * then, when asked, fuel checks are added (`fuel.ts`). A rewrite that refuses the module
 * rejects the compilation.
 */
function compileCore(bytes: Uint8Array, options: CompileOptions): Promise<WebAssembly.Module> {
  let limited: Uint8Array | undefined;
  try {
    limited = withImportedMemories(bytes);
    return WebAssembly.compile((options.interruptible ? withFuelChecks(limited) : limited) as Uint8Array<ArrayBuffer>);
  } catch (e) {
    // A module the fuel rewrite cannot read may simply be invalid: then the engine's compile
    // error says so (ERR_COMPONENT_INVALID), not "unsupported", which would let a manifest's
    // process fallback run instead of a corrupt component.
    if (limited && isPluginHostError(e) && e.code === 'ERR_COMPONENT_UNSUPPORTED' && !WebAssembly.validate(limited as Uint8Array<ArrayBuffer>)) {
      return WebAssembly.compile(limited as Uint8Array<ArrayBuffer>);
    }
    return Promise.reject(e);
  }
}

/** Positions of definitions in the tree (`3`, `7/2`, …): stable names for call sites. */
const siteKeys = new WeakMap<readonly Definition[], Map<Definition, string>>();

export function siteKeyOf(root: readonly Definition[], def: Definition): string {
  let keys = siteKeys.get(root);
  if (!keys) {
    keys = new Map();
    const walk = (defs: readonly Definition[], prefix: string) => {
      defs.forEach((d, i) => {
        keys!.set(d, `${prefix}${i}`);
        if (d.kind === 'component') walk(d.body, `${prefix}${i}/`);
      });
    };
    walk(root, '');
    siteKeys.set(root, keys);
  }
  return keys.get(def)!;
}

/**
 * Parses and validates a component and compiles its core modules (the expensive, cacheable
 * part). `parsed`: the definitions of these very bytes from the persistent cache, which
 * stores only components that passed validation (skips parsing and validating).
 */
export async function compileComponent(bytes: Uint8Array, parsed?: Definition[], options: CompileOptions = {}): Promise<CompiledComponent> {
  // Core modules start compiling (off the main thread) before the component is parsed.
  const early = compileTopLevelModules(bytes, options);
  let definitions: Definition[];
  try {
    if (parsed) definitions = parsed;
    else {
      definitions = parseComponent(bytes);
      // Before anything is instantiated: the glue generated later relies on what this checks.
      validateComponent(definitions, bytes);
    }
  } catch (e) {
    for (const p of early.values()) p.catch(() => {});
    throw e;
  }
  const pending: Promise<void>[] = [];
  const modules = new Map<Definition, WebAssembly.Module>();
  const visit = (defs: readonly Definition[], topLevel: boolean) => {
    for (const d of defs) {
      if (d.kind === 'core module') {
        const compiling = (topLevel ? early.get(d.at) : undefined) ?? compileCore(d.bytes, options);
        pending.push(compiling.then(
          (m) => { modules.set(d, m); },
          (cause: unknown) => { throw cause instanceof PluginHostError ? cause : coreCompileError(cause, d.at); },
        ));
      } else if (d.kind === 'component') visit(d.body, false);
    }
  };
  visit(definitions, true);
  await Promise.all(pending);
  const imports = definitions.flatMap((d) => (d.kind === 'import' ? [{ name: d.name, type: d.type }] : []));
  return { definitions, modules, imports, templates: new Map(), ...(options.interruptible ? { interruptible: true } : {}) };
}

/**
 * Compilations of the core module sections at the top level of a component, keyed by the
 * offset of their contents. A cheap scan of section headers; anything odd ends it (the parser
 * reports what is wrong).
 */
function compileTopLevelModules(bytes: Uint8Array, options: CompileOptions): Map<number, Promise<WebAssembly.Module>> {
  const started = new Map<number, Promise<WebAssembly.Module>>();
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    let size = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= bytes.length || shift > 28) return started;
      b = bytes[pos++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    if (size > bytes.length - pos) return started;
    if (id === 1) started.set(pos, compileCore(bytes.subarray(pos, pos + size), options));
    pos += size;
  }
  return started;
}

/** Supplies each root import; `space` resolves the type indices its declared type uses. */
export type ImportResolver = (name: string, type: ExternType, space: TypeSpace) => ExternValue;

export interface InstantiateHooks {
  /** Called once when any instance is poisoned by a guest failure. */
  onPoison?(error: PluginHostError): void;
  /** Maps a failure thrown out of guest code to the error callers see. */
  mapFailure?(cause: unknown): PluginHostError | undefined;
  /**
   * A failure that happened in another instance the guest called directly (a link's core
   * call, `canon/core-trampoline.ts`): the error that stands for it, as the failure's cause.
   */
  attribute?(cause: unknown): unknown;
  /** How guest-defined resources appear to the host (see `GuestBridge`). */
  bridge?: GuestBridge;
  /**
   * Evaluate types, imports and exports only: no core module is instantiated and no guest
   * code runs; exported functions exist with their signatures but cannot be called. Used
   * by a host that runs the component elsewhere (a worker) but needs its types here.
   */
  typesOnly?: boolean;
  /** Bytes each linear memory may grow to (`memory-limit.ts`); none: the wasm32 maximum. */
  memoryBytes?: number;
  /** The `refuel` of an interruptible component's instances (`interrupt.ts`); none: fuel is never refused. */
  refuel?: () => number;
  /** Bytes one lifted string or list may span (`MemoryView.checkValueSize`); none: the ABI's maximum. */
  maxValueBytes?: number;
}

const CORE_TYPE = Object.freeze({ kind: 'core type' });

const notCallable = () => {
  throw new PluginHostError('ERR_UNSUPPORTED', 'this component was evaluated for its types only');
};

/** Stands in for a core instance when evaluating types only: every export is a stub. */
const stubCoreInstance: Record<string, unknown> = new Proxy({}, { get: () => notCallable, has: () => true });

/** Instantiates the root component. Failures during instantiation throw `ERR_LOAD_FAILED`. */
export function instantiateComponent(compiled: CompiledComponent, resolveImport: ImportResolver, hooks: InstantiateHooks = {}): InstanceValue {
  return new Evaluator(compiled, hooks).run(compiled.definitions, undefined, (name, type, scope) => resolveImport(name, type, scope));
}

/** Runs `f` with the instance marked as unable to call out (its realloc). */
function withoutLeaving<A extends unknown[], R>(state: InstanceState, f: (...a: A) => R): (...a: A) => R {
  return (...a) => {
    state.mayLeave = false;
    try {
      return f(...a);
    } finally {
      state.mayLeave = true;
    }
  };
}

class Evaluator {
  constructor(private readonly compiled: CompiledComponent, private readonly hooks: InstantiateHooks) {}

  /**
   * Generated glue for a call site: from the component's template, or generated (and kept).
   * The key is what determines the code: the site, and for a lowered import also how its
   * callee is reached (a nested component instantiated twice may lower different callees).
   */
  private glue<F>(def: Definition, variant: string, binding: () => SiteBinding, generate: () => Compiled<F>): F {
    const key = `${siteKeyOf(this.compiled.definitions, def)}${variant}`;
    const template = this.compiled.templates?.get(key);
    if (template) return fromTemplate<F>(template, binding());
    const made = generate();
    this.compiled.templates?.set(key, made.template);
    return made.fn;
  }

  run(
    body: readonly Definition[], parent: Scope | undefined, imports: (name: string, type: ExternType, scope: Scope) => ExternValue,
    parentState?: InstanceState,
  ): InstanceValue {
    const scope: Scope = {
      parent, types: [], coreFuncs: [], coreTables: [], coreMemories: [], coreGlobals: [], coreTags: [], coreTypes: [],
      coreModules: [], coreInstances: [], funcs: [], components: [], instances: [],
    };
    const state: InstanceState = { handles: new HandleTable(), poisoned: false, mayEnter: true, mayLeave: true, ...(parentState ? { parent: parentState } : {}) };
    const reallocAt = (index: number | undefined) =>
      (index === undefined ? undefined : withoutLeaving(state, at(scope.coreFuncs, index, 'core func') as Realloc));
    const ops = new HandleOps(state, this.hooks.bridge);
    const guard = this.guard(state);
    const memoryViews = new Map<WebAssembly.Memory, MemoryView>();
    const view = (index: number | undefined): MemoryView | undefined => {
      if (index === undefined) return undefined;
      const memory = at(scope.coreMemories, index, 'core memory');
      let v = memoryViews.get(memory);
      if (!v) memoryViews.set(memory, (v = new MemoryView(memory, this.hooks.maxValueBytes)));
      return v;
    };
    const exports = new Map<string, ExternValue>();

    for (const def of body) {
      switch (def.kind) {
        case 'core module': scope.coreModules.push(this.compiled.modules.get(def)!); break;
        // Core types matter only to validation; a placeholder keeps indices (and outer aliases) right.
        case 'core type': scope.coreTypes.push(def.def ?? CORE_TYPE); break;
        case 'core instance': scope.coreInstances.push(this.hooks.typesOnly ? stubCoreInstance : this.coreInstance(def, scope, state)); break;
        case 'component': scope.components.push({ body: def.body, scope }); break;
        case 'instance': {
          if (def.expr.kind === 'exports') {
            const map = new Map<string, ExternValue>();
            for (const x of def.expr.exports) map.set(x.name, externAt(scope, x.sort, x.index));
            scope.instances.push({ exports: map });
          } else {
            const component = at(scope.components, def.expr.component, 'component');
            const args = new Map(def.expr.args.map((a) => [a.name, externAt(scope, a.sort, a.index)] as const));
            scope.instances.push(this.run(component.body, component.scope, (name) => {
              const v = args.get(name);
              if (!v) throw new PluginHostError('ERR_COMPONENT_INVALID', `nested component import ${name} was not supplied`);
              return v;
            }, state));
          }
          break;
        }
        case 'alias': this.alias(def.alias, scope); break;
        case 'type':
          scope.types.push(sharedType(def.def, evalTypeDef(def.def, scope, { state, dtor: (index) => destructor(at(scope.coreFuncs, index, 'core func'), guard) })));
          break;
        case 'canon': {
          const c = def.canon;
          if (c.kind === 'unsupported') throw unsupported(c.what);
          if (c.kind === 'lift') {
            if (c.options.async || c.options.callback !== undefined) throw unsupported('async lifted functions');
            const t = typeAt(scope, c.type);
            if (t.kind !== 'func') throw new PluginHostError('ERR_COMPONENT_INVALID', `canon lift type ${c.type} is not a function type`);
            if (this.hooks.typesOnly) {
              scope.funcs.push({ name: `lifted#${scope.funcs.length}`, sig: t.sig, call: { kind: 'function', fn: notCallable } });
              break;
            }
            const core = at(scope.coreFuncs, c.coreFunc, 'core func');
            const liftOptions = {
              encoding: c.options.stringEncoding,
              ops,
              ...optional('memory', view(c.options.memory)),
              ...optional('realloc', reallocAt(c.options.realloc)),
              ...optional('postReturn', c.options.postReturn === undefined ? undefined : at(scope.coreFuncs, c.options.postReturn, 'core func')),
            };
            const name = `lifted#${scope.funcs.length}`;
            const fn = this.glue(def, '', () => liftSite(core, liftOptions, guard, t.sig),
              () => compileLift(name, t.sig, core, liftOptions, guard));
            scope.funcs.push({ name: `lifted#${scope.funcs.length}`, sig: t.sig, call: { kind: 'function', fn }, lifted: true, source: { core: core as CoreSource['core'], guard, postReturn: liftOptions.postReturn } });
          } else if (c.kind === 'lower') {
            if (c.options.async) throw unsupported('async lowered functions');
            const f = at(scope.funcs, c.func, 'func');
            if (this.hooks.typesOnly) {
              scope.coreFuncs.push(notCallable);
              break;
            }
            const lowerOptions = {
              encoding: c.options.stringEncoding,
              ops,
              ...optional('memory', view(c.options.memory)),
              ...optional('realloc', reallocAt(c.options.realloc)),
            };
            // A host function that takes core values (a link between two instances of this
            // thread, `canon/core-entry.ts`) is the core import itself: there is nothing to lower.
            if (f.call.kind === 'core') {
              scope.coreFuncs.push(f.call.fn);
              break;
            }
            const variant = `|${f.call.kind}|${f.call.kind === 'method' ? f.call.name : ''}|${f.name}|${f.lifted ? 'lifted' : 'host'}`;
            scope.coreFuncs.push(this.glue(def, variant, () => lowerSite(f.call, lowerOptions, state, f.sig),
              () => compileLower(f.name, f.sig, f.call, lowerOptions, state, f.lifted === true)));
          } else {
            const t = typeAt(scope, c.type);
            if (t.kind !== 'resource') throw new PluginHostError('ERR_COMPONENT_INVALID', `${c.kind} on a non-resource type`);
            scope.coreFuncs.push(resourceBuiltin(c.kind, t.resource, ops, state));
          }
          break;
        }
        case 'start': throw unsupported('start functions');
        case 'import': pushExtern(scope, def.type.sort, imports(def.name, def.type, scope)); break;
        case 'export': {
          const v = externAt(scope, def.sort, def.index);
          if (v.sort === 'type') nameType(v.type, def.name);
          if (v.sort === 'func') (v.func as { name: string }).name = def.name;
          exports.set(def.name, v);
          pushExtern(scope, v.sort, v);
          break;
        }
      }
    }
    return { exports, memories: [...new Set(scope.coreMemories)] };
  }

  private guard(state: InstanceState): CallGuard {
    const hooks = this.hooks;
    return {
      state,
      refuse(name) {
        if (state.poisoned) throw new PluginHostError('ERR_TRAPPED', `cannot call ${name}: the plugin trapped earlier and its instance is poisoned`);
        throw new PluginHostError('ERR_BUSY', `cannot call ${name} while the plugin is itself calling the host (re-entrance)`);
      },
      fail(name, failure) {
        const cause = hooks.attribute?.(failure) ?? failure;
        const first = !state.poisoned;
        state.poisoned = true;
        // A limit the guest went over (limits.maxValueBytes) ends the instance like a trap,
        // but keeps its own code: the caller and the restart policy see ERR_LIMIT.
        const overLimit = cause instanceof PluginHostError && cause.code === 'ERR_LIMIT' ? cause : undefined;
        const mapped = hooks.mapFailure?.(cause) ?? overLimit;
        const error = mapped ?? new PluginHostError('ERR_TRAPPED', `${name} trapped: ${describeFailure(cause)}`, { cause });
        if (first) hooks.onPoison?.(error);
        return error;
      },
    };
  }

  private coreInstance(def: Extract<Definition, { kind: 'core instance' }>, scope: Scope, state: InstanceState): Record<string, unknown> {
    if (def.expr.kind === 'exports') {
      const obj: Record<string, unknown> = {};
      for (const x of def.expr.exports) obj[x.name] = coreAt(scope, x.sort, x.index);
      return obj;
    }
    const module = at(scope.coreModules, def.expr.module, 'core module');
    const imports: Record<string, Record<string, unknown>> = {};
    for (const a of def.expr.args) imports[a.name] = at(scope.coreInstances, a.instance, 'core instance') as Record<string, unknown>;
    const memories = limitedMemories(module, this.hooks.memoryBytes);
    if (memories) imports[MEMORY_IMPORT_MODULE] = memories;
    if (this.compiled.interruptible) imports[FUEL_IMPORT_MODULE] = { [REFUEL_IMPORT]: this.hooks.refuel ?? unlimitedRefuel };
    // A start function runs inside the instance: calling back into it from there is re-entrance.
    let caller: InstanceState | undefined;
    try {
      caller = enter(state);
      return new WebAssembly.Instance(module, imports as WebAssembly.Imports).exports as Record<string, unknown>;
    } catch (cause) {
      state.poisoned = true;
      if (cause instanceof WebAssembly.LinkError) {
        throw new PluginHostError('ERR_COMPONENT_INVALID', `a core module cannot be linked: ${cause.message}`, { cause });
      }
      throw new PluginHostError('ERR_LOAD_FAILED', `the plugin failed while starting: ${describeFailure(cause)}`, { cause });
    } finally {
      leave(state, caller);
    }
  }

  private alias(alias: Extract<Definition, { kind: 'alias' }>['alias'], scope: Scope): void {
    if (alias.kind === 'export') {
      const inst = at(scope.instances, alias.instance, 'instance');
      const v = inst.exports.get(alias.name);
      if (!v) throw new PluginHostError('ERR_COMPONENT_INVALID', `instance ${alias.instance} has no export ${alias.name}`);
      if (v.sort !== alias.sort) throw new PluginHostError('ERR_COMPONENT_INVALID', `export ${alias.name} is a ${v.sort}, not a ${alias.sort}`);
      pushExtern(scope, alias.sort, v);
    } else if (alias.kind === 'core export') {
      const inst = at(scope.coreInstances, alias.instance, 'core instance');
      if (!(alias.name in inst)) throw new PluginHostError('ERR_COMPONENT_INVALID', `core instance ${alias.instance} has no export ${alias.name}`);
      coreSpace(scope, alias.sort as CoreSort).push(inst[alias.name]);
    } else {
      let target: Scope | undefined = scope;
      for (let i = 0; i < alias.count; i++) target = target?.parent;
      if (!target) throw new PluginHostError('ERR_COMPONENT_INVALID', 'outer alias reaches past the outermost component');
      if (alias.sort.startsWith('core ')) coreSpace(scope, alias.sort as CoreSort).push(at(coreSpace(target, alias.sort as CoreSort), alias.index, alias.sort));
      else pushExtern(scope, alias.sort, externAt(target, alias.sort, alias.index));
    }
  }
}

/*
 * The functions an instance keeps are made outside `Evaluator.run`: a closure made there
 * would keep run's whole context alive, and with it the instance's index spaces (a dozen
 * arrays, every core instance's export object), which nothing needs after instantiation.
 */

function destructor(f: (rep: number) => unknown, guard: CallGuard): (rep: number) => void {
  return (rep) => {
    try {
      f(rep);
    } catch (cause) {
      throw guard.fail('resource destructor', cause);
    }
  };
}

function resourceBuiltin(kind: 'resource.new' | 'resource.rep' | 'resource.drop', rt: RuntimeResource, ops: HandleOps, state: InstanceState): (x: unknown) => unknown {
  // Like imports, resource.new and resource.drop may not be called from realloc or post-return.
  if (kind === 'resource.new') return (rep) => { checkMayLeave(state); return ops.resourceNew(rt, rep as number); };
  if (kind === 'resource.rep') return (i) => ops.resourceRep(rt, i as number);
  return (i) => { checkMayLeave(state); ops.resourceDrop(rt, i as number); };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function at<T>(list: readonly T[], index: number, what: string): T {
  const v = list[index];
  if (v === undefined) throw new PluginHostError('ERR_COMPONENT_INVALID', `${what} index ${index} is out of range`);
  return v;
}

function coreSpace(scope: Scope, sort: CoreSort): unknown[] {
  switch (sort) {
    case 'core func': return scope.coreFuncs;
    case 'core table': return scope.coreTables;
    case 'core memory': return scope.coreMemories;
    case 'core global': return scope.coreGlobals;
    case 'core tag': return scope.coreTags;
    case 'core type': return scope.coreTypes;
    case 'core module': return scope.coreModules;
    case 'core instance': return scope.coreInstances;
  }
}

function coreAt(scope: Scope, sort: CoreSort, index: number): unknown {
  return at(coreSpace(scope, sort), index, sort);
}

function externAt(scope: Scope, sort: Sort, index: number): ExternValue {
  switch (sort) {
    case 'func': return { sort, func: at(scope.funcs, index, 'func') };
    case 'instance': return { sort, instance: at(scope.instances, index, 'instance') };
    case 'type': return { sort, type: typeAt(scope, index) };
    case 'component': return { sort, component: at(scope.components, index, 'component') };
    case 'core module': return { sort, module: at(scope.coreModules, index, 'core module') };
    case 'value': throw unsupported('value definitions');
    default: throw new PluginHostError('ERR_COMPONENT_INVALID', `a ${sort} cannot be exported or passed to a component`);
  }
}

function pushExtern(scope: Scope, sort: Sort, v: ExternValue): void {
  if (v.sort !== sort && !(sort === 'core module' && v.sort === 'core module')) {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `expected a ${sort}, got a ${v.sort}`);
  }
  switch (v.sort) {
    case 'func': scope.funcs.push(v.func); break;
    case 'instance': scope.instances.push(v.instance); break;
    case 'type': scope.types.push(v.type); break;
    case 'component': scope.components.push(v.component); break;
    case 'core module': scope.coreModules.push(v.module); break;
  }
}

function describeFailure(cause: unknown): string {
  if (cause instanceof Trap) return cause.message;
  if (cause instanceof WebAssembly.RuntimeError) return `wasm ${cause.message}`;
  if (cause instanceof RangeError) return `${cause.message} (stack overflow in the guest?)`;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

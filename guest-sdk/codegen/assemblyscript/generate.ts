/**
 * WIT world → AssemblyScript bindings.
 *
 * Output (paths relative to the plugin project):
 *   bindings/<ns>/<pkg>/<iface>.ts  types of each interface; typed functions and resource
 *                                   classes for imported ones
 *   bindings/world.ts               world-level types and imported functions
 *   bindings/tuples.ts              Tuple2… classes, when used
 *   bindings/resources.ts           tables and handle glue for exported resources
 *   bindings/exports.ts             the asc entry: core exports calling the author's code
 *
 * The author implements each exported interface in a module (default `src/<iface>.ts`):
 * its functions, and one class per resource (constructor, methods, statics).
 */
import { flattenSignature, sizeOf, alignOf } from '../../../common/abi/layout.js';
import type { Interface, ResourceType, Type, WitFunction, World } from '../../../common/wit/model.js';
import { interfaceId, unalias, worldId } from '../../../common/wit/model.js';
import { shortInterfaceName } from '../../../common/wit/names.js';
import { somePart } from '../../../common/wit/walk.js';
import { needsPostReturn } from '../core/types.js';
import { bindWorld, type BoundFunction, type BoundInterface } from '../core/world.js';
import { AsAbi, coreTypeName, type ResourceGlue } from './abi.js';
import { ModuleFile } from './module-file.js';
import { authorStub } from './stubs.js';
import { contractComment, interfaceContract, type ContractItem } from './contract.js';
import { asMember, asName, asTypeName, escapeExportName, relativeImport } from './names.js';
import { asType, emitTuples, emitTypeDef, interfaceModule, ownerOf, type TypeHome } from './types.js';

export interface AssemblyScriptBindingsOptions {
  readonly world: World;
  /** Module path (relative to the project, no extension) of the runtime library's index. */
  readonly runtime: string;
  /** Author module per exported interface key (`ns:pkg/iface`, or `$root`); default `src/<iface>`. */
  readonly exportModules?: Readonly<Record<string, string>>;
}

export interface AssemblyScriptBindings {
  /** Path (with `.ts`) → content. */
  readonly files: Map<string, string>;
  /** The asc entry files. */
  readonly entries: readonly string[];
  /** The `--use abort=` target. */
  readonly abort: string;
  /** What each author module must export (checked by the build before asc runs). */
  readonly contracts: readonly { readonly module: string; readonly items: readonly ContractItem[] }[];
}

const ENTRY = 'bindings/exports';
const RESOURCES = 'bindings/resources';
const TUPLES = 'bindings/tuples';
const RET = 'bindings/ret-area';
const ABORT = 'bindings/abort';
const LOG_INTERFACE = 'plugin-actors:host/log';

export function generateAssemblyScript(options: AssemblyScriptBindingsOptions): AssemblyScriptBindings {
  return new Generator(options).run();
}

/**
 * The author modules a new project starts from (path with `.ts` → source): a stub of
 * every exported function and resource, typed as the bindings `generateAssemblyScript`
 * writes for the same options expect them.
 */
export function generateAssemblyScriptStubs(options: AssemblyScriptBindingsOptions): Map<string, string> {
  return new Generator(options).stubs();
}

class Generator {
  private readonly files = new Map<string, ModuleFile>();
  private readonly modules = new Map<Interface | World, string>();
  private readonly tupleArities = new Set<number>();
  private readonly exported = new Map<ResourceType, { iface: BoundInterface; module: string }>();
  private readonly bound: { imports: BoundInterface[]; exports: BoundInterface[] };
  private retArea = 8;
  private importCounter = 0;
  readonly home: TypeHome;
  readonly glue: ResourceGlue;

  constructor(private readonly options: AssemblyScriptBindingsOptions) {
    const world = options.world;
    this.bound = bindWorld(world);
    this.modules.set(world, 'bindings/world');
    for (const b of [...this.bound.imports, ...this.bound.exports]) if (b.iface) this.modules.set(b.iface, interfaceModule(b.iface, b.key));
    for (const b of this.bound.exports) for (const r of b.resources) this.exported.set(r, { iface: b, module: this.authorModule(b) });
    const self = this;
    this.home = {
      runtime: options.runtime,
      tuples: TUPLES,
      moduleOf: (owner) => {
        const m = self.modules.get(owner);
        if (!m) throw new Error(`internal: no module for ${'name' in owner ? owner.name : 'owner'}`);
        return m;
      },
      authorClass: (r) => {
        const e = self.exported.get(r);
        return e ? { module: e.module, name: asTypeName(r.name) } : undefined;
      },
      useTuple: (n) => { self.tupleArities.add(n); },
    };
    this.glue = this.resourceGlue();
  }

  private authorModule(b: BoundInterface): string {
    const key = b.key.replace(/@.*$/, '');
    const custom = this.options.exportModules?.[b.key] ?? this.options.exportModules?.[key];
    if (custom) return custom.replace(/\.ts$/, '');
    return b.key === '$root' ? 'src/world' : `src/${shortInterfaceName(b.key)}`;
  }

  private file(path: string, what: string): ModuleFile {
    let f = this.files.get(path);
    if (!f) this.files.set(path, (f = new ModuleFile(path, what)));
    return f;
  }

  run(): AssemblyScriptBindings {
    const world = this.options.world;
    const wid = worldId(world);
    // Types first: every interface's named types live in that interface's module.
    for (const b of [...this.bound.imports, ...this.bound.exports]) {
      if (!b.iface) continue;
      const file = this.file(this.modules.get(b.iface)!, `interface ${b.key} of world ${wid}`);
      for (const t of b.iface.types.values()) {
        if (t.kind === 'record' || t.kind === 'variant' || t.kind === 'enum' || t.kind === 'flags') emitTypeDef(t, file, this.home);
      }
    }
    const worldFile = this.file('bindings/world', `world ${wid}`);
    for (const t of world.types.values()) {
      if (t.kind === 'record' || t.kind === 'variant' || t.kind === 'enum' || t.kind === 'flags') emitTypeDef(t, worldFile, this.home);
    }
    // Each exported interface's module shows what its author module implements.
    const contracts = this.bound.exports.map((b) => {
      const path = b.iface ? this.modules.get(b.iface)! : 'bindings/world';
      const items = interfaceContract(b, this.home, path);
      const file = this.file(path, b.iface ? `interface ${b.key} of world ${wid}` : `world ${wid}`);
      file.body.blank();
      for (const line of contractComment(items, this.authorModule(b))) file.body.line(line);
      return { module: this.authorModule(b), items };
    });
    for (const b of this.bound.imports) this.emitImports(b);
    const entry = this.file(ENTRY, `world ${wid} (exports)`);
    this.emitEntry(entry);
    for (const b of this.bound.exports) this.emitExports(b, entry);
    if (this.tupleArities.size > 0) emitTuples(this.file(TUPLES, `world ${wid} (tuples)`), this.tupleArities);
    const runtime = this.file('bindings/runtime', `world ${wid} (runtime types for plugin code)`);
    runtime.body.line(`export { Option, Result, Unit } from "${relativeImport(runtime.path, this.options.runtime)}";`);
    const ret = this.file(RET, `world ${wid} (return area)`);
    ret.body.line('/** Scratch memory for results passed through memory (calls never overlap). */');
    ret.body.line(`export const RET_AREA: usize = memory.data(${this.retArea}, 8);`);
    const files = new Map<string, string>();
    for (const f of this.files.values()) {
      if (f.path === 'bindings/world' && world.types.size === 0 && !this.bound.imports.some((b) => b.key === '$root')) continue;
      files.set(`${f.path}.ts`, f.render());
    }
    return { files, entries: [`${ENTRY}.ts`, `${ABORT}.ts`], abort: `${ABORT}/__pluginAbort`, contracts };
  }

  stubs(): Map<string, string> {
    const importModules = this.bound.imports.map((b) => ({ key: b.key, module: b.iface ? this.modules.get(b.iface)! : 'bindings/world' }));
    const ctx = { home: this.home, worldId: worldId(this.options.world), importModules };
    return new Map(this.bound.exports.map((b) => [`${this.authorModule(b)}.ts`, authorStub(b, this.authorModule(b), ctx)]));
  }

  private needRetArea(t: Type): void {
    this.retArea = Math.max(this.retArea, Math.ceil(sizeOf(t) / 8) * 8);
  }

  // ---------------------------------------------------------------- imports

  private emitImports(b: BoundInterface): void {
    const path = b.iface ? this.modules.get(b.iface)! : 'bindings/world';
    const file = this.file(path, b.iface ? `interface ${b.key}` : `world ${worldId(this.options.world)}`);
    const w = file.body;
    for (const r of b.resources) {
      const cls = file.define(asTypeName(r.name));
      const dropName = this.declareImport(file, b.key, `[resource-drop]${r.name}`, ['i32'], []);
      w.blank();
      if (r.docs) w.line(`/** ${r.docs.split('\n').join('\n * ')} */`);
      w.block(`export class ${cls}`, () => {
        w.line('/** Handles lent by the host for the current call; dropped before it returns. */');
        w.line('static __lent: Array<i32> = new Array<i32>();');
        w.blank();
        w.line('constructor(public handle: i32) {}');
        w.blank();
        w.block(`static __lend(handle: i32): ${cls}`, () => {
          w.line(`${cls}.__lent.push(handle);`);
          w.line(`return new ${cls}(handle);`);
        });
        w.block('static __endLent(): void', () => {
          w.line(`for (let i = 0; i < ${cls}.__lent.length; i++) ${dropName}(unchecked(${cls}.__lent[i]));`);
          w.line(`${cls}.__lent.length = 0;`);
        });
        w.blank();
        w.line('/** Gives up the handle (it moves to the host); the object is unusable afterwards. */');
        w.block('take(): i32', () => {
          w.line('const h = this.handle;');
          w.line('if (h == 0) throw new Error("resource already dropped or moved");');
          w.line('this.handle = 0;');
          w.line('return h;');
        });
        w.line('/** Drops the resource; using it afterwards aborts. */');
        w.block('drop(): void', () => {
          w.block('if (this.handle != 0)', () => {
            w.line(`${dropName}(this.handle);`);
            w.line('this.handle = 0;');
          });
        });
        for (const f of b.functions) {
          if (f.func.resource !== r) continue;
          w.blank();
          this.emitImportFunction(file, f);
        }
      });
    }
    for (const f of b.functions) {
      if (f.func.resource) continue;
      w.blank();
      this.emitImportFunction(file, f);
    }
  }

  private declareImport(file: ModuleFile, module: string, name: string, params: string[], results: string[]): string {
    const local = file.define(`__wit_import_${this.importCounter++}`);
    file.decls.line('// @ts-ignore: decorator');
    file.decls.line(`@external(${JSON.stringify(module)}, ${JSON.stringify(name)})`);
    const ps = params.map((p, i) => `p${i}: ${p}`).join(', ');
    file.decls.line(`declare function ${local}(${ps}): ${results[0] ?? 'void'};`);
    return local;
  }

  /** A typed wrapper for one imported function (a class member for resource functions). */
  private emitImportFunction(file: ModuleFile, bf: BoundFunction): void {
    const f = bf.func;
    const sig = flattenSignature(f, 'lower');
    const w = file.body;
    const coreName = f.name;
    const decl = this.declareImport(file, bf.module, coreName, sig.params.map(coreTypeName), sig.results.map(coreTypeName));
    const abi = new AsAbi(w, file, this.home, this.glue);
    const params = f.kind === 'method' ? f.params.slice(1) : f.params;
    const paramList = params.map((p) => `${asName(p.name)}: ${asType(p.type, file, this.home)}`).join(', ');
    const resultType = f.kind === 'constructor' ? asTypeName(f.resource!.name) : f.result ? asType(f.result, file, this.home) : 'void';
    const head = f.kind === 'method'
      ? `${asMember(f.shortName)}(${paramList}): ${resultType}`
      : f.kind === 'static' ? `static ${asMember(f.shortName)}(${paramList}): ${resultType}`
      : f.kind === 'constructor' ? `static construct(${paramList}): ${resultType}`
      : `export function ${file.define(asName(f.name))}(${paramList}): ${resultType}`;
    if (f.docs) w.line(`/** ${f.docs.split('\n').join('\n * ')} */`);
    // Only strings and lists (and arguments spilled to memory) are lowered into allocations
    // to free after the call; a call of scalars has none, and runs no bookkeeping.
    const allocates = sig.paramsInMemory || f.params.some((p) => somePart(p.type, (t) => t.kind === 'string' || t.kind === 'list'));
    const free = allocates ? () => w.line(`${file.use(this.home.runtime, 'freeTracked')}(__mark);`) : () => {};
    w.block(head, () => {
      if (allocates) w.line(`const __mark = ${file.use(this.home.runtime, 'trackedMark')}();`);
      const values = f.kind === 'method' ? ['this', ...params.map((p) => asName(p.name))] : f.params.map((p) => asName(p.name));
      let args: string[];
      if (sig.paramsInMemory) {
        const tuple: Type = { kind: 'tuple', types: f.params.map((p) => p.type) };
        const block = abi.tmp('args');
        w.line(`const ${block} = ${file.use(this.home.runtime, 'allocTracked')}(${sizeOf(tuple)}, ${alignOf(tuple)});`);
        this.storeParams(abi, f, values, block);
        args = [block];
      } else {
        args = f.params.flatMap((p, i) => abi.lowerFlat(p.type, values[i]!));
      }
      if (sig.resultsInMemory) {
        this.needRetArea(f.result!);
        args.push(file.use(RET, 'RET_AREA'));
      }
      const call = `${decl}(${args.join(', ')})`;
      if (!f.result) {
        w.line(`${call};`);
        free();
        return;
      }
      let result: string;
      if (sig.resultsInMemory) {
        w.line(`${call};`);
        result = abi.load(f.result, file.use(RET, 'RET_AREA'), 0);
      } else {
        w.line(`const __ret = ${call};`);
        result = abi.liftFlat(f.result, () => '__ret');
      }
      if (!allocates) {
        w.line(`return ${result};`);
        return;
      }
      w.line(`const __result = ${result};`);
      free();
      w.line('return __result;');
    });
  }

  private storeParams(abi: AsAbi, f: WitFunction, values: string[], block: string): void {
    let offset = 0;
    let align = 1;
    f.params.forEach((p, i) => {
      const a = alignOf(p.type);
      align = Math.max(align, a);
      offset = Math.ceil(offset / a) * a;
      abi.store(p.type, values[i]!, block, offset);
      offset += sizeOf(p.type);
    });
  }

  // ---------------------------------------------------------------- exports

  private emitEntry(entry: ModuleFile): void {
    entry.body.line(`export { cabi_realloc } from "${relativeImport(entry.path, this.options.runtime)}";`);
    // The abort handler lives in a module of its own that imports nothing: asc compiles it
    // while compiling other modules' globals, and imports from there crash the compiler.
    const abort = this.file(ABORT, `world ${worldId(this.options.world)} (abort handler)`);
    const w = abort.body;
    const logImport = this.bound.imports.find((b) => b.key.replace(/@.*$/, '') === LOG_INTERFACE);
    const level = logImport?.iface?.types.get('level');
    const errorLevel = level?.kind === 'enum' ? level.cases.findIndex((c) => c.name === 'error') : -1;
    if (logImport && errorLevel >= 0) {
      w.line('// @ts-ignore: decorator');
      w.line(`@external(${JSON.stringify(logImport.key)}, "log")`);
      w.line('declare function hostLog(level: i32, ptr: usize, len: usize): void;');
      w.blank();
    }
    w.line('/** `abort` (failed assertions, uncaught errors): logged to the host, then a trap. */');
    w.block('export function __pluginAbort(message: string | null, fileName: string | null, line: u32, column: u32): void', () => {
      if (logImport && errorLevel >= 0) {
        w.line('const text = "abort: " + (message ? message! : "(no message)") + " at " + (fileName ? fileName! : "?") + ":" + line.toString() + ":" + column.toString();');
        w.line('const bytes = String.UTF8.encode(text);');
        w.line(`hostLog(${errorLevel}, changetype<usize>(bytes), <usize>bytes.byteLength);`);
      }
      w.line('unreachable();');
    });
  }

  private emitExports(b: BoundInterface, entry: ModuleFile): void {
    const w = entry.body;
    const author = this.authorModule(b);
    const impl = entry.useNamespace(author, `impl_${asName(shortInterfaceName(b.key)).replace(/[^A-Za-z0-9_]/g, '_')}`);
    for (const bf of b.functions) {
      w.blank();
      this.emitExportFunction(entry, bf, impl);
    }
    for (const r of b.resources) {
      const table = entry.use(RESOURCES, `${asTypeName(r.name)}_table`);
      w.blank();
      w.line(`/** Destructor of \`${r.name}\`: the host dropped its last handle. */`);
      w.block(`export function ${escapeExportName(`${b.key}#[dtor]${r.name}`)}(rep: i32): void`, () => {
        w.line(`${table}.remove(rep);`);
      });
    }
  }

  private emitExportFunction(entry: ModuleFile, bf: BoundFunction, impl: string): void {
    const f = bf.func;
    const sig = flattenSignature(f, 'lift');
    const w = entry.body;
    const abi = new AsAbi(w, entry, this.home, this.glue);
    const params = sig.params.map((t, i) => `c${i}: ${coreTypeName(t)}`).join(', ');
    const lentResources = new Set<ResourceType>();
    for (const p of f.params) collectBorrowedImports(p.type, this.exported, lentResources);
    if (f.docs) w.line(`/** ${f.docs.split('\n')[0]} */`);
    w.block(`export function ${escapeExportName(bf.coreName)}(${params}): ${sig.results[0] ? coreTypeName(sig.results[0]) : 'void'}`, () => {
      let values: string[];
      if (sig.paramsInMemory) {
        w.line('const block = <usize><u32>c0;');
        let offset = 0;
        values = f.params.map((p) => {
          const a = alignOf(p.type);
          offset = Math.ceil(offset / a) * a;
          const v = abi.tmp('a');
          w.line(`const ${v} = ${abi.load(p.type, 'block', offset)};`);
          offset += sizeOf(p.type);
          return v;
        });
        const tuple: Type = { kind: 'tuple', types: f.params.map((p) => p.type) };
        w.line(`heap.free(block); // ${sizeOf(tuple)} bytes the host allocated`);
      } else {
        let next = 0;
        values = f.params.map((p) => {
          const v = abi.tmp('a');
          w.line(`const ${v} = ${abi.liftFlat(p.type, () => `c${next++}`)};`);
          return v;
        });
      }
      const call = this.implCall(entry, f, impl, values);
      if (f.result) w.line(`const result = ${call};`);
      else w.line(`${call};`);
      for (const r of lentResources) w.line(`${entry.use(this.home.moduleOf(ownerOf(r)), asTypeName(r.name))}.__endLent();`);
      if (!f.result) return;
      if (sig.resultsInMemory) {
        this.needRetArea(f.result);
        const ret = entry.use(RET, 'RET_AREA');
        abi.store(f.result, 'result', ret, 0);
        w.line(`return <i32>${ret};`);
      } else {
        const [v] = abi.lowerFlat(f.result, 'result');
        w.line(`return ${v};`);
      }
    });
    if (f.result && needsPostReturn(f.result)) {
      w.block(`export function ${escapeExportName(bf.postReturnName)}(ret: ${coreTypeName(sig.results[0]!)}): void`, () => {
        w.line(`${entry.use(this.home.runtime, 'freeTracked')}();`);
      });
    }
  }

  /** The call of the author's implementation. */
  private implCall(entry: ModuleFile, f: WitFunction, impl: string, values: string[]): string {
    const cls = f.resource ? `${impl}.${asTypeName(f.resource.name)}` : '';
    switch (f.kind) {
      case 'freestanding': return `${impl}.${asMember(f.name)}(${values.join(', ')})`;
      case 'constructor': return `new ${cls}(${values.join(', ')})`;
      case 'static': return `${cls}.${asMember(f.shortName)}(${values.join(', ')})`;
      case 'method': return `${values[0]}.${asMember(f.shortName)}(${values.slice(1).join(', ')})`;
    }
    void entry;
  }

  // ---------------------------------------------------------------- resources

  private resourceGlue(): ResourceGlue {
    const self = this;
    const helper = (r: ResourceType, file: ModuleFile, what: string) => {
      self.ensureResourceModule(r);
      return file.use(RESOURCES, `${asTypeName(r.name)}_${what}`);
    };
    const importedClass = (r: ResourceType, file: ModuleFile) => file.use(self.home.moduleOf(ownerOf(r)), asTypeName(r.name));
    return {
      lowerOwn: (r, v, file) => (self.exported.has(r) ? `${helper(r, file, 'lowerOwn')}(${v})` : `(${v}).take()`),
      lowerBorrow: (r, v, file) => (self.exported.has(r) ? `${helper(r, file, 'lowerBorrow')}(${v})` : `(${v}).handle`),
      liftOwn: (r, h, file) => (self.exported.has(r) ? `${helper(r, file, 'liftOwn')}(${h})` : `new ${importedClass(r, file)}(${h})`),
      liftBorrow: (r, h, file) => (self.exported.has(r) ? `${helper(r, file, 'table')}.get(${h})` : `${importedClass(r, file)}.__lend(${h})`),
    };
  }

  private readonly resourceModules = new Set<ResourceType>();

  private ensureResourceModule(r: ResourceType): void {
    if (this.resourceModules.has(r)) return;
    this.resourceModules.add(r);
    const e = this.exported.get(r)!;
    const file = this.file(RESOURCES, `world ${worldId(this.options.world)} (exported resources)`);
    const w = file.body;
    const name = asTypeName(r.name);
    const cls = file.use(e.module, name);
    const module = `[export]${e.iface.key}`;
    const newFn = this.declareImport(file, module, `[resource-new]${r.name}`, ['i32'], ['i32']);
    const repFn = this.declareImport(file, module, `[resource-rep]${r.name}`, ['i32'], ['i32']);
    const table = file.define(`${name}_table`);
    w.blank();
    w.line(`export const ${table} = new ${file.use(this.home.runtime, 'ResourceTable')}<${cls}>();`);
    w.blank();
    w.line('/** An owned handle for the host: reuses the handle the guest holds, else makes one. */');
    w.block(`export function ${file.define(`${name}_lowerOwn`)}(value: ${cls}): i32`, () => {
      w.line(`let rep = ${table}.find(value);`);
      w.line(`if (rep == 0) rep = ${table}.add(value);`);
      w.line(`const held = ${table}.handle(rep);`);
      w.block('if (held != 0)', () => {
        w.line(`${table}.setHandle(rep, 0);`);
        w.line('return held;');
      });
      w.line(`return ${newFn}(rep);`);
    });
    w.line('/** A handle to lend to an import; the guest keeps holding it. */');
    w.block(`export function ${file.define(`${name}_lowerBorrow`)}(value: ${cls}): i32`, () => {
      w.line(`let rep = ${table}.find(value);`);
      w.line(`if (rep == 0) rep = ${table}.add(value);`);
      w.line(`let held = ${table}.handle(rep);`);
      w.block('if (held == 0)', () => {
        w.line(`held = ${newFn}(rep);`);
        w.line(`${table}.setHandle(rep, held);`);
      });
      w.line('return held;');
    });
    w.line('/** The object behind an owned handle the host gave back. */');
    w.block(`export function ${file.define(`${name}_liftOwn`)}(handle: i32): ${cls}`, () => {
      w.line(`const rep = ${repFn}(handle);`);
      w.line(`${table}.setHandle(rep, handle);`);
      w.line(`return ${table}.get(rep);`);
    });
  }
}

function collectBorrowedImports(t: Type, exported: Map<ResourceType, unknown>, out: Set<ResourceType>): void {
  somePart(t, (u) => {
    if (u.kind === 'borrow' && !exported.has(unalias(u.resource) as ResourceType)) out.add(unalias(u.resource) as ResourceType);
    return false;
  });
}

export { interfaceId };

/**
 * WIT world → Rust bindings: one file, `src/bindings.rs`, mounted by the plugin crate as
 * `mod bindings;`.
 *
 *   bindings::<ns>::<pkg>::<iface>   the interface's types; for an imported interface its
 *                                    functions and resource wrappers; for an exported one the
 *                                    `Guest` trait, one `Guest<Resource>` trait per resource,
 *                                    and the handle types `<Resource>` / `<Resource>Borrow`
 *   bindings::export!(Type)          the component's exports, calling `Type`'s trait impls
 *
 * Values cross with the `plugin-actors-guest` crate's `Lift`/`Lower` traits; this generator
 * writes those impls for named types and the core functions that convert between core
 * values and Rust values.
 */
import { flattenSignature, recordLayout, sizeOf, type CoreType } from '../../../common/abi/layout.js';
import type { Interface, NamedType, ResourceType, Type, WitFunction, World } from '../../../common/wit/model.js';
import { unalias, worldId } from '../../../common/wit/model.js';
import { SourceWriter } from '../core/source-writer.js';
import { needsPostReturn } from '../core/types.js';
import { bindWorld, type BoundFunction, type BoundInterface } from '../core/world.js';
import { absolutePath, modulePath, rustName, rustTypeName } from './names.js';
import { containsOwn, emitTypeDef, namedPath, ownerOf, RT, rustType } from './types.js';

export interface RustBindingsOptions {
  readonly world: World;
}

/** The generated `src/bindings.rs`. */
export function generateRust(options: RustBindingsOptions): string {
  return new RustGenerator(options.world).run();
}

/**
 * How an exported function is declared in its `Guest` (or `Guest<Resource>`) trait, which
 * is also how the plugin's impl writes it. `exported` tells exported resources apart.
 */
export function exportTraitSignature(f: WitFunction, exported: (r: ResourceType) => boolean): string {
  const params = f.kind === 'method' ? f.params.slice(1) : f.params;
  const args = params.map((p) => `${rustName(p.name)}: ${rustType(p.type, 'value', exported, true)}`);
  if (f.kind === 'constructor') return `fn new(${args.join(', ')}) -> Self`;
  const ret = f.result ? ` -> ${rustType(f.result)}` : '';
  const self = f.kind === 'method' ? ['&self'] : [];
  return `fn ${rustName(f.shortName)}(${[...self, ...args].join(', ')})${ret}`;
}

const CORE: Record<CoreType, string> = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64' };

/** A core value as a flat slot (its bits). */
function toSlot(core: CoreType, value: string): string {
  switch (core) {
    case 'i32': return `(${value} as u32 as u64)`;
    case 'i64': return `(${value} as u64)`;
    case 'f32': return `(${value}.to_bits() as u64)`;
    case 'f64': return `${value}.to_bits()`;
  }
}

/** A flat slot as a core value. */
function fromSlot(core: CoreType, slot: string): string {
  switch (core) {
    case 'i32': return `(${slot} as u32 as i32)`;
    case 'i64': return `(${slot} as i64)`;
    case 'f32': return `f32::from_bits(${slot} as u32)`;
    case 'f64': return `f64::from_bits(${slot})`;
  }
}

interface ModuleNode {
  readonly children: Map<string, ModuleNode>;
  readonly emitters: ((w: SourceWriter) => void)[];
}

class RustGenerator {
  private readonly bound: { imports: BoundInterface[]; exports: BoundInterface[] };
  private readonly exported = new Map<ResourceType, BoundInterface>();
  private readonly root: ModuleNode = { children: new Map(), emitters: [] };
  private readonly typeOwners = new Set<Interface | World>();
  private retArea = 1;

  constructor(private readonly world: World) {
    this.bound = bindWorld(world);
    for (const b of [...this.bound.imports, ...this.bound.exports]) {
      if (b.key === '$root') {
        throw new Error(`world ${worldId(world)} has world-level functions; the Rust generator supports functions in interfaces only`);
      }
    }
    for (const b of this.bound.exports) for (const r of b.resources) this.exported.set(r, b);
    this.checkSupported();
  }

  /** Refuses, with a clear message, what the generated Rust could not express. */
  private checkSupported(): void {
    const imported = new Set(this.bound.imports.map((b) => b.iface));
    for (const b of this.bound.exports) {
      if (imported.has(b.iface)) throw new Error(`${b.key} is both imported and exported; the Rust generator supports one direction per interface`);
      const reserved = new Map([['guest', 'the Guest trait'], ...b.resources.flatMap((r) => [[`guest-${r.name}`, `the Guest${rustTypeName(r.name)} trait`], [`${r.name}-borrow`, `the ${rustTypeName(r.name)}Borrow type`]] as [string, string][])]);
      for (const t of b.iface?.types.values() ?? []) {
        const clash = reserved.get(t.name);
        if (clash) throw new Error(`${b.key}: the type \`${t.name}\` would clash with ${clash} the Rust generator makes; rename it`);
      }
    }
    for (const b of [...this.bound.imports, ...this.bound.exports]) {
      for (const bf of b.functions) {
        const f = bf.func;
        if (f.async) throw new Error(`${b.key}: async function ${f.name} is not supported by the Rust generator`);
        if (b.direction === 'import' && f.resource && f.kind !== 'constructor' && ['handle', 'from-handle'].includes(f.shortName)) {
          throw new Error(`${b.key}: ${f.name} would clash with the \`${rustName(f.shortName)}\` helper of the generated ${rustTypeName(f.resource.name)} type; rename it`);
        }
      }
    }
  }

  run(): string {
    for (const b of [...this.bound.imports, ...this.bound.exports]) {
      this.collectOwners(b);
    }
    for (const owner of this.typeOwners) {
      const types = [...owner.types.values()];
      if (types.length > 0) this.node(modulePath(owner)).emitters.push((w) => this.emitTypes(w, types));
    }
    for (const b of this.bound.imports) this.node(modulePath(b.iface!)).emitters.push((w) => this.emitImport(w, b));
    for (const b of this.bound.exports) this.node(modulePath(b.iface!)).emitters.push((w) => this.emitExportTraits(w, b));

    const w = new SourceWriter('    ');
    w.preamble('//', `world ${worldId(this.world)}`);
    w.line('#![allow(dead_code, unused_imports, unused_unsafe, unused_mut, unused_parens, clippy::all)]');
    w.blank();
    this.emitNode(w, this.root);
    w.blank();
    this.emitExportMacro(w);
    return w.toString();
  }

  private collectOwners(b: BoundInterface): void {
    const visit = (t: Type, seen: Set<Type>) => {
      if (seen.has(t)) return;
      seen.add(t);
      if (t.kind === 'alias' || t.kind === 'record' || t.kind === 'variant' || t.kind === 'enum' || t.kind === 'flags' || t.kind === 'resource') {
        this.typeOwners.add(ownerOf(t));
      }
      const u = unalias(t);
      if (u !== t) visit(u, seen);
      switch (u.kind) {
        case 'list': visit(u.element, seen); break;
        case 'option': visit(u.some, seen); break;
        case 'result': if (u.ok) visit(u.ok, seen); if (u.err) visit(u.err, seen); break;
        case 'tuple': u.types.forEach((x) => visit(x, seen)); break;
        case 'record': u.fields.forEach((f) => visit(f.type, seen)); break;
        case 'variant': u.cases.forEach((c) => c.type && visit(c.type, seen)); break;
        case 'own': case 'borrow': visit(u.resource, seen); break;
        default: break;
      }
    };
    const seen = new Set<Type>();
    if (b.iface) this.typeOwners.add(b.iface);
    for (const t of b.iface?.types.values() ?? []) visit(t, seen);
    for (const f of b.functions) {
      f.func.params.forEach((p) => visit(p.type, seen));
      if (f.func.result) visit(f.func.result, seen);
    }
  }

  private node(path: readonly string[]): ModuleNode {
    let n = this.root;
    for (const segment of path) {
      let child = n.children.get(segment);
      if (!child) {
        child = { children: new Map(), emitters: [] };
        n.children.set(segment, child);
      }
      n = child;
    }
    return n;
  }

  private emitNode(w: SourceWriter, n: ModuleNode): void {
    for (const emit of n.emitters) {
      w.blank();
      emit(w);
    }
    for (const [name, child] of n.children) {
      w.blank();
      w.block(`pub mod ${name}`, () => this.emitNode(w, child));
    }
  }

  private isExported = (r: ResourceType) => this.exported.has(r);

  private emitTypes(w: SourceWriter, types: NamedType[]): void {
    for (const t of types) {
      if (t.kind === 'resource') continue;
      w.blank();
      emitTypeDef(w, t, this.isExported);
    }
  }

  // ---------------------------------------------------------------- imports

  private emitImport(w: SourceWriter, b: BoundInterface): void {
    for (const r of b.resources) {
      w.blank();
      this.emitImportedResource(w, b, r);
    }
    for (const bf of b.functions) {
      if (bf.func.resource) continue;
      w.blank();
      this.emitImportFunction(w, bf);
    }
  }

  private emitImportedResource(w: SourceWriter, b: BoundInterface, r: ResourceType): void {
    const name = rustTypeName(r.name);
    docs(w, r.docs ?? `A \`${r.name}\` the host implements. Dropping this value drops the host's resource.`);
    w.line('#[derive(Debug)]');
    w.line(`pub struct ${name} { handle: ${RT}::Handle }`);
    w.blank();
    w.block(`impl ${name}`, () => {
      w.line('/// Takes ownership of a handle (for handles that arrived some other way).');
      w.line(`pub fn from_handle(handle: u32) -> Self { ${name} { handle: ${RT}::Handle::new(handle) } }`);
      w.line('/// The handle, for logging or comparison.');
      w.line('pub fn handle(&self) -> u32 { self.handle.get() }');
      for (const bf of b.functions) {
        if (bf.func.resource !== r) continue;
        w.blank();
        this.emitImportFunction(w, bf);
      }
    });
    w.block(`impl Drop for ${name}`, () => {
      w.block('fn drop(&mut self)', () => {
        w.line(`#[link(wasm_import_module = ${JSON.stringify(b.key)})]`);
        w.line(`extern "C" { #[link_name = ${JSON.stringify(`[resource-drop]${r.name}`)}] fn drop(handle: i32); }`);
        w.line('if let Some(h) = self.handle.owned() { unsafe { drop(h as i32) } }');
      });
    });
    this.emitHandleAbi(w, name);
  }

  /** Own handles cross as i32; lowering gives the handle away. */
  private emitHandleAbi(w: SourceWriter, name: string): void {
    w.block(`impl ${RT}::Layout for ${name}`, () => {
      w.line('const SIZE: usize = 4;');
      w.line('const ALIGN: usize = 4;');
      w.line('const FLAT: usize = 1;');
    });
    w.line(`impl ${RT}::ListElement for ${name} {}`);
    w.block(`impl ${RT}::Lower for ${name}`, () => {
      w.line(`fn lower_flat(&self, out: &mut ${RT}::FlatOut) { out.i32(self.handle.take() as i32) }`);
      w.line('unsafe fn store(&self, ptr: *mut u8) { (ptr as *mut u32).write(self.handle.take()) }');
    });
    w.block(`impl ${RT}::Lift for ${name}`, () => {
      w.line(`unsafe fn lift_flat(inp: &mut ${RT}::FlatIn) -> Self { Self::from_handle(inp.i32() as u32) }`);
      w.line('unsafe fn load(ptr: *const u8) -> Self { Self::from_handle((ptr as *const u32).read()) }');
    });
  }

  private emitImportFunction(w: SourceWriter, bf: BoundFunction): void {
    const f = bf.func;
    const sig = flattenSignature(f, 'lower');
    const isMethod = f.kind === 'method';
    const params = isMethod ? f.params.slice(1) : f.params;
    const args = params.map((p) => `${rustName(p.name)}: ${this.importParamType(p.type)}`);
    const fnName = f.kind === 'constructor' ? 'new' : rustName(f.shortName);
    const ret = f.kind === 'constructor' ? ' -> Self' : f.result ? ` -> ${rustType(f.result)}` : '';
    docs(w, f.docs);
    w.block(`pub fn ${fnName}(${[...(isMethod ? ['&self'] : []), ...args].join(', ')})${ret}`, () => {
      const coreParams = sig.params.map((t, i) => `p${i}: ${CORE[t]}`).join(', ');
      const coreResult = sig.results[0] ? ` -> ${CORE[sig.results[0]]}` : '';
      w.line(`#[link(wasm_import_module = ${JSON.stringify(bf.module)})]`);
      w.line(`extern "C" { #[link_name = ${JSON.stringify(bf.coreName)}] fn __import(${coreParams})${coreResult}; }`);
      w.block('unsafe', () => {
        w.line(`let __mark = ${RT}::tracked_mark();`);
        const all = f.params.map((p, i) => ({ type: p.type, value: isMethod && i === 0 ? 'self' : rustName(p.name), isSelf: isMethod && i === 0 }));
        const callArgs: string[] = [];
        if (sig.paramsInMemory) {
          const layout = recordLayout(f.params);
          w.line(`let __block = ${RT}::tracked(${layout.size}, ${layout.align});`);
          all.forEach((p, i) => {
            const at = `__block.add(${layout.offsets[i]})`;
            if (this.isBorrowOfImport(p.type) || p.isSelf) w.line(`(${at} as *mut u32).write(${p.value}.handle());`);
            else w.line(`${RT}::Lower::store(${this.asRef(p.type, p.value)}, ${at});`);
          });
          callArgs.push('__block as usize as i32');
        } else {
          w.line(`let mut __out = ${RT}::FlatOut::new();`);
          for (const p of all) {
            if (this.isBorrowOfImport(p.type) || p.isSelf) w.line(`__out.i32(${p.value}.handle() as i32);`);
            else w.line(`${RT}::Lower::lower_flat(${this.asRef(p.type, p.value)}, &mut __out);`);
          }
          const flatCount = sig.params.length - (sig.resultsInMemory ? 1 : 0);
          for (let i = 0; i < flatCount; i++) callArgs.push(fromSlot(sig.params[i]!, `__out.slot(${i})`));
        }
        if (sig.resultsInMemory) {
          const words = Math.ceil(sizeOf(f.result!) / 8);
          w.line(`let mut __ret = [0u64; ${words}];`);
          callArgs.push('__ret.as_mut_ptr() as usize as i32');
        }
        const call = `__import(${callArgs.join(', ')})`;
        if (!f.result) {
          w.line(`${call};`);
          w.line(`${RT}::free_tracked(__mark);`);
          return;
        }
        const resultType = rustType(f.result);
        if (sig.resultsInMemory) {
          w.line(`${call};`);
          w.line(`${RT}::free_tracked(__mark);`);
          w.line(`<${resultType} as ${RT}::Lift>::load(__ret.as_ptr() as *const u8)`);
        } else {
          w.line(`let __r = ${call};`);
          w.line(`${RT}::free_tracked(__mark);`);
          w.line(`let __slots = [${toSlot(sig.results[0]!, '__r')}];`);
          w.line(`<${resultType} as ${RT}::Lift>::lift_flat(&mut ${RT}::FlatIn::new(&__slots))`);
        }
      });
    });
  }

  private importParamType(t: Type): string {
    const u = unalias(t);
    if (u.kind === 'borrow' && this.exported.has(unalias(u.resource) as ResourceType)) {
      throw new Error('passing a borrow of a resource the plugin exports to an import is not supported by the Rust generator');
    }
    return rustType(t, 'import-param', this.isExported, true);
  }

  private isBorrowOfImport(t: Type): boolean {
    const u = unalias(t);
    return u.kind === 'borrow' && !this.exported.has(unalias(u.resource) as ResourceType);
  }

  /** A reference to a parameter for `Lower` (string and list parameters already are references). */
  private asRef(t: Type, value: string): string {
    const u = unalias(t);
    return u.kind === 'string' || (u.kind === 'list' && !containsOwn(u)) ? value : `&${value}`;
  }

  // ---------------------------------------------------------------- exports: traits and handles

  private emitExportTraits(w: SourceWriter, b: BoundInterface): void {
    const iface = b.iface!;
    docs(w, iface.docs ?? `What the plugin implements for \`${b.key}\`.`);
    w.block('pub trait Guest', () => {
      for (const r of b.resources) {
        w.line(`/// The type implementing \`${r.name}\`.`);
        w.line(`type ${rustTypeName(r.name)}: Guest${rustTypeName(r.name)};`);
      }
      for (const bf of b.functions) {
        if (bf.func.resource) continue;
        docs(w, bf.func.docs);
        w.line(`${this.traitSignature(bf.func)};`);
      }
    });
    for (const r of b.resources) {
      w.blank();
      this.emitExportedResource(w, b, r);
    }
  }

  private traitSignature(f: WitFunction): string {
    return exportTraitSignature(f, this.isExported);
  }

  private emitExportedResource(w: SourceWriter, b: BoundInterface, r: ResourceType): void {
    const name = rustTypeName(r.name);
    const trait = `Guest${name}`;
    docs(w, r.docs);
    w.line(`/// Implemented by the plugin's \`${r.name}\` type; methods take \`&self\` (use \`Cell\`/\`RefCell\` for state).`);
    w.block(`pub trait ${trait}: Sized + 'static`, () => {
      for (const bf of b.functions) {
        if (bf.func.resource !== r) continue;
        docs(w, bf.func.docs);
        w.line(`${this.traitSignature(bf.func)};`);
      }
    });
    w.blank();
    const module = `[export]${b.key}`;
    w.line(`#[link(wasm_import_module = ${JSON.stringify(module)})]`);
    w.block('extern "C"', () => {
      w.line(`#[link_name = ${JSON.stringify(`[resource-new]${r.name}`)}] fn ${rustName(r.name)}_resource_new(rep: i32) -> i32;`);
      w.line(`#[link_name = ${JSON.stringify(`[resource-rep]${r.name}`)}] fn ${rustName(r.name)}_resource_rep(handle: i32) -> i32;`);
      w.line(`#[link_name = ${JSON.stringify(`[resource-drop]${r.name}`)}] fn ${rustName(r.name)}_resource_drop(handle: i32);`);
    });
    const fn = (what: string) => `${rustName(r.name)}_resource_${what}`;
    w.blank();
    w.line(`/// An owned \`${r.name}\` handle. Dropping it drops the resource (the host then runs its destructor).`);
    w.line('#[derive(Debug)]');
    w.line(`pub struct ${name} { handle: ${RT}::Handle }`);
    w.blank();
    w.block(`impl ${name}`, () => {
      w.line(`/// A new \`${r.name}\` resource holding \`value\`.`);
      w.line(`pub fn new<T: ${trait}>(value: T) -> Self { ${name} { handle: ${RT}::Handle::new(unsafe { ${fn('new')}(${RT}::new_rep(value) as i32) } as u32) } }`);
      w.line('/// The implementation behind the handle (panics if it is not a `T`).');
      w.line(`pub fn get<T: ${trait}>(&self) -> &T { unsafe { ${RT}::rep_ref::<T>(${fn('rep')}(self.handle.get() as i32) as u32) } }`);
      w.line('/// Moves the implementation out and drops the resource.');
      w.line(`pub fn into_inner<T: ${trait}>(self) -> T { unsafe { ${RT}::take_rep::<T>(${fn('rep')}(self.handle.get() as i32) as u32) } }`);
      w.line('/// Takes ownership of a handle the host gave this plugin.');
      w.line('///');
      w.line('/// # Safety');
      w.line('/// `handle` must be an owned handle no other value owns: dropping both would run the');
      w.line('/// destructor while the other still reaches the resource.');
      w.line(`pub unsafe fn from_handle(handle: u32) -> Self { ${name} { handle: ${RT}::Handle::new(handle) } }`);
      w.line('pub fn handle(&self) -> u32 { self.handle.get() }');
    });
    w.block(`impl Drop for ${name}`, () => {
      w.line(`fn drop(&mut self) { if let Some(h) = self.handle.owned() { unsafe { ${fn('drop')}(h as i32) } } }`);
    });
    this.emitHandleAbi(w, name);
    w.blank();
    w.line(`/// A \`${r.name}\` lent for the duration of a call.`);
    w.line('#[derive(Debug, Clone, Copy)]');
    w.line(`pub struct ${name}Borrow<'a> { rep: u32, lifetime: std::marker::PhantomData<&'a ()> }`);
    w.blank();
    w.block(`impl<'a> ${name}Borrow<'a>`, () => {
      w.line('#[doc(hidden)]');
      w.line(`pub unsafe fn from_rep(rep: u32) -> Self { ${name}Borrow { rep, lifetime: std::marker::PhantomData } }`);
      w.line('/// The implementation (panics if it is not a `T`).');
      w.line(`pub fn get<T: ${trait}>(&self) -> &'a T { unsafe { ${RT}::rep_ref::<T>(self.rep) } }`);
    });
  }

  // ---------------------------------------------------------------- exports: the macro

  private emitExportMacro(w: SourceWriter): void {
    const shims = new SourceWriter('    ');
    for (const b of this.bound.exports) {
      for (const bf of b.functions) {
        shims.blank();
        this.emitExportShim(shims, b, bf);
      }
      for (const r of b.resources) {
        shims.blank();
        shims.line(`#[export_name = ${JSON.stringify(`${b.key}#[dtor]${r.name}`)}]`);
        shims.line(`unsafe extern "C" fn __dtor_${rustName(r.name).replace(/^r#/, '')}_${this.shimCounter++}(rep: i32) { ${RT}::enter(); ${RT}::drop_rep(rep as u32) }`);
      }
    }
    w.line('/// Exports the component: `bindings::export!(Plugin);` where `Plugin` implements every exported');
    w.line('/// interface\'s `Guest` trait.');
    w.block('macro_rules! __plugin_actors_export', () => {
      w.block('($t:ty) =>', () => {
        w.block('const _: () =', () => {
          w.line(`static mut RET_AREA: [u64; ${this.retArea}] = [0; ${this.retArea}];`);
          w.blank();
          w.line('#[export_name = "cabi_realloc"]');
          w.line(`unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 { ${RT}::cabi_realloc(old, old_size, align, new_size) }`);
          for (const line of shims.toString().trimEnd().split('\n')) w.line(line);
        }, '};');
      }, '};');
    });
    w.line('pub(crate) use __plugin_actors_export as export;');
  }

  private shimCounter = 0;

  private emitExportShim(w: SourceWriter, b: BoundInterface, bf: BoundFunction): void {
    const f = bf.func;
    const sig = flattenSignature(f, 'lift');
    const ifacePath = absolutePath(modulePath(b.iface!), 'Guest');
    const guest = `<$t as ${ifacePath}>`;
    const id = this.shimCounter++;
    const coreParams = sig.params.map((t, i) => `c${i}: ${CORE[t]}`).join(', ');
    const coreResult = sig.results[0] ? ` -> ${CORE[sig.results[0]]}` : '';
    w.line(`#[export_name = ${JSON.stringify(bf.coreName)}]`);
    w.block(`unsafe extern "C" fn __export_${id}(${coreParams})${coreResult}`, () => {
      w.line(`${RT}::enter();`);
      // Lift the parameters.
      const values: string[] = [];
      let selfRep: string | undefined;
      const liftOne = (t: Type, i: number, flat: boolean, at?: string) => {
        const u = unalias(t);
        const v = `a${i}`;
        const raw = flat ? 'inp.i32() as u32' : `(${at} as *const u32).read()`;
        if (f.kind === 'method' && i === 0) {
          w.line(`let ${v} = ${raw};`);
          selfRep = v;
          return;
        }
        if (u.kind === 'borrow') {
          const r = unalias(u.resource) as ResourceType;
          if (this.exported.has(r)) {
            w.line(`let ${v} = ${namedPath(r)}Borrow::from_rep(${raw});`);
            values.push(v);
          } else {
            w.line(`let ${v} = ${namedPath(r)}::from_handle(${raw});`);
            values.push(`&${v}`);
          }
          return;
        }
        const ty = rustType(t);
        w.line(`let ${v} = <${ty} as ${RT}::Lift>::${flat ? 'lift_flat(&mut inp)' : `load(${at})`};`);
        values.push(v);
      };
      if (sig.paramsInMemory) {
        const layout = recordLayout(f.params);
        w.line('let block = c0 as u32 as usize as *mut u8;');
        f.params.forEach((p, i) => liftOne(p.type, i, false, `block.add(${layout.offsets[i]})`));
        w.line(`${RT}::cabi_realloc(block, ${layout.size}, ${layout.align}, 0);`);
      } else if (f.params.length > 0) {
        w.line(`let slots = [${sig.params.map((t, i) => toSlot(t, `c${i}`)).join(', ')}];`);
        w.line(`let mut inp = ${RT}::FlatIn::new(&slots);`);
        f.params.forEach((p, i) => liftOne(p.type, i, true));
      }
      // Call the author's code.
      const r = f.resource;
      const resourceImpl = r ? `<$t as ${ifacePath}>::${rustTypeName(r.name)}` : '';
      let call: string;
      switch (f.kind) {
        case 'freestanding': call = `${guest}::${rustName(f.shortName)}(${values.join(', ')})`; break;
        case 'constructor': call = `${namedPath(r!)}::new(<${resourceImpl} as ${absolutePath(modulePath(b.iface!), `Guest${rustTypeName(r!.name)}`)}>::new(${values.join(', ')}))`; break;
        case 'static': call = `<${resourceImpl} as ${absolutePath(modulePath(b.iface!), `Guest${rustTypeName(r!.name)}`)}>::${rustName(f.shortName)}(${values.join(', ')})`; break;
        case 'method': call = `<${resourceImpl} as ${absolutePath(modulePath(b.iface!), `Guest${rustTypeName(r!.name)}`)}>::${rustName(f.shortName)}(${RT}::rep_ref::<${resourceImpl}>(${selfRep}), ${values.join(', ')})`; break;
      }
      if (!f.result) {
        w.line(`${call};`);
        return;
      }
      w.line(`let result = ${call};`);
      if (sig.resultsInMemory) {
        this.retArea = Math.max(this.retArea, Math.ceil(sizeOf(f.result) / 8));
        w.line('let ret = RET_AREA.as_mut_ptr() as *mut u8;');
        w.line(`${RT}::Lower::store(&result, ret);`);
        w.line('ret as usize as i32');
      } else {
        w.line(`let mut out = ${RT}::FlatOut::new();`);
        w.line(`${RT}::Lower::lower_flat(&result, &mut out);`);
        w.line(fromSlot(sig.results[0]!, 'out.slot(0)'));
      }
    });
    if (f.result && needsPostReturn(f.result)) {
      w.line(`#[export_name = ${JSON.stringify(bf.postReturnName)}]`);
      w.line(`unsafe extern "C" fn __post_return_${id}(_ret: ${CORE[sig.results[0]!]}) { ${RT}::free_tracked(0) }`);
    }
  }
}

function docs(w: SourceWriter, text: string | undefined): void {
  if (text) for (const line of text.split('\n')) w.line(`///${line ? ` ${line}` : ''}`);
}

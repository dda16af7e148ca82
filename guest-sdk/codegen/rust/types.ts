/**
 * How WIT types look in Rust, and the definitions (with their canonical ABI) generated for
 * named types.
 *
 *   bool, s8…u64, f32, f64, char   bool, i8…u64, f32, f64, char
 *   string, list<T>                String, Vec<T> (parameters of imported functions: &str, &[T])
 *   option<T>, result<T, E>        Option<T>, Result<T, E> (a missing type is `()`)
 *   tuple<A, B>                    (A, B)
 *   record                         struct with public fields
 *   variant                        enum with one tuple case per payload
 *   enum                           enum (C-like)
 *   flags                          struct of bits with one constant per flag, `|`, `&`, `contains`
 *   own<R>                         R: a wrapper owning the handle (dropping it drops the resource)
 *   borrow<R>                      &R for imported resources, RBorrow<'_> for exported ones
 */
import { alignOf, flatten, recordLayout, sizeOf, variantLayout } from '../../../common/abi/layout.js';
import type { EnumType, FlagsType, Interface, NamedType, RecordType, ResourceType, Type, VariantType, World } from '../../../common/wit/model.js';
import { unalias } from '../../../common/wit/model.js';
import { somePart } from '../../../common/wit/walk.js';
import type { SourceWriter } from '../core/source-writer.js';
import { absolutePath, modulePath, rustConstName, rustName, rustTypeName } from './names.js';

export const RT = '::plugin_actors_guest';

/** Where a type is used: imported-function parameters borrow strings and lists. */
export type Position = 'value' | 'import-param';

export function ownerOf(t: NamedType): Interface | World {
  const o = t.owner;
  if (o.kind === 'interface') return o.iface;
  if (o.kind === 'world') return o.world;
  throw new Error(`type ${t.name} has no owner`);
}

/** The full path of a named type. */
export function namedPath(t: NamedType): string {
  return absolutePath(modulePath(ownerOf(t)), rustTypeName(t.name));
}

const SCALARS: Record<string, string> = {
  bool: 'bool', s8: 'i8', u8: 'u8', s16: 'i16', u16: 'u16', s32: 'i32', u32: 'u32', s64: 'i64', u64: 'u64',
  f32: 'f32', f64: 'f64', char: 'char',
};

/**
 * The Rust type of a WIT type. `borrow<R>` is only allowed at the top of a parameter
 * (`topLevel`); the generated code has no lifetimes for borrows inside other types.
 */
export function rustType(t: Type, position: Position = 'value', exported?: (r: ResourceType) => boolean, topLevel = false): string {
  const u = unalias(t);
  if (SCALARS[u.kind]) return SCALARS[u.kind]!;
  const inner = (x: Type) => rustType(x);
  switch (u.kind) {
    // Standard types are spelled in full: a WIT type may be called `string`, `vec`, `option`…
    case 'string': return position === 'import-param' ? '&str' : '::std::string::String';
    case 'list':
      if (u.length !== undefined) throw new Error('fixed-length lists are not supported by the Rust generator');
      // A list holding owned handles is passed by value: lowering gives the handles away.
      return position === 'import-param' && !containsOwn(u) ? `&[${inner(u.element)}]` : `::std::vec::Vec<${inner(u.element)}>`;
    case 'option': return `::std::option::Option<${inner(u.some)}>`;
    case 'result': return `::std::result::Result<${u.ok ? inner(u.ok) : '()'}, ${u.err ? inner(u.err) : '()'}>`;
    case 'tuple':
      if (u.types.length > MAX_TUPLE) throw new Error(`tuples of more than ${MAX_TUPLE} types are not supported by the Rust generator`);
      return u.types.length === 1 ? `(${inner(u.types[0]!)},)` : `(${u.types.map(inner).join(', ')})`;
    case 'own': return namedPath(unalias(u.resource) as ResourceType);
    case 'borrow': {
      const r = unalias(u.resource) as ResourceType;
      if (!topLevel) throw new Error(`borrow<${r.name}> inside another type is not supported by the Rust generator (use it as a parameter of its own)`);
      if (exported?.(r)) return `${namedPath(r)}Borrow<'_>`;
      return `&${namedPath(r)}`;
    }
    case 'record': case 'variant': case 'enum': case 'flags': return namedPath(u);
    default: throw new Error(`the Rust generator does not support ${u.kind} types`);
  }
}

/** The longest tuple the SDK implements the ABI for. */
const MAX_TUPLE = 16;
/** The longest tuple std implements Debug/PartialEq/Clone for. */
const MAX_DERIVABLE_TUPLE = 12;

/** Whether `t` holds an owned handle somewhere. */
export function containsOwn(t: Type): boolean {
  return somePart(t, (u) => u.kind === 'own');
}

/** Whether `t` has a tuple longer than std's trait impls cover (no derives at all then). */
function hasLongTuple(t: Type): boolean {
  return somePart(t, (u) => u.kind === 'tuple' && u.types.length > MAX_DERIVABLE_TUPLE);
}

/** The derive attribute for a record or variant. */
function derives(t: Type): string | undefined {
  if (hasLongTuple(t)) return undefined;
  return isPlainData(t) ? '#[derive(Clone, Debug, PartialEq)]' : '#[derive(Debug)]';
}

/** Whether values of `t` can derive Clone/PartialEq (resources cannot). */
export function isPlainData(t: Type): boolean {
  return !somePart(t, (u) => u.kind === 'own' || u.kind === 'borrow');
}

function docs(w: SourceWriter, text: string | undefined): void {
  if (text) for (const line of text.split('\n')) w.line(`///${line ? ` ${line}` : ''}`);
}

const DISC_TYPE: Record<number, string> = { 1: 'u8', 2: 'u16', 4: 'u32' };

/** A type definition of an interface or world: the Rust type and its ABI impls. */
export function emitTypeDef(w: SourceWriter, t: NamedType, exported: (r: ResourceType) => boolean): void {
  switch (t.kind) {
    case 'record': return emitRecord(w, t);
    case 'variant': return emitVariant(w, t);
    case 'enum': return emitEnum(w, t);
    case 'flags': return emitFlags(w, t);
    case 'alias': {
      const target = unalias(t.target);
      if (target.kind === 'resource') {
        // `use iface.{res}`: the handle types, under the name used here.
        const path = namedPath(target);
        const alias = rustTypeName(t.name);
        w.line(`pub use ${path}${alias === rustTypeName(target.name) ? '' : ` as ${alias}`};`);
        if (exported(target)) w.line(`pub use ${path}Borrow${alias === rustTypeName(target.name) ? '' : ` as ${alias}Borrow`};`);
        return;
      }
      docs(w, t.docs);
      w.line(`pub type ${rustTypeName(t.name)} = ${rustType(t.target)};`);
      return;
    }
    case 'resource': return; // emitted with the interface's functions
  }
}

function layoutImpl(w: SourceWriter, name: string, t: Type): void {
  w.block(`impl ${RT}::Layout for ${name}`, () => {
    w.line(`const SIZE: usize = ${sizeOf(t)};`);
    w.line(`const ALIGN: usize = ${alignOf(t)};`);
    w.line(`const FLAT: usize = ${flatten(t).length};`);
  });
  w.line(`impl ${RT}::ListElement for ${name} {}`);
}

function emitRecord(w: SourceWriter, t: RecordType): void {
  const name = rustTypeName(t.name);
  const layout = recordLayout(t.fields);
  docs(w, t.docs);
  const derive = derives(t);
  if (derive) w.line(derive);
  w.block(`pub struct ${name}`, () => {
    for (const f of t.fields) {
      docs(w, f.docs);
      w.line(`pub ${rustName(f.name)}: ${rustType(f.type)},`);
    }
  });
  w.blank();
  layoutImpl(w, name, t);
  w.block(`impl ${RT}::Lower for ${name}`, () => {
    w.block(`fn lower_flat(&self, out: &mut ${RT}::FlatOut)`, () => {
      for (const f of t.fields) w.line(`${RT}::Lower::lower_flat(&self.${rustName(f.name)}, out);`);
    });
    w.block('unsafe fn store(&self, ptr: *mut u8)', () => {
      t.fields.forEach((f, i) => w.line(`${RT}::Lower::store(&self.${rustName(f.name)}, ptr.add(${layout.offsets[i]}));`));
    });
  });
  w.block(`impl ${RT}::Lift for ${name}`, () => {
    w.block(`unsafe fn lift_flat(inp: &mut ${RT}::FlatIn) -> Self`, () => {
      w.block(name, () => {
        for (const f of t.fields) w.line(`${rustName(f.name)}: ${RT}::Lift::lift_flat(inp),`);
      });
    });
    w.block('unsafe fn load(ptr: *const u8) -> Self', () => {
      w.block(name, () => {
        t.fields.forEach((f, i) => w.line(`${rustName(f.name)}: ${RT}::Lift::load(ptr.add(${layout.offsets[i]})),`));
      });
    });
  });
}

function emitVariant(w: SourceWriter, t: VariantType): void {
  const name = rustTypeName(t.name);
  const layout = variantLayout(t.cases);
  const disc = DISC_TYPE[layout.discriminantSize]!;
  docs(w, t.docs);
  const derive = derives(t);
  if (derive) w.line(derive);
  w.block(`pub enum ${name}`, () => {
    for (const c of t.cases) {
      docs(w, c.docs);
      w.line(`${rustTypeName(c.name)}${c.type ? `(${rustType(c.type)})` : ''},`);
    }
  });
  w.blank();
  layoutImpl(w, name, t);
  w.block(`impl ${RT}::Lower for ${name}`, () => {
    w.block(`fn lower_flat(&self, out: &mut ${RT}::FlatOut)`, () => {
      w.line(`let end = out.len() + ${flatten(t).length};`);
      w.block('match self', () => {
        t.cases.forEach((c, i) => {
          const arm = `${name}::${rustTypeName(c.name)}`;
          if (c.type) w.line(`${arm}(v) => { out.i32(${i}); ${RT}::Lower::lower_flat(v, out); }`);
          else w.line(`${arm} => out.i32(${i}),`);
        });
      });
      w.line('out.pad_to(end);');
    });
    w.block('unsafe fn store(&self, ptr: *mut u8)', () => {
      w.block('match self', () => {
        t.cases.forEach((c, i) => {
          const arm = `${name}::${rustTypeName(c.name)}`;
          const tag = `(ptr as *mut ${disc}).write(${i})`;
          if (c.type) w.line(`${arm}(v) => { ${tag}; ${RT}::Lower::store(v, ptr.add(${layout.payloadOffset})); }`);
          else w.line(`${arm} => ${tag},`);
        });
      });
    });
  });
  w.block(`impl ${RT}::Lift for ${name}`, () => {
    w.block(`unsafe fn lift_flat(inp: &mut ${RT}::FlatIn) -> Self`, () => {
      w.line(`let end = inp.pos() + ${flatten(t).length};`);
      w.block('let value = match inp.i32()', () => {
        t.cases.forEach((c, i) => {
          const arm = `${name}::${rustTypeName(c.name)}`;
          w.line(`${i} => ${arm}${c.type ? `(${RT}::Lift::lift_flat(inp))` : ''},`);
        });
        w.line(`d => panic!("invalid ${t.name} discriminant {}", d),`);
      }, '};');
      w.line('inp.skip_to(end);');
      w.line('value');
    });
    w.block('unsafe fn load(ptr: *const u8) -> Self', () => {
      w.block(`match (ptr as *const ${disc}).read()`, () => {
        t.cases.forEach((c, i) => {
          const arm = `${name}::${rustTypeName(c.name)}`;
          w.line(`${i} => ${arm}${c.type ? `(${RT}::Lift::load(ptr.add(${layout.payloadOffset})))` : ''},`);
        });
        w.line(`d => panic!("invalid ${t.name} discriminant {}", d),`);
      });
    });
  });
}

function emitEnum(w: SourceWriter, t: EnumType): void {
  const name = rustTypeName(t.name);
  const disc = DISC_TYPE[sizeOf(t)]!;
  docs(w, t.docs);
  w.line('#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]');
  w.block(`pub enum ${name}`, () => {
    for (const c of t.cases) {
      docs(w, c.docs);
      w.line(`${rustTypeName(c.name)},`);
    }
  });
  w.blank();
  layoutImpl(w, name, t);
  w.block(`impl ${name}`, () => {
    w.block(`fn from_discriminant(d: u32) -> Self`, () => {
      w.block('match d', () => {
        t.cases.forEach((c, i) => w.line(`${i} => ${name}::${rustTypeName(c.name)},`));
        w.line(`_ => panic!("invalid ${t.name} discriminant {}", d),`);
      });
    });
  });
  w.block(`impl ${RT}::Lower for ${name}`, () => {
    w.line(`fn lower_flat(&self, out: &mut ${RT}::FlatOut) { out.i32(*self as i32) }`);
    w.line(`unsafe fn store(&self, ptr: *mut u8) { (ptr as *mut ${disc}).write(*self as ${disc}) }`);
  });
  w.block(`impl ${RT}::Lift for ${name}`, () => {
    w.line(`unsafe fn lift_flat(inp: &mut ${RT}::FlatIn) -> Self { Self::from_discriminant(inp.i32() as u32) }`);
    w.line(`unsafe fn load(ptr: *const u8) -> Self { Self::from_discriminant((ptr as *const ${disc}).read() as u32) }`);
  });
}

function emitFlags(w: SourceWriter, t: FlagsType): void {
  if (t.flags.length > 32) throw new Error(`flags ${t.name}: more than 32 flags are not supported by the Rust generator`);
  const name = rustTypeName(t.name);
  const size = sizeOf(t);
  const store = size === 0 ? '' : DISC_TYPE[size]!;
  const all = t.flags.length === 32 ? '0xffff_ffff' : `0x${((2 ** t.flags.length) - 1).toString(16)}`;
  docs(w, t.docs);
  w.line('#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]');
  w.line(`pub struct ${name} { bits: u32 }`);
  w.blank();
  w.block(`impl ${name}`, () => {
    t.flags.forEach((f, i) => {
      docs(w, f.docs);
      w.line(`pub const ${rustConstName(f.name)}: Self = Self { bits: 1 << ${i} };`);
    });
    w.line('/// No flag set.');
    w.line('pub const fn empty() -> Self { Self { bits: 0 } }');
    w.line('/// Every flag set.');
    w.line(`pub const fn all() -> Self { Self { bits: ${all} } }`);
    w.line('pub const fn bits(self) -> u32 { self.bits }');
    w.line('/// From bits; bits of no flag are dropped.');
    w.line(`pub const fn from_bits_truncate(bits: u32) -> Self { Self { bits: bits & ${all} } }`);
    w.line('pub const fn contains(self, other: Self) -> bool { self.bits & other.bits == other.bits }');
    w.line('pub const fn is_empty(self) -> bool { self.bits == 0 }');
    w.line('pub fn insert(&mut self, other: Self) { self.bits |= other.bits }');
    w.line('pub fn remove(&mut self, other: Self) { self.bits &= !other.bits }');
  });
  w.line(`impl std::ops::BitOr for ${name} { type Output = Self; fn bitor(self, o: Self) -> Self { Self { bits: self.bits | o.bits } } }`);
  w.line(`impl std::ops::BitAnd for ${name} { type Output = Self; fn bitand(self, o: Self) -> Self { Self { bits: self.bits & o.bits } } }`);
  w.line(`impl std::ops::BitXor for ${name} { type Output = Self; fn bitxor(self, o: Self) -> Self { Self { bits: self.bits ^ o.bits } } }`);
  w.line(`impl std::ops::Sub for ${name} { type Output = Self; fn sub(self, o: Self) -> Self { Self { bits: self.bits & !o.bits } } }`);
  w.line(`impl std::ops::Not for ${name} { type Output = Self; fn not(self) -> Self { Self::from_bits_truncate(!self.bits) } }`);
  layoutImpl(w, name, t);
  w.block(`impl ${RT}::Lower for ${name}`, () => {
    w.line(`fn lower_flat(&self, out: &mut ${RT}::FlatOut) { out.i32(self.bits as i32) }`);
    w.line(size === 0 ? 'unsafe fn store(&self, _: *mut u8) {}' : `unsafe fn store(&self, ptr: *mut u8) { (ptr as *mut ${store}).write(self.bits as ${store}) }`);
  });
  w.block(`impl ${RT}::Lift for ${name}`, () => {
    w.line(`unsafe fn lift_flat(inp: &mut ${RT}::FlatIn) -> Self { Self::from_bits_truncate(inp.i32() as u32) }`);
    w.line(size === 0 ? 'unsafe fn load(_: *const u8) -> Self { Self::empty() }' : `unsafe fn load(ptr: *const u8) -> Self { Self::from_bits_truncate((ptr as *const ${store}).read() as u32) }`);
  });
}

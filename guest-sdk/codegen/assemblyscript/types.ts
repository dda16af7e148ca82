/**
 * How WIT types look in AssemblyScript, and the definitions generated for named types.
 *
 *   bool, s8…u64, f32, f64   bool, i8…u64, f32, f64
 *   char                      u32 (a Unicode scalar value)
 *   string                    string
 *   list<number>              the typed array (Uint8Array … Float64Array, Int64Array, Uint64Array)
 *   list<T>                   Array<T>
 *   option<T>, result<T, E>   Option<T>, Result<T, E> (runtime; a missing type is Unit)
 *   tuple<A, B>               Tuple2<A, B> (generated, fields f0, f1)
 *   record                    class with public fields and a constructor taking them in order
 *   variant                   class with `tag`, tag constants, static factories, payload getters
 *   enum                      enum
 *   flags                     class of bool fields
 *   resource (exported)       the author's class
 *   resource (imported)       generated class wrapping the handle
 */
import type { Interface, NamedType, ResourceType, Type, World } from '../../../common/wit/model.js';
import { interfaceId, unalias } from '../../../common/wit/model.js';
import type { ModuleFile } from './module-file.js';
import { asConstName, asMember, asName, asTypeName, interfaceModulePath } from './names.js';

const TYPED: Record<string, string> = {
  u8: 'Uint8Array', s8: 'Int8Array', u16: 'Uint16Array', s16: 'Int16Array', u32: 'Uint32Array', s32: 'Int32Array',
  u64: 'Uint64Array', s64: 'Int64Array', f32: 'Float32Array', f64: 'Float64Array',
};

const SCALARS: Record<string, string> = {
  bool: 'bool', s8: 'i8', u8: 'u8', s16: 'i16', u16: 'u16', s32: 'i32', u32: 'u32', s64: 'i64', u64: 'u64',
  f32: 'f32', f64: 'f64', char: 'u32', string: 'string',
};

/** Where named types, resources and author code live. */
export interface TypeHome {
  /** Generated module path of an interface (or world) that defines named types. */
  moduleOf(owner: Interface | World): string;
  /** Module path of the runtime library. */
  readonly runtime: string;
  /** Module path of generated tuple classes. */
  readonly tuples: string;
  /** For exported resources: the author module and class. */
  authorClass(resource: ResourceType): { module: string; name: string } | undefined;
  /** Records that a tuple arity is used. */
  useTuple(arity: number): void;
}

export function typedArrayOf(t: Type): string | undefined {
  const u = unalias(t);
  return u.kind === 'list' && u.length === undefined ? TYPED[unalias(u.element).kind] : undefined;
}

/** The AssemblyScript type of a WIT type, as seen from `file`. */
export function asType(t: Type, file: ModuleFile, home: TypeHome): string {
  const u = unalias(t);
  if (SCALARS[u.kind]) return SCALARS[u.kind]!;
  switch (u.kind) {
    case 'list': {
      const typed = typedArrayOf(u);
      return typed ?? `Array<${asType(u.element, file, home)}>`;
    }
    case 'option': return `${file.use(home.runtime, 'Option')}<${asType(u.some, file, home)}>`;
    case 'result': {
      const unit = () => file.use(home.runtime, 'Unit');
      return `${file.use(home.runtime, 'Result')}<${u.ok ? asType(u.ok, file, home) : unit()}, ${u.err ? asType(u.err, file, home) : unit()}>`;
    }
    case 'tuple':
      home.useTuple(u.types.length);
      return `${file.use(home.tuples, `Tuple${u.types.length}`)}<${u.types.map((x) => asType(x, file, home)).join(', ')}>`;
    case 'own': case 'borrow': return resourceClass(unalias(u.resource) as ResourceType, file, home);
    case 'record': case 'variant': case 'enum': case 'flags':
      return file.use(home.moduleOf(ownerOf(u)), asTypeName(u.name));
    case 'resource': return resourceClass(u, file, home);
    default: throw new Error(`AssemblyScript bindings do not support WIT ${u.kind} types`);
  }
}

export function resourceClass(r: ResourceType, file: ModuleFile, home: TypeHome): string {
  const author = home.authorClass(r);
  if (author) return file.use(author.module, author.name);
  return file.use(home.moduleOf(ownerOf(r)), asTypeName(r.name));
}

export function ownerOf(t: NamedType): Interface | World {
  if (t.owner.kind === 'interface') return t.owner.iface;
  if (t.owner.kind === 'world') return t.owner.world;
  throw new Error(`type ${t.name} has no owner`);
}

/** True for AssemblyScript reference types (which need `| null` when optional). */
export function isReference(t: Type): boolean {
  const u = unalias(t);
  return !(u.kind in SCALARS) || u.kind === 'string' ? u.kind !== 'enum' : false;
}

/** A field initializer for a type: `0`, `false`, or `null` for references. */
export function zeroValue(t: Type): string {
  const u = unalias(t);
  if (u.kind === 'bool') return 'false';
  if (u.kind in SCALARS && u.kind !== 'string') return '0';
  if (u.kind === 'enum') return '0';
  return 'null';
}

/** Emits the definition of a record, variant, enum or flags type into `file`. */
export function emitTypeDef(t: NamedType, file: ModuleFile, home: TypeHome): void {
  const w = file.body;
  const name = file.define(asTypeName(t.name));
  const docs = (text?: string) => { if (text) w.line(`/** ${text.replace(/\*\//g, '*\\/').split('\n').join('\n * ')} */`); };
  w.blank();
  docs(t.docs);
  switch (t.kind) {
    case 'record':
      w.block(`export class ${name}`, () => {
        for (const f of t.fields) {
          docs(f.docs);
          w.line(`${asMember(f.name)}: ${asType(f.type, file, home)};`);
        }
        w.block(`constructor(${t.fields.map((f) => `${asName(f.name)}: ${asType(f.type, file, home)}`).join(', ')})`, () => {
          for (const f of t.fields) w.line(`this.${asMember(f.name)} = ${asName(f.name)};`);
        });
      });
      return;
    case 'enum':
      w.block(`export enum ${name}`, () => {
        t.cases.forEach((c, i) => {
          docs(c.docs);
          w.line(`${asTypeName(c.name)} = ${i},`);
        });
      });
      return;
    case 'flags':
      w.block(`export class ${name}`, () => {
        for (const f of t.flags) {
          docs(f.docs);
          w.line(`${asMember(f.name)}: bool;`);
        }
        w.block(`constructor(${t.flags.map((f) => `${asName(f.name)}: bool = false`).join(', ')})`, () => {
          for (const f of t.flags) w.line(`this.${asMember(f.name)} = ${asName(f.name)};`);
        });
      });
      return;
    case 'variant':
      w.block(`export class ${name}`, () => {
        t.cases.forEach((c, i) => w.line(`static readonly ${asConstName(c.name)}: u32 = ${i};`));
        w.blank();
        w.line('private constructor(public readonly tag: u32) {}');
        for (const c of t.cases) {
          if (!c.type) continue;
          const ty = asType(c.type, file, home);
          const ref = zeroValue(c.type) === 'null';
          w.line(`private _${asMember(c.name)}: ${ty}${ref ? ' | null' : ''} = ${zeroValue(c.type)};`);
        }
        for (const c of t.cases) {
          w.blank();
          docs(c.docs);
          const factory = asMember(c.name);
          if (c.type) {
            const ty = asType(c.type, file, home);
            w.block(`static ${factory}(value: ${ty}): ${name}`, () => {
              w.line(`const v = new ${name}(${name}.${asConstName(c.name)});`);
              w.line(`v._${asMember(c.name)} = value;`);
              w.line('return v;');
            });
          } else {
            w.block(`static ${factory}(): ${name}`, () => w.line(`return new ${name}(${name}.${asConstName(c.name)});`));
          }
        }
        for (const c of t.cases) {
          if (!c.type) continue;
          const ty = asType(c.type, file, home);
          const ref = zeroValue(c.type) === 'null';
          w.blank();
          w.line(`/** The payload of \`${c.name}\`; aborts for other cases. */`);
          w.block(`get ${asMember(c.name)}(): ${ty}`, () => {
            w.line(`if (this.tag != ${name}.${asConstName(c.name)}) throw new Error("${t.name} is not ${c.name}");`);
            w.line(`return this._${asMember(c.name)}${ref ? '!' : ''};`);
          });
        }
      });
      return;
    default:
      throw new Error(`internal: emitTypeDef(${t.kind})`);
  }
}

/** Generic tuple classes `TupleN<T0, …>` with fields `f0 …`. */
export function emitTuples(file: ModuleFile, arities: Iterable<number>): void {
  for (const n of [...arities].sort((a, b) => a - b)) {
    const params = Array.from({ length: n }, (_, i) => `T${i}`);
    file.body.blank();
    file.body.block(`export class Tuple${n}<${params.join(', ')}>`, () => {
      file.body.line(`constructor(${params.map((p, i) => `public f${i}: ${p}`).join(', ')}) {}`);
    });
  }
}

export function interfaceModule(iface: Interface, fallbackKey: string): string {
  const id = interfaceId(iface);
  return `bindings/${id ? interfaceModulePath(id) : `world/${fallbackKey}`}`;
}

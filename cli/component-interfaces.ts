/**
 * The bodies of a component's imported and exported interfaces as WIT, read out of its
 * type definitions (jco-transpile's wasm-tools prints only the root world, naming the
 * interfaces without their contents). It follows the encoding wit-component writes, which
 * every toolchain that makes components goes through (componentize-js, cargo-component,
 * wasm-tools, this project's build): an import is an instance type; an export is an
 * instance of a small nested component whose exports carry their types. An item encoded
 * otherwise is listed with a note instead of a body.
 */
import type { Decl, Definition, TypeDef, ValType } from '../host/component/binary/ast.js';

/** One interface as WIT items (`use`, types, resources with their functions, functions). */
export interface InterfaceText {
  /** The import or export name: `ns:pkg/iface@1.0.0`, or a plain name for a world-level instance. */
  readonly name: string;
  readonly lines: readonly string[];
}

/** A world-level function, or an interface. */
export type WorldItemText =
  | { readonly kind: 'interface'; readonly iface: InterfaceText }
  | { readonly kind: 'function'; readonly name: string; readonly signature: string }
  | { readonly kind: 'opaque'; readonly name: string; readonly why: string };

export interface ComponentInterfaces {
  readonly imports: readonly WorldItemText[];
  readonly exports: readonly WorldItemText[];
}

/** What a type index stands for. */
type Entry =
  | { k: 'def'; def: TypeDef; scope: Scope }
  /** A type with a name: `iface` is the interface that defines it, once known. */
  | { k: 'named'; name: string; target?: Entry; iface?: string }
  | { k: 'resource'; name: string; iface?: string };

interface Scope {
  readonly types: (Entry | undefined)[];
  readonly parent?: Scope;
}

const PLAIN = /^[a-z][a-z0-9-]*$/;

export function componentInterfaces(defs: readonly Definition[]): ComponentInterfaces {
  const top: Scope = { types: [] };
  const funcTypes: (number | undefined)[] = [];
  const instances: ({ importName: string } | { component: number; args: { name: string; sort: string; index: number }[] } | undefined)[] = [];
  const components: Definition[][] = [];
  const imports: WorldItemText[] = [];
  const exports: WorldItemText[] = [];
  for (const d of defs) {
    switch (d.kind) {
      case 'type': top.types.push({ k: 'def', def: d.def, scope: top }); break;
      case 'component': components.push(d.body); break;
      case 'canon':
        if (d.canon.kind === 'lift') funcTypes.push(d.canon.type);
        else if (d.canon.kind === 'lower' || d.canon.kind === 'resource.new' || d.canon.kind === 'resource.drop' || d.canon.kind === 'resource.rep') { /* core functions */ }
        break;
      case 'alias':
        if (d.alias.kind === 'export' && d.alias.sort === 'type') {
          const inst = instances[d.alias.instance];
          top.types.push({ k: 'named', name: d.alias.name, ...(inst && 'importName' in inst ? { iface: inst.importName } : {}) });
        } else if (d.alias.kind === 'export' && d.alias.sort === 'func') funcTypes.push(undefined);
        else if (d.alias.sort === 'type') top.types.push(undefined);
        else if (d.alias.sort === 'instance') instances.push(undefined);
        else if (d.alias.sort === 'component') components.push([]);
        break;
      case 'instance':
        instances.push(d.expr.kind === 'instantiate' ? { component: d.expr.component, args: d.expr.args } : undefined);
        break;
      case 'import':
        if (d.type.sort === 'instance') {
          instances.push({ importName: d.name });
          const t = top.types[d.type.index];
          imports.push(t?.k === 'def' && t.def.kind === 'instance' ? { kind: 'interface', iface: instanceTypeText(d.name, t.def.decls, top) } : { kind: 'opaque', name: d.name, why: 'its type is not an instance type' });
        } else if (d.type.sort === 'func') {
          funcTypes.push(d.type.index);
          imports.push({ kind: 'function', name: d.name, signature: funcSignature(d.name, top.types[d.type.index], top, ROOT) });
        } else if (d.type.sort === 'type') {
          top.types.push(d.type.bound.kind === 'sub-resource' ? { k: 'resource', name: d.name, iface: ROOT } : { k: 'named', name: d.name, target: top.types[d.type.bound.index], iface: ROOT });
        } else if (d.type.sort === 'component') components.push([]);
        break;
      case 'export':
        if (d.sort === 'instance') {
          const inst = instances[d.index];
          exports.push(inst && 'component' in inst && components[inst.component]?.length
            ? { kind: 'interface', iface: nestedComponentText(d.name, components[inst.component]!, inst.args, top) }
            : { kind: 'opaque', name: d.name, why: 'it is not an instance of a nested component' });
          instances.push(inst);
        } else if (d.sort === 'func') {
          const type = d.type?.sort === 'func' ? d.type.index : funcTypes[d.index];
          exports.push(type === undefined ? { kind: 'opaque', name: d.name, why: 'its function type is not known' } : { kind: 'function', name: d.name, signature: funcSignature(d.name, top.types[type], top, ROOT) });
          funcTypes.push(type);
        } else if (d.sort === 'type') {
          top.types.push({ k: 'named', name: d.name, target: top.types[d.index], iface: ROOT });
        }
        break;
      default:
        break;
    }
  }
  return { imports, exports };
}

/** Types of the world itself (not of an interface). */
const ROOT = '';

/** An imported interface: its instance type's declarations. */
function instanceTypeText(name: string, decls: readonly Decl[], parent: Scope): InterfaceText {
  const scope: Scope = { types: [], parent };
  const body = new Body(name);
  for (const d of decls) {
    if (d.kind === 'type') scope.types.push({ k: 'def', def: d.def, scope });
    else if (d.kind === 'alias') scope.types.push(d.alias.kind === 'outer' && d.alias.sort === 'type' ? outer(scope, d.alias.count, d.alias.index) : undefined);
    else if (d.kind === 'export' && d.type.sort === 'type') {
      const entry: Entry = d.type.bound.kind === 'sub-resource' ? { k: 'resource', name: d.name, iface: name } : { k: 'named', name: d.name, target: scope.types[d.type.bound.index], iface: name };
      scope.types.push(entry);
      body.typeItem(entry, scope);
    } else if (d.kind === 'export' && d.type.sort === 'func') body.func(d.name, scope.types[d.type.index], scope);
  }
  return { name, lines: body.render() };
}

/** An exported interface: the nested component wit-component instantiates to give the export its names. */
function nestedComponentText(name: string, defs: readonly Definition[], args: readonly { name: string; sort: string; index: number }[], parent: Scope): InterfaceText {
  const scope: Scope = { types: [], parent };
  const body = new Body(name);
  const given = new Map(args.filter((a) => a.sort === 'type').map((a) => [a.name, a.index]));
  for (const d of defs) {
    if (d.kind === 'type') scope.types.push({ k: 'def', def: d.def, scope });
    else if (d.kind === 'alias') scope.types.push(d.alias.kind === 'outer' && d.alias.sort === 'type' ? outer(scope, d.alias.count, d.alias.index) : undefined);
    else if (d.kind === 'import' && d.type.sort === 'type') {
      // A type the interface uses from another one arrives as an argument naming its origin.
      const origin = given.has(d.name) ? parent.types[given.get(d.name)!] : undefined;
      const short = d.name.replace(/^import-type-/, '');
      if (origin && origin.k !== 'def' && origin.iface !== undefined && origin.iface !== ROOT) scope.types.push(origin);
      else scope.types.push(d.type.bound.kind === 'sub-resource' ? { k: 'resource', name: short } : { k: 'named', name: short, target: scope.types[d.type.bound.index] });
    } else if (d.kind === 'export' && d.sort === 'type') {
      const target = scope.types[d.index];
      let entry: Entry;
      if (target?.k === 'resource' && target.iface === undefined) { target.iface = name; target.name = d.name; entry = target; }
      else entry = { k: 'named', name: d.name, ...(target ? { target } : {}), iface: name };
      scope.types.push(entry);
      body.typeItem(entry, scope);
    } else if (d.kind === 'export' && d.sort === 'func' && d.type?.sort === 'func') body.func(d.name, scope.types[d.type.index], scope);
  }
  return { name, lines: body.render() };
}

function outer(scope: Scope, count: number, index: number): Entry | undefined {
  let s: Scope | undefined = scope;
  for (let i = 0; i < count && s; i++) s = s.parent;
  return s?.types[index];
}

/** How a value type is written inside interface `iface` (types of other interfaces are `use`d). */
function typeRef(t: ValType | undefined, scope: Scope, iface: string, uses?: Uses): string {
  if (t === undefined) return '_';
  if (typeof t === 'string') return t;
  return entryRef(scope.types[t], iface, uses);
}

function entryRef(e: Entry | undefined, iface: string, uses?: Uses): string {
  if (!e) return '/* unknown type */';
  if (e.k !== 'def') {
    if (e.iface !== undefined && e.iface !== iface && e.iface !== ROOT) uses?.add(e.iface, e.name);
    return e.name;
  }
  const d = e.def;
  const ref = (v: ValType | undefined) => typeRef(v, e.scope, iface, uses);
  switch (d.kind) {
    case 'prim': return d.name;
    case 'list': return d.length === undefined ? `list<${ref(d.element)}>` : `list<${ref(d.element)}, ${d.length}>`;
    case 'option': return `option<${ref(d.type)}>`;
    case 'result': return d.ok === undefined && d.err === undefined ? 'result' : d.err === undefined ? `result<${ref(d.ok)}>` : `result<${ref(d.ok)}, ${ref(d.err)}>`;
    case 'tuple': return `tuple<${d.types.map(ref).join(', ')}>`;
    case 'own': return ref(d.index);
    case 'borrow': return `borrow<${ref(d.index)}>`;
    default: return `/* anonymous ${d.kind} */`;
  }
}

/** The `use` clauses an interface needs: interface → names. */
class Uses {
  readonly map = new Map<string, Set<string>>();
  add(iface: string, name: string): void {
    if (!this.map.has(iface)) this.map.set(iface, new Set());
    this.map.get(iface)!.add(name);
  }
}

function params(fn: Extract<TypeDef, { kind: 'func' }>, scope: Scope, iface: string, uses: Uses | undefined, skipSelf: boolean): string {
  return (skipSelf ? fn.params.slice(1) : fn.params).map((p) => `${ident(p.name)}: ${typeRef(p.type, scope, iface, uses)}`).join(', ');
}

function funcSignature(name: string, type: Entry | undefined, scope: Scope, iface: string, uses?: Uses): string {
  if (type?.k !== 'def' || type.def.kind !== 'func') return `${ident(name)}: func(/* unknown type */);`;
  const fn = type.def;
  const result = fn.result === undefined ? '' : ` -> ${typeRef(fn.result, type.scope, iface, uses)}`;
  return `${ident(name)}: ${fn.async ? 'async ' : ''}func(${params(fn, type.scope, iface, uses, false)})${result};`;
}

const KEYWORDS = new Set(['use', 'type', 'func', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'float32', 'float64', 'char', 'bool', 'string', 'option', 'result', 'list', 'tuple', 'record', 'enum', 'flags', 'variant', 'resource', 'own', 'borrow', 'static', 'interface', 'world', 'import', 'export', 'package', 'constructor', 'include', 'with', 'as', 'from', 'async', 'future', 'stream', 'error-context']);
function ident(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

/** The items of one interface, collected in the order the component declares them. */
class Body {
  private readonly uses = new Uses();
  private readonly types: string[][] = [];
  private readonly resources = new Map<string, string[]>();
  private readonly funcs: string[] = [];

  constructor(private readonly iface: string) {}

  typeItem(e: Entry, scope: Scope): void {
    if (e.k === 'resource') { this.resource(e.name); return; }
    if (e.k !== 'named') return;
    const t = e.target;
    const name = ident(e.name);
    if (!t) { this.types.push([`type ${name}; /* unknown definition */`]); return; }
    if (t.k !== 'def') {
      if (t.iface !== undefined && t.iface !== this.iface && t.iface !== ROOT) this.uses.add(t.iface, t.name === e.name ? t.name : `${t.name} as ${e.name}`);
      else if (t.k === 'resource' && t.name === e.name) this.resource(e.name);
      else this.types.push([`type ${name} = ${ident(t.name)};`]);
      return;
    }
    const d = t.def;
    const ref = (v: ValType | undefined) => typeRef(v, t.scope, this.iface, this.uses);
    switch (d.kind) {
      case 'record': this.types.push([`record ${name} {`, ...d.fields.map((f) => `  ${ident(f.name)}: ${ref(f.type)},`), '}']); break;
      case 'variant': this.types.push([`variant ${name} {`, ...d.cases.map((c) => `  ${ident(c.name)}${c.type === undefined ? '' : `(${ref(c.type)})`},`), '}']); break;
      case 'enum': this.types.push([`enum ${name} {`, ...d.names.map((n) => `  ${ident(n)},`), '}']); break;
      case 'flags': this.types.push([`flags ${name} {`, ...d.names.map((n) => `  ${ident(n)},`), '}']); break;
      case 'resource': this.resource(e.name); break;
      default: this.types.push([`type ${name} = ${entryRef(t, this.iface, this.uses)};`]);
    }
  }

  private resource(name: string): void {
    if (!this.resources.has(name)) this.resources.set(name, []);
  }

  func(name: string, type: Entry | undefined, scope: Scope): void {
    const m = /^\[(constructor|method|static)\]([^.]+)(?:\.(.+))?$/.exec(name);
    if (!m) { this.funcs.push(funcSignature(name, type, scope, this.iface, this.uses)); return; }
    const [, how, resource, member] = m as unknown as [string, string, string, string | undefined];
    this.resource(resource);
    const lines = this.resources.get(resource)!;
    if (type?.k !== 'def' || type.def.kind !== 'func') { lines.push(`/* ${name}: unknown type */`); return; }
    const fn = type.def;
    const result = fn.result === undefined ? '' : ` -> ${typeRef(fn.result, type.scope, this.iface, this.uses)}`;
    if (how === 'constructor') lines.push(`constructor(${params(fn, type.scope, this.iface, this.uses, false)});`);
    else if (how === 'method') lines.push(`${ident(member ?? '')}: ${fn.async ? 'async ' : ''}func(${params(fn, type.scope, this.iface, this.uses, true)})${result};`);
    else lines.push(`${ident(member ?? '')}: static ${fn.async ? 'async ' : ''}func(${params(fn, type.scope, this.iface, this.uses, false)})${result};`);
  }

  render(): string[] {
    const out: string[] = [];
    for (const [iface, names] of this.uses.map) out.push(`use ${iface}.{${[...names].join(', ')}};`);
    for (const t of this.types) out.push(...t);
    for (const [name, members] of this.resources) out.push(members.length === 0 ? `resource ${ident(name)};` : `resource ${ident(name)} {`, ...(members.length === 0 ? [] : [...members.map((l) => `  ${l}`), '}']));
    out.push(...this.funcs);
    return out;
  }
}

/** Whether an import or export name is a plain (world-local) name rather than an interface id. */
export function isPlainName(name: string): boolean {
  return PLAIN.test(name);
}

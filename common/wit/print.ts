/**
 * Prints resolved packages back to WIT text (nested `package x:y { … }` blocks), so a
 * world and everything it depends on can travel as one self-contained source: embedded in
 * a component by the build, or sent in a subprocess plugin's handshake.
 */
import type { Interface, NamedType, Package, Type, WitFunction, World, WorldItem } from './model.js';
import { interfaceId, packageId } from './model.js';
import { KEYWORDS } from './lexer.js';

function id(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

function docs(text: string | undefined, indent: string): string {
  if (!text) return '';
  return text.split('\n').map((l) => `${indent}/// ${l}`.trimEnd()).join('\n') + '\n';
}

/** How a type is referred to from `scope` (the interface or world being printed). */
function typeRef(t: Type, scope: Interface | World): string {
  switch (t.kind) {
    case 'list': return t.length === undefined ? `list<${typeRef(t.element, scope)}>` : `list<${typeRef(t.element, scope)}, ${t.length}>`;
    case 'option': return `option<${typeRef(t.some, scope)}>`;
    case 'result':
      if (!t.ok && !t.err) return 'result';
      if (!t.err) return `result<${typeRef(t.ok!, scope)}>`;
      return `result<${t.ok ? typeRef(t.ok, scope) : '_'}, ${typeRef(t.err, scope)}>`;
    case 'tuple': return `tuple<${t.types.map((x) => typeRef(x, scope)).join(', ')}>`;
    case 'own': return namedRef(t.resource, scope);
    case 'borrow': return `borrow<${namedRef(t.resource, scope)}>`;
    case 'future': case 'stream': return t.element ? `${t.kind}<${typeRef(t.element, scope)}>` : t.kind;
    case 'map': return `map<${typeRef(t.key, scope)}, ${typeRef(t.value, scope)}>`;
    case 'record': case 'variant': case 'enum': case 'flags': case 'resource': case 'alias':
      return namedRef(t, scope);
    default: return t.kind;
  }
}

/** Named types print as their name; the scope has it defined or `use`d (see `printInterface`). */
function namedRef(t: NamedType, _scope: Interface | World): string {
  return id(t.name);
}

function printFunction(f: WitFunction, scope: Interface | World, indent: string, name = f.name): string {
  const params = f.params.map((p) => `${id(p.name)}: ${typeRef(p.type, scope)}`).join(', ');
  const result = f.result ? ` -> ${typeRef(f.result, scope)}` : '';
  return `${docs(f.docs, indent)}${indent}${id(name)}: ${f.async ? 'async ' : ''}func(${params})${result};\n`;
}

function printTypeDef(t: NamedType, scope: Interface | World, indent: string): string {
  const d = docs(t.docs, indent);
  const inner = `${indent}  `;
  switch (t.kind) {
    case 'record':
      return `${d}${indent}record ${id(t.name)} {\n${t.fields.map((f) => `${docs(f.docs, inner)}${inner}${id(f.name)}: ${typeRef(f.type, scope)},\n`).join('')}${indent}}\n`;
    case 'variant':
      return `${d}${indent}variant ${id(t.name)} {\n${t.cases.map((c) => `${docs(c.docs, inner)}${inner}${id(c.name)}${c.type ? `(${typeRef(c.type, scope)})` : ''},\n`).join('')}${indent}}\n`;
    case 'enum':
      return `${d}${indent}enum ${id(t.name)} {\n${t.cases.map((c) => `${docs(c.docs, inner)}${inner}${id(c.name)},\n`).join('')}${indent}}\n`;
    case 'flags':
      return `${d}${indent}flags ${id(t.name)} {\n${t.flags.map((c) => `${docs(c.docs, inner)}${inner}${id(c.name)},\n`).join('')}${indent}}\n`;
    case 'resource': {
      const members: string[] = [];
      if (t.ctor) {
        const params = t.ctor.params.map((p) => `${id(p.name)}: ${typeRef(p.type, scope)}`).join(', ');
        const explicit = t.ctor.result && t.ctor.result.kind === 'result' ? ` -> ${typeRef(t.ctor.result, scope)}` : '';
        members.push(`${docs(t.ctor.docs, inner)}${inner}constructor(${params})${explicit};\n`);
      }
      for (const m of t.methods) {
        const params = m.params.slice(1).map((p) => `${id(p.name)}: ${typeRef(p.type, scope)}`).join(', ');
        members.push(`${docs(m.docs, inner)}${inner}${id(m.shortName)}: ${m.async ? 'async ' : ''}func(${params})${m.result ? ` -> ${typeRef(m.result, scope)}` : ''};\n`);
      }
      for (const s of t.statics) {
        const params = s.params.map((p) => `${id(p.name)}: ${typeRef(p.type, scope)}`).join(', ');
        members.push(`${docs(s.docs, inner)}${inner}${id(s.shortName)}: static ${s.async ? 'async ' : ''}func(${params})${s.result ? ` -> ${typeRef(s.result, scope)}` : ''};\n`);
      }
      return members.length === 0 ? `${d}${indent}resource ${id(t.name)};\n` : `${d}${indent}resource ${id(t.name)} {\n${members.join('')}${indent}}\n`;
    }
    case 'alias': return `${d}${indent}type ${id(t.name)} = ${typeRef(t.target, scope)};\n`;
  }
}

/** `use` lines for aliases that came from other interfaces, grouped by source interface. */
/** How `iface` is named from inside package `from`: its bare name there, else its full id. */
function pathFrom(iface: Interface, from: Package | undefined): string {
  return from && iface.package === from && iface.name ? id(iface.name) : interfaceId(iface)!;
}

function printUses(types: Map<string, NamedType>, indent: string, from: Package | undefined): { uses: string; local: NamedType[] } {
  const groups = new Map<Interface, string[]>();
  const local: NamedType[] = [];
  for (const t of types.values()) {
    const target = t.kind === 'alias' ? t.target : undefined;
    const source = target && 'owner' in target && target.owner.kind === 'interface' && target.owner.iface.name ? target.owner.iface : undefined;
    if (t.kind === 'alias' && source && (target as NamedType).owner !== t.owner) {
      const name = (target as NamedType).name;
      const entry = name === t.name ? id(name) : `${id(name)} as ${id(t.name)}`;
      groups.set(source, [...(groups.get(source) ?? []), entry]);
    } else {
      local.push(t);
    }
  }
  const uses = [...groups].map(([iface, names]) => `${indent}use ${pathFrom(iface, from)}.{${names.join(', ')}};\n`).join('');
  return { uses, local };
}

function printInterfaceBody(iface: Interface, indent: string): string {
  const { uses, local } = printUses(iface.types, indent, iface.package);
  let out = uses;
  for (const t of local) out += printTypeDef(t, iface, indent);
  for (const f of iface.functions.values()) if (f.kind === 'freestanding') out += printFunction(f, iface, indent);
  return out;
}

function printWorldItem(kind: 'import' | 'export', key: string, item: WorldItem, world: World, indent: string): string {
  if (item.kind === 'function') {
    const f = item.func;
    const params = f.params.map((p) => `${id(p.name)}: ${typeRef(p.type, world)}`).join(', ');
    const result = f.result ? ` -> ${typeRef(f.result, world)}` : '';
    return `${docs(f.docs, indent)}${indent}${kind} ${id(key)}: ${f.async ? 'async ' : ''}func(${params})${result};\n`;
  }
  if (item.kind === 'type') return '';
  const named = interfaceId(item.iface);
  if (named && key === named) return `${indent}${kind} ${pathFrom(item.iface, world.package)};\n`;
  if (named) return `${indent}${kind} ${id(key)}: ${pathFrom(item.iface, world.package)};\n`;
  return `${indent}${kind} ${id(key)}: interface {\n${printInterfaceBody(item.iface, `${indent}  `)}${indent}}\n`;
}

function printWorld(world: World, indent: string): string {
  let out = `${docs(world.docs, indent)}${indent}world ${id(world.name)} {\n`;
  const inner = `${indent}  `;
  const { uses, local } = printUses(world.types, inner, world.package);
  out += uses;
  for (const t of local) out += printTypeDef(t, world, inner);
  for (const [key, item] of world.imports) out += printWorldItem('import', key, item, world, inner);
  for (const [key, item] of world.exports) out += printWorldItem('export', key, item, world, inner);
  return `${out}${indent}}\n`;
}

function packageBody(pkg: Package, indent: string): string {
  let body = '';
  for (const iface of pkg.interfaces.values()) {
    body += `${docs(iface.docs, indent)}${indent}interface ${id(iface.name!)} {\n${printInterfaceBody(iface, `${indent}  `)}${indent}}\n`;
  }
  for (const world of pkg.worlds.values()) body += printWorld(world, indent);
  return body;
}

/** One package as a nested `package ns:name@ver { … }` block. */
export function printPackage(pkg: Package): string {
  return `${docs(pkg.docs, '')}package ${packageId(pkg.name)} {\n${packageBody(pkg, '  ')}}\n`;
}

/**
 * Several packages as one WIT source that `parseWitSource` reads back. With `root`, that
 * package is written at the top level (`package x:y;`), which tools such as wasm-tools
 * expect of the package a world is taken from; the others follow as nested blocks.
 */
export function printPackages(packages: readonly Package[], root?: Package): string {
  const nested = packages.filter((p) => p !== root).map(printPackage).join('\n');
  if (!root) return nested;
  return `${docs(root.docs, '')}package ${packageId(root.name)};\n\n${packageBody(root, '')}${nested ? `\n${nested}` : ''}`;
}

/**
 * WIT world → TypeScript declarations for the host application and for Node plugins
 * (`plugin-actors types`). One `.d.ts` per world:
 *
 *   namespace <Iface>   per interface: its types; for an exported interface `Exports` (what
 *                       the host calls, as `Remote<Exports>`), resource actor types and
 *                       `Implementation` (what a Node plugin's `serve()` implements); for an
 *                       imported one `Imports` (what the application must provide, jco's
 *                       import object) and `Host` (what a Node plugin may call)
 *   interface <World>   `exports`, `imports`, `implementation`, `host`, keyed by interface
 *                       name (with and without version): `system.load<World>(…)` and
 *                       `serve<World>(…)` take it
 *
 * Interfaces the host itself provides (`wasi:*`, `plugin-actors:host/*`) are not asked of
 * the application.
 */
import type { Interface, NamedType, ResourceType, WitFunction, World } from '../../../common/wit/model.js';
import { interfaceId, unalias, worldId } from '../../../common/wit/model.js';
import { camelCase, pascalCase, stripVersion } from '../../../common/wit/names.js';
import { GENERATOR } from '../core/source-writer.js';
import { docLines, interfaceNamespace, propertyKey, tsType, typeDeclaration, typeName, worldNamespace, type Side, type TypeScope } from './types.js';

export interface TypeScriptDeclarations {
  /** File name (`<world>.d.ts`) → content. */
  readonly files: Map<string, string>;
}

export interface TypeScriptOptions {
  readonly world: World;
  /** Module the host types come from. Default `plugin-actors`. */
  readonly hostModule?: string;
  /** Module the Node guest SDK's types come from. Default `plugin-actors/guest`. */
  readonly guestModule?: string;
}

/** Whether the host provides an import itself, so the application need not. */
export function isHostProvided(key: string): boolean {
  return key.startsWith('wasi:') || key.startsWith('plugin-actors:host/');
}

interface Section {
  readonly namespace: string;
  readonly iface?: Interface;
  readonly types: NamedType[];
  /** The world items this section stands for (an interface, or the world's own functions). */
  readonly direction?: 'import' | 'export';
  readonly key?: string;
  readonly functions: WitFunction[];
}

export function generateTypeScript(options: TypeScriptOptions): TypeScriptDeclarations {
  const { world } = options;
  const namespaces = new Map<Interface | World, string>();
  const exportedOwners = new Set<Interface>();
  for (const item of world.exports.values()) if (item.kind === 'interface') exportedOwners.add(item.iface);
  const worldNs = worldNamespace(world);
  namespaces.set(world, worldNs);
  const taken = new Set<string>([worldNs, pascalCase(world.name)]);
  const nsOf = (iface: Interface, key: string): string => {
    let ns = namespaces.get(iface);
    if (ns) return ns;
    const base = interfaceNamespace(iface, key);
    ns = base;
    for (let i = 2; taken.has(ns); i++) ns = `${base}${i}`;
    taken.add(ns);
    namespaces.set(iface, ns);
    return ns;
  };
  const pending: Interface[] = [];
  const scope: TypeScope = {
    namespaceOf(type) {
      const owner = type.owner;
      if (owner.kind === 'interface') {
        if (!namespaces.has(owner.iface)) pending.push(owner.iface);
        return nsOf(owner.iface, owner.iface.name ?? type.name);
      }
      return worldNs;
    },
    isExported(resource) {
      return resource.owner.kind === 'interface' ? exportedOwners.has(resource.owner.iface) : false;
    },
  };

  // Sections in world order: imports, then exports; interfaces only used by `use` follow.
  const sections: Section[] = [];
  const rootImports: WitFunction[] = [];
  const rootExports: WitFunction[] = [];
  for (const direction of ['import', 'export'] as const) {
    for (const [key, item] of direction === 'import' ? world.imports : world.exports) {
      if (item.kind === 'function') (direction === 'import' ? rootImports : rootExports).push(item.func);
      else if (item.kind === 'interface') {
        sections.push({ namespace: nsOf(item.iface, key), iface: item.iface, types: [...item.iface.types.values()], direction, key: interfaceId(item.iface) ?? key, functions: [...item.iface.functions.values()] });
      }
    }
  }
  const worldTypes = [...world.types.values()];

  const body: string[] = [];
  const emitted = new Set<Interface>();
  const emitSection = (s: Section) => {
    if (s.iface) emitted.add(s.iface);
    body.push(...docLines(s.iface?.docs, ''));
    body.push(`export declare namespace ${s.namespace} {`);
    const inner: string[] = [];
    for (const t of s.types) {
      if (t.owner.kind === 'interface' && t.owner.iface !== s.iface) {
        // A `use`d type: an alias to its home.
        inner.push(`export type ${typeName(t)} = ${scope.namespaceOf(t)}.${typeName(t)};`);
        continue;
      }
      if (t.kind === 'resource') inner.push(...resourceDeclarations(t, scope, s.direction));
      else inner.push(...docLines(t.docs, ''), ...typeDeclaration(t, scope));
    }
    if (s.direction) inner.push(...interfaceDeclarations(s.functions, s.types.filter((t): t is ResourceType => t.kind === 'resource' && t.owner.kind === 'interface' && t.owner.iface === s.iface), scope, s.direction));
    body.push(...inner.map((l) => (l ? `  ${l}` : l)), '}', '');
  };
  for (const s of sections) emitSection(s);
  // World-level types and functions.
  const worldInner: string[] = [];
  for (const t of worldTypes) {
    if (t.owner.kind === 'interface') worldInner.push(`export type ${typeName(t)} = ${scope.namespaceOf(t)}.${typeName(t)};`);
    else if (t.kind === 'resource') worldInner.push(...resourceDeclarations(t, scope, 'import'));
    else worldInner.push(...docLines(t.docs, ''), ...typeDeclaration(t, scope));
  }
  const rootImported = rootImports.length > 0 || worldTypes.some((t) => t.kind === 'resource' && t.owner.kind === 'world');
  if (rootImported) worldInner.push(...rootFunctionDeclarations(rootImports, worldTypes, scope, 'import'));
  if (rootExports.length > 0) worldInner.push(...rootFunctionDeclarations(rootExports, [], scope, 'export'));
  while (pending.length > 0) {
    const iface = pending.shift()!;
    if (emitted.has(iface)) continue;
    emitSection({ namespace: namespaces.get(iface)!, iface, types: [...iface.types.values()], functions: [] });
  }
  if (worldInner.length > 0) body.push(`export declare namespace ${worldNs} {`, ...worldInner.map((l) => (l ? `  ${l}` : l)), '}', '');

  body.push(...worldInterface(world, sections, rootImported, rootExports.length > 0, worldNs));

  const uses = (name: string) => body.some((l) => new RegExp(`\\b${name}\\b`).test(l));
  const hostTypes = ['Remote', 'ResourceActor'].filter(uses);
  const head = [
    `// Generated by ${GENERATOR} from world ${worldId(world)}.`,
    '// DO NOT EDIT: `plugin-actors types` regenerates this file.',
    '',
    ...(hostTypes.length > 0 ? [`import type { ${hostTypes.join(', ')} } from '${options.hostModule ?? 'plugin-actors'}';`] : []),
    ...(uses('CallContext') ? [`import type { CallContext } from '${options.guestModule ?? 'plugin-actors/guest'}';`] : []),
    '',
  ];
  return { files: new Map([[`${world.name}.d.ts`, [...head, ...body].join('\n').replace(/\n+$/, '\n')]]) };
}

/** Parameters without `self`, as `name: Type`. */
function params(fn: WitFunction, scope: TypeScope, side: Side, input: boolean): string[] {
  const ps = fn.kind === 'method' ? fn.params.slice(1) : fn.params;
  return ps.map((p) => `${safeParam(camelCase(p.name))}: ${tsType(p.type, scope, side, input)}`);
}

const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'context']);

function safeParam(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** The return type: a top-level `result` returns its ok value (err: `ERR_RESULT` on the host, `ResultError` in a plugin). */
function returns(fn: WitFunction, scope: TypeScope, side: Side, input: boolean): { type: string; docs: string[] } {
  if (!fn.result) return { type: 'void', docs: [] };
  const r = unalias(fn.result);
  if (r.kind === 'result') {
    const err = r.err ? tsType(r.err, scope, side, !input) : 'nothing';
    const docs = side === 'host' && !input
      ? [`@throws PluginHostError ERR_RESULT carrying the err value (\`payload\`: ${err})`]
      : [`@throws ResultError carrying the err value (${err})`];
    return { type: r.ok ? tsType(r.ok, scope, side, input) : 'void', docs };
  }
  return { type: tsType(fn.result, scope, side, input), docs: [] };
}

/**
 * One function as a member. `mode`: `remote` (the host calls the plugin: `Remote<>` adds
 * the Promise and call options), `provide` (someone implements it: may return a Promise;
 * a Node plugin's implementation receives a `CallContext` last), `call` (a Node plugin
 * calls the host: returns a Promise).
 */
function member(name: string, fn: WitFunction, scope: TypeScope, side: Side, mode: 'remote' | 'provide' | 'call' | 'implement'): string[] {
  const input = mode === 'remote' || mode === 'call';
  const ps = params(fn, scope, side, input);
  if (mode === 'implement') ps.push('context: CallContext');
  const r = returns(fn, scope, side, !input);
  const type = mode === 'call' ? `Promise<${r.type}>` : mode === 'remote' ? r.type : `${r.type} | Promise<${r.type}>`;
  return [...docLines(fn.docs, '  ', r.docs), `  ${name}(${ps.join(', ')}): ${type};`];
}

function resourceDeclarations(resource: ResourceType, scope: TypeScope, direction: 'import' | 'export' | undefined): string[] {
  const name = typeName(resource);
  const out: string[] = [];
  const methods = (mode: 'remote' | 'provide' | 'call' | 'implement', side: Side) => resource.methods.flatMap((m) => member(propertyKey(camelCase(m.shortName)), m, scope, side, mode));
  const statics = (mode: 'remote' | 'provide' | 'call' | 'implement', side: Side) => resource.statics.flatMap((m) => member(propertyKey(camelCase(m.shortName)), m, scope, side, mode));
  if (direction === 'export') {
    out.push(...docLines(resource.docs, '', ['A resource actor: each method returns a Promise; `Symbol.asyncDispose` stops it.']));
    out.push(`export interface ${name} extends ResourceActor {`, ...methods('remote', 'host'), '}');
    out.push(`/** \`${name}\`'s constructor and static functions, as the host calls them (\`create\` or \`new\` constructs). */`);
    const ctor = resource.ctor ? params(resource.ctor, scope, 'host', true).join(', ') : undefined;
    out.push(`export interface ${name}Statics {`);
    if (ctor !== undefined) {
      out.push(...docLines(resource.ctor!.docs, '  '));
      if (!resource.statics.some((s) => s.shortName === 'create')) out.push(`  create(${ctor}): ${name};`);
      out.push(`  new(${ctor}): ${name};`);
    }
    out.push(...statics('remote', 'host'), '}');
    out.push(`/** An object of a Node plugin's \`${name}\` class. */`);
    out.push(`export interface ${name}Instance {`, ...methods('implement', 'guest'), '}');
    out.push(`/** The class a Node plugin implements \`${resource.name}\` with. */`);
    out.push(`export interface ${name}Class {`);
    if (resource.ctor) out.push(...docLines(resource.ctor.docs, '  '), `  new (${[...params(resource.ctor, scope, 'guest', false), 'context: CallContext'].join(', ')}): ${name}Instance;`);
    out.push(...statics('implement', 'guest'), '}');
  } else {
    out.push(...docLines(resource.docs, '', ['An object of the class the application provides for this resource.']));
    out.push(`export interface ${name} {`, ...methods('provide', 'host'), '}');
    out.push(`/** The class the application provides for \`${resource.name}\` (jco's import object). */`);
    out.push(`export interface ${name}Class {`);
    if (resource.ctor) out.push(...docLines(resource.ctor.docs, '  '), `  new (${params(resource.ctor, scope, 'host', false).join(', ')}): ${name};`);
    out.push(...statics('provide', 'host'), '}');
    out.push(`/** A host \`${resource.name}\` as a Node plugin holds it: its methods call the host. */`);
    out.push(`export interface ${name}Handle {`, ...methods('call', 'guest'), '  [Symbol.asyncDispose](): Promise<void>;', '}');
  }
  return out;
}

function interfaceDeclarations(functions: readonly WitFunction[], resources: readonly ResourceType[], scope: TypeScope, direction: 'import' | 'export'): string[] {
  const free = functions.filter((f) => f.kind === 'freestanding');
  const out: string[] = [];
  if (direction === 'export') {
    out.push('/** What the host calls: `node.exports(…)` gives `Remote<Exports>` (every function returns a Promise and takes call options last). */');
    out.push('export interface Exports {', ...free.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'host', 'remote')), ...resources.map((r) => `  ${typeName(r)}: ${typeName(r)}Statics;`), '}');
    out.push('/** What a Node plugin implements (`serve()`): functions may be async and receive a `CallContext` last. */');
    out.push('export interface Implementation {', ...free.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'guest', 'implement')), ...resources.map((r) => `  ${typeName(r)}: ${typeName(r)}Class;`), '}');
  } else {
    out.push('/** What the application provides (jco\'s import object): functions may return a Promise only under worker isolation or for a process plugin. */');
    out.push('export interface Imports {', ...free.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'host', 'provide')), ...resources.map((r) => `  ${typeName(r)}: ${typeName(r)}Class;`), '}');
    out.push('/** What a Node plugin may call (`serve()`\'s `imports`). */');
    out.push('export interface Host {', ...free.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'guest', 'call')), '}');
  }
  return out;
}

/** World-level functions: imports are bare functions (or `{ default }`), exports sit under `''`. */
function rootFunctionDeclarations(functions: readonly WitFunction[], types: readonly NamedType[], scope: TypeScope, direction: 'import' | 'export'): string[] {
  const resources = types.filter((t): t is ResourceType => t.kind === 'resource' && t.owner.kind === 'world');
  if (direction === 'export') {
    return [
      '/** The world\'s own exported functions, as the host calls them (`node.exports(\'\')`). */',
      'export interface Exports {', ...functions.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'host', 'remote')), '}',
      '/** The world\'s own exported functions, as a Node plugin implements them. */',
      'export interface Implementation {', ...functions.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'guest', 'implement')), '}',
    ];
  }
  return [
    '/** The world\'s own imported functions and resources, as the application provides them (each bare or as `{ default }`). */',
    'export interface Imports {',
    ...functions.flatMap((f) => {
      const [doc, sig] = splitLast(member('x', f, scope, 'host', 'provide'));
      const fnType = sig!.replace(/^ {2}x\((.*)\): (.*);$/, '($1) => $2');
      return [...doc, `  ${propertyKey(f.name)}: (${fnType}) | { default: ${fnType} };`];
    }),
    ...resources.map((r) => `  ${propertyKey(r.name)}: ${typeName(r)}Class | { default: ${typeName(r)}Class };`),
    '}',
    '/** The world\'s own imported functions, as a Node plugin calls them (`imports[\'\']`). */',
    'export interface Host {', ...functions.flatMap((f) => member(propertyKey(camelCase(f.name)), f, scope, 'guest', 'call')), '}',
  ];
}

function splitLast(lines: string[]): [string[], string | undefined] {
  return [lines.slice(0, -1), lines[lines.length - 1]];
}

function worldInterface(world: World, sections: readonly Section[], rootImports: boolean, rootExports: boolean, worldNs: string): string[] {
  /** Each interface under its full name and its name without version (both reach it), or only the latter. */
  const entries = (direction: 'import' | 'export', member: string, which: 'both' | 'unversioned', optional: (key: string) => boolean = () => false) => sections
    .filter((s) => s.direction === direction)
    .flatMap((s) => {
      const keys = which === 'unversioned' || stripVersion(s.key!) === s.key ? [stripVersion(s.key!)] : [s.key!, stripVersion(s.key!)];
      return keys.map((k) => `    ${JSON.stringify(k)}${optional(s.key!) ? '?' : ''}: ${s.namespace}.${member};`);
    });
  const name = pascalCase(world.name);
  return [
    ...docLines(world.docs, '', [`The world ${worldId(world)}: give it to \`system.load<${name}>(…)\` or \`serve<${name}>(…)\`.`]),
    `export interface ${name} {`,
    '  /** The interfaces the plugin exports, as the host calls them (`node.exports(name)`). */',
    '  readonly exports: {',
    ...entries('export', 'Exports', 'both'),
    ...(rootExports ? [`    '': ${worldNs}.Exports;`] : []),
    '  };',
    '  /** What the application must provide for the plugin\'s imports (the host provides WASI and plugin-actors:host itself). */',
    '  readonly imports: {',
    ...entries('import', 'Imports', 'unversioned', isHostProvided),
    '  }' + (rootImports ? ` & ${worldNs}.Imports;` : ';'),
    '  /** What a Node plugin implements (`serve()`\'s `exports`). */',
    '  readonly implementation: {',
    ...entries('export', 'Implementation', 'unversioned'),
    ...(rootExports ? [`    '': ${worldNs}.Implementation;`] : []),
    '  };',
    '  /** What a Node plugin may call (`serve()`\'s `imports`). */',
    '  readonly host: {',
    ...entries('import', 'Host', 'both'),
    ...(rootImports ? [`    '': ${worldNs}.Host;`] : []),
    '  };',
    '}',
  ];
}

/**
 * What the author of an exported interface implements, as AssemblyScript: the signatures
 * of its functions and of one class per resource, with their WIT doc comments. The
 * interface module carries it as a comment (so the author reads what to write next to the
 * types it uses), and the build checks the author module against it before asc runs, so a
 * missing export is one message naming the function instead of errors inside generated code.
 */
import type { ResourceType, WitFunction } from '../../../common/wit/model.js';
import type { BoundInterface } from '../core/world.js';
import { ModuleFile } from './module-file.js';
import { asMember, asName, asTypeName } from './names.js';
import { asType, type TypeHome } from './types.js';

export interface ContractItem {
  /** The name the author module must export. */
  readonly name: string;
  /** `ns:pkg/iface#fn`, or the resource's name. */
  readonly wit: string;
  /** The declaration to write, with its doc comment. */
  readonly declaration: string[];
}

export function doc(docs: string | undefined, indent: string): string[] {
  if (!docs) return [];
  const lines = docs.split('\n');
  return lines.length === 1 ? [`${indent}/** ${lines[0]} */`] : [`${indent}/**`, ...lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`), `${indent} */`];
}

export function interfaceContract(b: BoundInterface, home: TypeHome, path: string): ContractItem[] {
  // A scratch module: type names resolve as in the interface module, and no import is added anywhere.
  const scratch = new ModuleFile(path, 'contract');
  const named: TypeHome = { ...home, authorClass: (r) => { const a = home.authorClass(r); return a ? { module: path, name: a.name } : undefined; } };
  const type = (t: Parameters<typeof asType>[0]) => asType(t, scratch, named);
  const sig = (f: WitFunction, skipSelf: boolean) => {
    const ps = (skipSelf ? f.params.slice(1) : f.params).map((p) => `${asName(p.name)}: ${type(p.type)}`).join(', ');
    return { ps, result: f.result ? type(f.result) : 'void' };
  };
  const items: ContractItem[] = [];
  for (const bf of b.functions) {
    const f = bf.func;
    if (f.kind !== 'freestanding') continue;
    const { ps, result } = sig(f, false);
    items.push({ name: asMember(f.name), wit: `${b.key}#${f.name}`, declaration: [...doc(f.docs, ''), `export function ${asMember(f.name)}(${ps}): ${result}`] });
  }
  for (const r of b.resources) items.push(resourceItem(b, r, sig));
  return items;
}

function resourceItem(b: BoundInterface, r: ResourceType, sig: (f: WitFunction, skipSelf: boolean) => { ps: string; result: string }): ContractItem {
  const lines = [...doc(r.docs, ''), `export class ${asTypeName(r.name)} {`];
  if (r.ctor) lines.push(...doc(r.ctor.docs, '  '), `  constructor(${sig(r.ctor, false).ps})`);
  for (const m of r.methods) {
    const s = sig(m, true);
    lines.push(...doc(m.docs, '  '), `  ${asMember(m.shortName)}(${s.ps}): ${s.result}`);
  }
  for (const m of r.statics) {
    const s = sig(m, false);
    lines.push(...doc(m.docs, '  '), `  static ${asMember(m.shortName)}(${s.ps}): ${s.result}`);
  }
  lines.push('}');
  return { name: asTypeName(r.name), wit: `${b.key} resource ${r.name}`, declaration: lines };
}

/** The contract as the comment block of an interface module. */
export function contractComment(items: readonly ContractItem[], authorModule: string): string[] {
  return [
    `// What ${authorModule}.ts implements (export each of these from it):`,
    '//',
    ...items.flatMap((i) => [...i.declaration.map((l) => `//   ${l}`.trimEnd()), '//']),
  ];
}

/**
 * The contract items an author module's source does not export. The check reads the
 * source: a module that re-exports with `export *` is trusted (asc reports what is missing).
 */
export function missingFromSource(items: readonly ContractItem[], source: string): ContractItem[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  if (/export\s*\*/.test(code)) return [];
  const listed = new Set([...code.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!.trim())));
  return items.filter((i) => !listed.has(i.name) && !new RegExp(`export\\s+(?:declare\\s+)?(?:abstract\\s+)?(?:function|class|const|let|var)\\s+${i.name.replace(/\$/g, '\\$')}\\b`).test(code));
}

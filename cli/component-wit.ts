/**
 * What a component file says about itself, for `inspect` and `wit`: its WIT (the root
 * world as wasm-tools, shipped in jco-transpile, reads it out of the binary's types, then
 * each imported and exported interface in full, from `component-interfaces.ts`, so
 * components from any toolchain work), the world's imports and exports, size and sha256.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PluginHostError } from '../common/errors.js';
import { parseWitSource } from '../common/wit/load.js';
import type { World } from '../common/wit/model.js';
import { parseComponent } from '../host/component/binary/parse.js';
import { componentInterfaces, isPlainName, type ComponentInterfaces, type InterfaceText, type WorldItemText } from './component-interfaces.js';

export interface ComponentFacts {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly sha256: string;
  /** The component's WIT text: its root world, then the packages of the interfaces it imports and exports, in full. */
  readonly wit: string;
  /** The root world: its name (wasm-tools calls a component's world `root`) and the names of its items. */
  readonly world: { readonly name: string; readonly imports: readonly string[]; readonly exports: readonly string[] };
  /** Each imported and exported item with its own WIT text, in the component's order. */
  readonly interfaces: { readonly imports: readonly WitItem[]; readonly exports: readonly WitItem[] };
}

/**
 * One import or export as data (`wit --json`, `inspect --json`): an interface with its
 * WIT (`interface log { … }`, `use`s of other interfaces included), a world-level function
 * with its signature, or an item whose encoding the reader does not know, with why.
 */
export type WitItem =
  | { readonly kind: 'interface' | 'function'; readonly name: string; readonly wit: string }
  | { readonly kind: 'opaque'; readonly name: string; readonly why: string };

export async function readComponent(file: string): Promise<ComponentFacts> {
  const bytes = new Uint8Array(await readFile(file).catch((cause: unknown) => {
    throw new PluginHostError('ERR_LOAD_FAILED', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }));
  const tools = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const wit = await tools.componentWit(bytes).catch((cause: unknown) => {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `${file} is not a WebAssembly component: ${String((cause as { payload?: unknown }).payload ?? (cause as Error).message ?? cause)}`, { cause });
  });
  const items = componentInterfaces(parseComponent(bytes));
  return {
    file, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
    wit: `${wit.trimEnd()}\n${interfacePackages(items)}`,
    world: worldItems(wit),
    interfaces: { imports: items.imports.map(itemData), exports: items.exports.map(itemData) },
  };
}

function itemData(item: WorldItemText): WitItem {
  switch (item.kind) {
    case 'interface': {
      const short = isPlainName(item.iface.name) ? item.iface.name : /\/([^@]+)/.exec(item.iface.name)?.[1] ?? item.iface.name;
      return { kind: 'interface', name: item.iface.name, wit: [`interface ${short} {`, ...item.iface.lines.map((l) => `  ${l}`), '}'].join('\n') };
    }
    case 'function': return { kind: 'function', name: item.name, wit: item.signature };
    case 'opaque': return { kind: 'opaque', name: item.name, why: item.why };
  }
}

/**
 * The interfaces named by the root world, grouped into `package ns:pkg@version { … }`
 * blocks (WIT's form for several packages in one text). Plain-named items are already
 * written out in the root world.
 */
function interfacePackages({ imports, exports }: ComponentInterfaces): string {
  const packages = new Map<string, { iface: InterfaceText; short: string }[]>();
  const notes: string[] = [];
  for (const item of [...imports, ...exports]) {
    if (item.kind === 'function') continue;
    if (item.kind === 'opaque') { notes.push(`// ${item.name}: not shown (${item.why})`); continue; }
    if (isPlainName(item.iface.name)) continue;
    const m = /^([^:/]+:[^/@]+)\/([^@]+)(@.+)?$/.exec(item.iface.name);
    if (!m) continue;
    const key = `${m[1]}${m[3] ?? ''}`;
    const list = packages.get(key) ?? [];
    if (!list.some((x) => x.iface.name === item.iface.name)) list.push({ iface: item.iface, short: m[2]! });
    packages.set(key, list);
  }
  const out: string[] = [];
  for (const [pkg, ifaces] of packages) {
    out.push('', `package ${pkg} {`);
    ifaces.forEach(({ iface, short }, i) => {
      if (i > 0) out.push('');
      out.push(`  interface ${short} {`, ...iface.lines.map((l) => `    ${l}`), '  }');
    });
    out.push('}');
  }
  if (notes.length > 0) out.push('', ...notes);
  return `${out.join('\n')}\n`;
}

/** The root world's import and export names, from the WIT text. */
function worldItems(wit: string): ComponentFacts['world'] {
  let world: World | undefined;
  try {
    const resolved = parseWitSource(wit);
    world = [...(resolved.main?.worlds.values() ?? [])][0];
  } catch {
    world = undefined;
  }
  if (world) return { name: world.name, imports: [...world.imports.keys()], exports: [...world.exports.keys()] };
  // The text uses something this front end refuses: read the item lines of the root world.
  const names = (verb: string) => [...wit.matchAll(new RegExp(`^\\s*${verb}\\s+([^;:{]+(?::[^;{]*)?)\\s*;`, 'gm'))].map((m) => m[1]!.trim());
  return { name: /^\s*world\s+(%?[a-z][a-z0-9-]*)/m.exec(wit)?.[1]?.replace(/^%/, '') ?? 'root', imports: names('import'), exports: names('export') };
}

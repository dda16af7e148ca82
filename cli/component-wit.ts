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
import { componentInterfaces, isPlainName, type InterfaceText } from './component-interfaces.js';

export interface ComponentFacts {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly size: number;
  readonly sha256: string;
  /** The component's WIT text: its root world, then the packages of the interfaces it imports and exports, in full. */
  readonly wit: string;
  readonly world: { readonly imports: readonly string[]; readonly exports: readonly string[] };
}

export async function readComponent(file: string): Promise<ComponentFacts> {
  const bytes = new Uint8Array(await readFile(file).catch((cause: unknown) => {
    throw new PluginHostError('ERR_LOAD_FAILED', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }));
  const tools = await import('@bytecodealliance/jco-transpile/wasm-tools');
  const wit = await tools.componentWit(bytes).catch((cause: unknown) => {
    throw new PluginHostError('ERR_COMPONENT_INVALID', `${file} is not a WebAssembly component: ${String((cause as { payload?: unknown }).payload ?? (cause as Error).message ?? cause)}`, { cause });
  });
  return { file, bytes, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), wit: `${wit.trimEnd()}\n${interfacePackages(bytes)}`, world: worldItems(wit) };
}

/**
 * The interfaces named by the root world, grouped into `package ns:pkg@version { … }`
 * blocks (WIT's form for several packages in one text). Plain-named items are already
 * written out in the root world.
 */
function interfacePackages(bytes: Uint8Array): string {
  const { imports, exports } = componentInterfaces(parseComponent(bytes));
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
  if (world) return { imports: [...world.imports.keys()], exports: [...world.exports.keys()] };
  // The text uses something this front end refuses: read the item lines of the root world.
  const names = (verb: string) => [...wit.matchAll(new RegExp(`^\\s*${verb}\\s+([^;:{]+(?::[^;{]*)?)\\s*;`, 'gm'))].map((m) => m[1]!.trim());
  return { imports: names('import'), exports: names('export') };
}

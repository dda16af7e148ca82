// Builds test/interop/componentize-js with componentize-js (from npm): the engine, its WASI
// use and its bindings of the world's imports are all third-party. The world's WASI
// dependencies are the WASI 0.2.12 WIT that jco ships, given to componentize-js as WIT text
// (its splicer cannot read a WIT directory under preview2-shim 0.26).
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { root } from '../../helpers.js';
import { cachedBuild, sha256, type Built } from './build-cache.js';

const SOURCE = root('test/interop/componentize-js/probe.js');
const WORLD = root('test/interop/componentize-js/world.wit');
const WASI = ['cli', 'clocks', 'filesystem', 'io', 'random', 'sockets'];

/** The installed directory of an npm package (neither of ours exports its package.json). */
async function packageDir(name: string): Promise<string> {
  for (const modules of createRequire(import.meta.url).resolve.paths(name) ?? []) {
    const dir = join(modules, name);
    if (await readFile(join(dir, 'package.json')).then(() => true, () => false)) return dir;
  }
  throw new Error(`${name} is not installed`);
}

/** The WASI packages as nested `package … { }` blocks. */
async function wasiWit(): Promise<string> {
  const jco = await packageDir('@bytecodealliance/jco');
  const blocks = await Promise.all(WASI.map(async (p) => {
    const text = await readFile(join(jco, 'lib', 'wit', 'builtin', '0.2.12', `wasi-${p}`, 'package.wit'), 'utf8');
    return `${text.replace(/^package ([^;]+);/m, 'package $1 {')}\n}\n`;
  }));
  return blocks.join('');
}

export async function buildComponentizeJs(): Promise<Built> {
  let componentize: typeof import('@bytecodealliance/componentize-js').componentize;
  let version: string;
  try {
    componentize = (await import('@bytecodealliance/componentize-js')).componentize;
    version = (JSON.parse(await readFile(join(await packageDir('@bytecodealliance/componentize-js'), 'package.json'), 'utf8')) as { version: string }).version;
  } catch (e) {
    return { ok: false, skip: `componentize-js cannot be loaded: ${(e as Error).message}` };
  }
  const source = await readFile(SOURCE, 'utf8');
  const witWorld = `${await readFile(WORLD, 'utf8')}\n${await wasiWit()}`;
  const wasm = await cachedBuild('componentize-js', sha256(source, witWorld, version), async () => {
    // Their types demand `sourcePath`, with which componentize-js reads the file itself, and
    // fails: its file access runs under preview2-shim's empty preopens.
    const { component } = await componentize(source, witWorld, { worldName: 'js-probe' } as never);
    return component;
  });
  return { ok: true, wasm };
}

// Builds test/interop/rust-std: Rust std for wasm32-wasi (Debian's rustc, or any with that
// target), turned into a component with the WASI preview1 reactor adapter that jco ships.
// Our part is only the export glue (src/bindings.rs, generated from the WIT).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { worldId } from '../../../common/wit/model.js';
import { loadPluginWorld } from '../../../guest-sdk/build/plugin-world.js';
import { rustBuildInputs } from '../../../guest-sdk/build/rust.js';
import { findRustToolchain } from '../../../guest-sdk/build/rust-toolchain.js';
import { generateRust } from '../../../guest-sdk/codegen/rust/generate.js';
import { root } from '../../helpers.js';
import { cachedBuild, CACHE_DIR, sha256, type Built } from './build-cache.js';

const run = promisify(execFile);
const TARGET = 'wasm32-wasi';
const PROJECT = root('test/interop/rust-std');

/** Why no toolchain can build for wasm32-wasi here: what each candidate said. */
async function whyNoToolchain(): Promise<string> {
  const lines: string[] = [];
  const { PLUGIN_ACTORS_RUSTC: chosen } = process.env;
  for (const rustc of chosen ? [chosen] : ['rustc', '/usr/bin/rustc']) {
    try {
      const sysroot = (await run(rustc, ['--print', 'sysroot'])).stdout.trim();
      const lib = join(sysroot, 'lib', 'rustlib', TARGET, 'lib');
      lines.push(`${rustc}: ${existsSync(lib) ? `has ${lib}, but cargo did not run` : `no ${lib}`}`);
    } catch (e) {
      lines.push(`${rustc}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return `no Rust toolchain with the ${TARGET} standard library (Debian: apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14): ${lines.join('; ')}`;
}

async function adapterPath(): Promise<string | { skip: string }> {
  try {
    const jco = await import('@bytecodealliance/jco');
    return jco.preview1AdapterReactorPath().pathname;
  } catch (e) {
    return { skip: `the WASI preview1 adapter comes from @bytecodealliance/jco, which cannot be loaded: ${(e as Error).message}` };
  }
}

export async function buildRustStd(): Promise<Built> {
  const toolchain = await findRustToolchain(TARGET);
  if (!toolchain) return { ok: false, skip: await whyNoToolchain() };
  const adapter = await adapterPath();
  if (typeof adapter !== 'string') return { ok: false, ...adapter };
  const adapterBytes = await readFile(adapter);
  const plugin = await loadPluginWorld(join(PROJECT, 'wit'), 'interop:rust-std/rust-std');
  // Generated glue, written where the crate expects it (ignored by git).
  const bindings = generateRust({ world: plugin.world });
  const bindingsPath = join(PROJECT, 'src', 'bindings.rs');
  if ((await readFile(bindingsPath, 'utf8').catch(() => undefined)) !== bindings) await writeFile(bindingsPath, bindings);
  const inputs = await rustBuildInputs(PROJECT, plugin.witSource);
  const key = sha256(JSON.stringify(inputs), toolchain.version, adapterBytes);
  const wasm = await cachedBuild('rust-std', key, async () => {
    const env = { ...process.env, RUSTC: toolchain.rustc, CARGO_TARGET_DIR: join(CACHE_DIR, 'rust-target') };
    try {
      await run(toolchain.cargo, ['build', '--release', '--offline', '--target', TARGET, '--manifest-path', join(PROJECT, 'Cargo.toml')], { env, maxBuffer: 64 << 20 });
    } catch (e) {
      throw new Error(`cargo build for ${TARGET} failed:\n${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
    }
    const core = await readFile(join(CACHE_DIR, 'rust-target', TARGET, 'release', 'interop_rust_std.wasm'));
    const tools = await import('@bytecodealliance/jco-transpile/wasm-tools');
    const embedded = await tools.componentEmbed({ binary: core, witSource: plugin.witSource, world: worldId(plugin.world) });
    return tools.componentNew(embedded, [['wasi_snapshot_preview1', adapterBytes]]);
  });
  return { ok: true, wasm };
}

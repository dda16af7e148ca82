/**
 * Builds a Rust plugin: bindings (`src/bindings.rs`) → cargo (wasm32-unknown-unknown,
 * offline) → component. Next to the component it writes `<output>.inputs`: the sha256 of
 * every file the build read, so a committed component can be checked for staleness on a
 * machine without Rust.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { worldId } from '../../common/wit/model.js';
import { packageRoot } from '../../common/package-files.js';
import { generateRust } from '../codegen/rust/generate.js';
import type { BuildResult } from './assemblyscript.js';
import { makeComponent } from './component.js';
import type { PluginManifest } from './manifest.js';
import { loadPluginWorld } from './plugin-world.js';
import { missingRustExports } from './rust-exports.js';
import { requireRustToolchain, RUST_TARGET } from './rust-toolchain.js';
import { StepRunner, type BuildReporter } from './steps.js';

const run = promisify(execFile);

export const BINDINGS_FILE = 'src/bindings.rs';

export async function buildRust(manifest: PluginManifest, reporter: BuildReporter): Promise<BuildResult> {
  const steps = new StepRunner(4, reporter);
  const plugin = await steps.run('wit', async () => {
    const p = await loadPluginWorld(manifest.wit, manifest.world);
    return { value: p, detail: `world ${worldId(p.world)}` };
  });
  await steps.run('bindings', async () => {
    const source = generateRust({ world: plugin.world });
    const path = join(manifest.dir, BINDINGS_FILE);
    // Unchanged bindings keep their timestamp, so cargo has nothing to rebuild.
    const old = await readFile(path, 'utf8').catch(() => undefined);
    if (old !== source) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, source);
    }
    return { value: undefined, detail: `${BINDINGS_FILE} (${source.split('\n').length} lines${old === source ? ', unchanged' : ''})` };
  });
  const core = await steps.run('cargo', async () => {
    const toolchain = await requireRustToolchain();
    const bytes = await cargoBuild(manifest.dir, toolchain.cargo, toolchain.rustc);
    const missing = missingRustExports(bytes, plugin.world);
    if (missing) throw new Error(missing);
    return { value: bytes, detail: `${bytes.length} bytes of core wasm (${toolchain.version})` };
  });
  return steps.run('component', async () => {
    const component = await makeComponent(core, plugin.witSource, worldId(plugin.world));
    await mkdir(dirname(manifest.output), { recursive: true });
    await writeFile(manifest.output, component);
    await writeFile(`${manifest.output}.inputs`, `${JSON.stringify(await rustBuildInputs(manifest.dir, plugin.witSource), null, 2)}\n`);
    return { value: { output: manifest.output, bytes: component.length }, detail: `${relative(process.cwd(), manifest.output)} (${component.length} bytes)` };
  });
}

async function cargoBuild(dir: string, cargo: string, rustc: string): Promise<Uint8Array> {
  const sdk = join(packageRoot(), 'guest-sdk', 'rust');
  // Paths compiled into panic messages are remapped, so the component's bytes do not
  // depend on where the project was checked out.
  const remap = [`--remap-path-prefix=${dir}=/plugin`, `--remap-path-prefix=${sdk}=/plugin-actors-guest`];
  const env = {
    ...process.env,
    RUSTC: rustc,
    RUSTFLAGS: [process.env.RUSTFLAGS ?? '', ...remap].join(' ').trim(),
  };
  const manifestPath = join(dir, 'Cargo.toml');
  const edition = /^\s*edition\s*=\s*"(\d+)"/m.exec(await readFile(manifestPath, 'utf8').catch(() => ''))?.[1];
  if (edition !== undefined && Number(edition) > 2021) {
    throw new Error(`${manifestPath} sets edition = "${edition}"; the generated bindings are edition 2021 code (set edition = "2021")`);
  }
  try {
    await run(cargo, ['build', '--release', '--target', RUST_TARGET, '--offline', '--manifest-path', manifestPath], { env, maxBuffer: 64 << 20 });
  } catch (e) {
    throw Object.assign(new Error('cargo build failed'), { output: String((e as { stderr?: string }).stderr ?? '').trim() });
  }
  const metadata = JSON.parse((await run(cargo, ['metadata', '--no-deps', '--format-version', '1', '--offline', '--manifest-path', manifestPath], { env, maxBuffer: 64 << 20 })).stdout) as {
    target_directory: string;
    packages: { manifest_path: string; targets: { name: string; kind: string[] }[] }[];
  };
  const pkg = metadata.packages.find((p) => p.manifest_path === manifestPath) ?? metadata.packages[0];
  const lib = pkg?.targets.find((t) => t.kind.includes('cdylib'));
  if (!lib) throw new Error(`${manifestPath} must build a cdylib: add [lib] crate-type = ["cdylib"]`);
  return readFile(join(metadata.target_directory, RUST_TARGET, 'release', `${lib.name.replace(/-/g, '_')}.wasm`));
}

/** sha256 of each input of a Rust build (project sources, the SDK crate, the WIT). */
export async function rustBuildInputs(dir: string, witSource: string): Promise<Record<string, string>> {
  const sdk = join(packageRoot(), 'guest-sdk', 'rust');
  const hash = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
  const inputs: Record<string, string> = { 'world.wit': hash(witSource) };
  const add = async (root: string, prefix: string, files: string[]) => {
    for (const f of files.sort()) inputs[`${prefix}/${f}`] = hash(await readFile(join(root, f)));
  };
  await add(dir, 'plugin', ['Cargo.toml', 'Cargo.lock', ...(await rustSources(dir))]);
  await add(sdk, 'plugin-actors-guest', ['Cargo.toml', ...(await rustSources(sdk))]);
  return inputs;
}

async function rustSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(join(dir, d), { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.endsWith('.rs')) out.push(join(d, e.name));
    }
  };
  await walk('src');
  return out;
}

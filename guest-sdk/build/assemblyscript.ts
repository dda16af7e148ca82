/**
 * Builds an AssemblyScript plugin: bindings → asc → component.
 */
import { createRequire } from 'node:module';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PluginHostError } from '../../common/errors.js';
import { worldId } from '../../common/wit/model.js';
import { generateAssemblyScript, type AssemblyScriptBindings } from '../codegen/assemblyscript/generate.js';
import { missingFromSource } from '../codegen/assemblyscript/contract.js';
import { makeComponent } from './component.js';
import type { PluginManifest } from './manifest.js';
import { assemblyScriptRuntimeDir, assemblyScriptTransform } from '../../common/package-files.js';
import { loadPluginWorld } from './plugin-world.js';
import { StepRunner, type BuildReporter } from './steps.js';

export interface BuildResult {
  readonly output: string;
  readonly bytes: number;
}

export async function buildAssemblyScript(manifest: PluginManifest, reporter: BuildReporter, options: { optimize?: boolean } = {}): Promise<BuildResult> {
  const steps = new StepRunner(4, reporter);
  const plugin = await steps.run('wit', async () => {
    const p = await loadPluginWorld(manifest.wit, manifest.world);
    return { value: p, detail: `world ${worldId(p.world)}` };
  });
  const bindings = await steps.run('bindings', async () => {
    const runtime = relative(manifest.dir, join(assemblyScriptRuntimeDir(), 'index')).split('\\').join('/');
    const generated = generateAssemblyScript({ world: plugin.world, runtime, exportModules: manifest.exports });
    await rm(join(manifest.dir, 'bindings'), { recursive: true, force: true });
    for (const [path, content] of generated.files) {
      await mkdir(dirname(join(manifest.dir, path)), { recursive: true });
      await writeFile(join(manifest.dir, path), content);
    }
    return { value: generated, detail: `${generated.files.size} files in bindings/` };
  });
  const core = await steps.run('asc', async () => {
    await checkAuthorModules(manifest.dir, bindings.contracts);
    const bytes = await compileAssemblyScript(manifest.dir, bindings.entries, bindings.abort, options.optimize ?? true);
    return { value: bytes, detail: `${bytes.length} bytes of core wasm` };
  });
  return steps.run('component', async () => {
    const component = await makeComponent(core, plugin.witSource, worldId(plugin.world));
    await mkdir(dirname(manifest.output), { recursive: true });
    await writeFile(manifest.output, component);
    return { value: { output: manifest.output, bytes: component.length }, detail: `${relative(process.cwd(), manifest.output)} (${component.length} bytes)` };
  });
}

async function compileAssemblyScript(dir: string, entries: readonly string[], abort: string, optimize: boolean): Promise<Uint8Array> {
  let asc: typeof import('assemblyscript/asc');
  try {
    // Resolved from the plugin project first, then from this package.
    const require = createRequire(join(dir, 'package.json'));
    let path: string;
    try {
      path = require.resolve('assemblyscript/asc');
    } catch {
      path = 'assemblyscript/asc';
    }
    asc = await import(path.startsWith('/') ? `file://${path}` : path);
  } catch (cause) {
    throw new PluginHostError('ERR_TOOLCHAIN_MISSING', 'AssemblyScript is not installed: run `npm install --save-dev assemblyscript`', { cause });
  }
  let output: Uint8Array | undefined;
  let stderr = '';
  const args = [
    ...entries, '--outFile', 'plugin.core.wasm', '--runtime', 'incremental', '--use', `abort=${abort}`,
    '--transform', assemblyScriptTransform(), '--baseDir', dir, '--noColors', '--disableWarning', '235',
    ...(optimize ? ['-O3'] : ['--debug']),
  ];
  const { error } = await asc.main(args, {
    stdout: { write: (s: string | Uint8Array) => { stderr += String(s); return true; } } as never,
    stderr: { write: (s: string | Uint8Array) => { stderr += String(s); return true; } } as never,
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm')) output = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
    },
  });
  if (error || !output) throw Object.assign(new Error(`asc failed${error ? `: ${error.message}` : ''}`), { output: stderr.trim() });
  return output;
}

export async function listGenerated(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  await walk(join(dir, 'bindings'));
  return out.sort();
}

/**
 * Each author module exists and exports what its interface needs; otherwise one message
 * names the module, the missing names and the declarations to write (asc would report
 * errors inside the generated bindings instead).
 */
async function checkAuthorModules(dir: string, contracts: AssemblyScriptBindings['contracts']): Promise<void> {
  for (const { module, items } of contracts) {
    if (items.length === 0) continue;
    const source = await readFile(join(dir, `${module}.ts`), 'utf8').catch(() => undefined);
    const missing = source === undefined ? items : missingFromSource(items, source);
    if (missing.length === 0) continue;
    const what = source === undefined ? `${module}.ts does not exist; it implements` : `${module}.ts does not export`;
    throw new Error(`${what} ${missing.map((m) => `${m.name} (${m.wit})`).join(', ')}. Write:\n\n${missing.map((m) => m.declaration.join('\n')).join('\n\n')}`);
  }
}

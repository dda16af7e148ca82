/**
 * A manifest becomes plugin specs: the component's, the command's, or both (the command
 * being the fallback). Paths in a manifest are relative to its folder and stay inside it,
 * preopens included; `"node"` as a program is the Node.js running the host.
 */
import { isAbsolute, join, resolve, sep } from 'node:path';
import { PluginHostError } from '../../common/errors.js';
import type { HostImports } from '../../common/host-objects.js';
import type { WasiGrants } from '../capabilities/wasi/grants.js';
import type { ProcessPluginSpec, WasmPluginSpec } from '../plugin-spec.js';
import type { RestartOptions } from '../system/restart-policy.js';
import type { PluginManifest } from './manifest.js';

/** What the application adds to every spec made from a manifest. */
export interface ManifestSpecOptions {
  /** Host implementations of the world's imports (the application's side of the contract). */
  readonly imports?: HostImports;
  /** Restart policy for the plugins loaded. */
  readonly restart?: RestartOptions;
}

export interface ManifestSpecs {
  readonly wasm?: WasmPluginSpec;
  readonly process?: ProcessPluginSpec;
  /** The manifest's WIT, resolved. */
  readonly wit?: string;
}

export function specsFromManifest(manifest: PluginManifest, dir: string, options: ManifestSpecOptions = {}): ManifestSpecs {
  const common = {
    name: manifest.name,
    ...(options.imports ? { imports: options.imports } : {}),
    ...(options.restart ? { restart: options.restart } : {}),
  };
  const wasm: WasmPluginSpec | undefined = manifest.wasm === undefined ? undefined : {
    ...common,
    wasm: inside(dir, manifest.wasm, manifest),
    ...(manifest.isolation ? { isolation: manifest.isolation } : {}),
    ...(manifest.grants ? { grants: grantsInFolder(manifest.grants, dir, manifest) } : {}),
    ...integrity(manifest.sha256, manifest.signature),
  } as WasmPluginSpec;
  let process_: ProcessPluginSpec | undefined;
  if (manifest.command) {
    const [program, ...args] = manifest.command;
    const pinned = manifest.wasm === undefined ? integrity(manifest.sha256, manifest.signature) : integrity(manifest.entrySha256, manifest.entrySignature);
    process_ = {
      ...common,
      command: [program === 'node' ? process.execPath : program!, ...args],
      cwd: dir,
      world: manifest.world,
      ...(manifest.wit ? { wit: inside(dir, manifest.wit, manifest) } : {}),
      ...('integrity' in pinned ? { integrity: { ...pinned.integrity, path: inside(dir, manifest.entry!, manifest) } } : {}),
    } as ProcessPluginSpec;
  }
  return {
    ...(wasm ? { wasm } : {}),
    ...(process_ ? { process: process_ } : {}),
    ...(manifest.wit ? { wit: inside(dir, manifest.wit, manifest) } : {}),
  };
}

/** The spec's integrity key (issue 12's check), present only when the manifest pins something. */
function integrity(sha256: string | undefined, signature: string | undefined): { integrity: { sha256?: string; signature?: string } } | Record<string, never> {
  if (sha256 === undefined && signature === undefined) return {};
  return { integrity: { ...(sha256 ? { sha256 } : {}), ...(signature ? { signature } : {}) } };
}

function grantsInFolder(grants: WasiGrants, dir: string, manifest: PluginManifest): WasiGrants {
  if (!grants.fs) return grants;
  const preopens = grants.fs.preopens;
  if (preopens === null || typeof preopens !== 'object') throw invalid(manifest, '`grants.fs.preopens` must be an object');
  const resolved = Object.fromEntries(Object.entries(preopens).map(([guest, p]) => [guest, { ...p, path: inside(dir, String(p?.path), manifest) }]));
  return { ...grants, fs: { preopens: resolved } };
}

/** A manifest's relative path, resolved in its folder; a path leading out of it is refused. */
function inside(dir: string, path: string, manifest: PluginManifest): string {
  const full = resolve(dir, path);
  if (isAbsolute(path) || (full !== resolve(dir) && !full.startsWith(resolve(dir) + sep))) throw invalid(manifest, `${JSON.stringify(path)} leads out of the plugin's folder`);
  return join(full);
}

function invalid(manifest: PluginManifest, message: string): PluginHostError {
  return new PluginHostError('ERR_MANIFEST_INVALID', `plugin ${manifest.name}: ${message}`, { plugin: manifest.name });
}

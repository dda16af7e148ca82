/**
 * Loading one plugin from its manifest. A plugin shipping a component and a command runs
 * the component, and falls back to the command only when this host cannot load the
 * component (ERR_COMPONENT_UNSUPPORTED: a feature it does not implement), saying why in the
 * log. Every other refusal — integrity, signature, contract (world, imports), grants, an
 * invalid component — stops the plugin: falling back there would run what was refused.
 */
import { PluginHostError, isPluginHostError } from '../../common/errors.js';
import { hostWitDir } from '../../common/package-files.js';
import { compareWorlds } from '../../common/wit/equal.js';
import { loadWit, matchesId, selectWorld } from '../../common/wit/load.js';
import type { World } from '../../common/wit/model.js';
import type { PluginSpec } from '../plugin-spec.js';
import type { Logger } from '../system/node-connection.js';
import type { PluginNode } from '../system/plugin-node.js';
import { checkGrants, validateGrantPolicy, type GrantPolicy } from './grant-policy.js';
import type { PluginManifest } from './manifest.js';
import { specsFromManifest, type ManifestSpecOptions } from './manifest-specs.js';
import type { FoundManifest } from './read-manifest.js';

/** What loading from manifests needs of the actor system. */
export interface PluginLoader {
  load(spec: PluginSpec): Promise<PluginNode>;
  readonly logger: Logger;
}

export interface LoadManifestOptions extends ManifestSpecOptions {
  /** Grants the application allows manifests to ask for (`process` to run commands). @default [] */
  readonly allowGrants?: GrantPolicy;
  /** The world every plugin must implement (`ns:pkg/world[@version]`); others are refused with ERR_WORLD_MISMATCH. */
  readonly world?: string;
  /** The application's WIT defining `world`: plugins are checked against it by structure (else against their own `wit`). */
  readonly wit?: string;
}

/** A plugin loaded from a manifest. */
export interface LoadedPlugin {
  readonly name: string;
  readonly manifest: PluginManifest;
  /** The manifest file. */
  readonly source: string;
  readonly node: PluginNode;
  /** What runs: the component, or the command. */
  readonly runs: 'wasm' | 'process';
  /** Why the component was not used, when the command runs as its fallback. */
  readonly fallbackReason?: PluginHostError;
}

/**
 * @throws ERR_GRANT_DENIED, ERR_WORLD_MISMATCH, ERR_MANIFEST_INVALID, and what `load` throws
 */
export async function loadFromManifest(loader: PluginLoader, found: FoundManifest, options: LoadManifestOptions = {}): Promise<LoadedPlugin> {
  const { manifest, dir, source } = found;
  const policy = validateGrantPolicy(options.allowGrants);
  if (options.world && !matchesId(manifest.world, options.world)) {
    throw new PluginHostError('ERR_WORLD_MISMATCH', `plugin ${manifest.name} implements ${manifest.world}, but the application loads ${options.world} plugins`, { plugin: manifest.name });
  }
  const specs = specsFromManifest(manifest, dir, options);
  const done = (node: PluginNode, runs: 'wasm' | 'process', fallbackReason?: PluginHostError): LoadedPlugin =>
    ({ name: manifest.name, manifest, source, node, runs, ...(fallbackReason ? { fallbackReason } : {}) });
  let fallbackReason: PluginHostError | undefined;
  if (specs.wasm) {
    checkGrants(manifest, policy, 'wasm');
    let node: PluginNode | undefined;
    try {
      node = await loader.load(specs.wasm);
    } catch (e) {
      if (!specs.process || !isPluginHostError(e, 'ERR_COMPONENT_UNSUPPORTED')) throw e;
      fallbackReason = e;
      loader.logger.warn(`plugin ${manifest.name}: this host cannot load its component (${e.message}); running its command instead`, { plugin: manifest.name, code: e.code, ...(e.feature ? { feature: e.feature } : {}) });
    }
    if (node) {
      try {
        await checkContract(node, manifest, options.wit ?? specs.wit);
      } catch (e) {
        await node.stop().catch(() => {});
        throw e;
      }
      return done(node, 'wasm');
    }
  }
  checkGrants(manifest, policy, 'process');
  const spec = options.wit ? { ...specs.process!, wit: options.wit } : specs.process!;
  return done(await loader.load(spec), 'process', fallbackReason);
}

/**
 * A component's world is read from its types and carries no name, so it is checked by what
 * it exports: exactly the exports of the manifest's (or application's) world, type for type.
 * Its imports are left to the load, which refuses any the host cannot provide.
 */
async function checkContract(node: PluginNode, manifest: PluginManifest, wit: string | undefined): Promise<void> {
  if (!wit) return;
  const expected = selectWorld(await loadWit(wit, { deps: [hostWitDir()] }), manifest.world);
  const diff = compareWorlds(exportsOnly(expected), exportsOnly(node.world));
  if (diff === undefined) return;
  throw new PluginHostError('ERR_WORLD_MISMATCH', `plugin ${manifest.name} does not match world ${manifest.world}: ${diff}`, { plugin: manifest.name });
}

function exportsOnly(world: World): World {
  return { ...world, imports: new Map() } as World;
}

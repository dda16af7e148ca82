// Plugin distribution: runtime manifests, loading folders of plugins and npm-package plugins.
export { validateManifest, type PluginManifest } from './manifest.js';
export { readManifest, MANIFEST_FILE, PACKAGE_KEY, type FoundManifest } from './read-manifest.js';
export { loadFromManifest, type LoadedPlugin, type LoadManifestOptions, type PluginLoader } from './load-manifest.js';
export { loadAll, loadPackages, type LoadAllResult, type LoadPackagesOptions, type PluginLoadFailure } from './load-all.js';
export type { GrantName, GrantPolicy, GrantRequest } from './grant-policy.js';

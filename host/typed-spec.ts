/**
 * A plugin spec checked against a world type from `plugin-actors types`: `imports` must
 * provide, with the right types, every interface the world needs from the application
 * (more keys, such as replacements for `wasi:*`, stay allowed).
 */
import type { HostImports } from '../common/host-objects.js';
import type { PluginSpec } from './plugin-spec.js';
import type { WorldTypes } from './system/plugin-node.js';

type ImportsOf<W extends WorldTypes> = W['imports'] & HostImports;

export type TypedPluginSpec<W extends WorldTypes> = PluginSpec & (
  {} extends W['imports'] ? { readonly imports?: ImportsOf<W> } : { readonly imports: ImportsOf<W> }
);

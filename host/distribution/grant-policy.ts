/**
 * Grants a manifest asks for are requests: the application decides. A plugin gets a grant
 * only if the application's policy allows it, and a plugin asking for more than it may have
 * is refused (ERR_GRANT_DENIED) rather than loaded with less, so it never runs half-granted.
 * Running a subprocess is a grant too (`process`): it has every right of the host's user.
 */
import { PluginHostError } from '../../common/errors.js';
import type { WasiGrants } from '../capabilities/wasi/grants.js';
import type { PluginManifest } from './manifest.js';

/** What a manifest can ask for: the WASI grants, and `process` (running its command). */
export type GrantName = keyof WasiGrants | 'process';

/** One grant a manifest asks for, as a policy function sees it. */
export interface GrantRequest {
  readonly grant: GrantName;
  /** The grant's value as the manifest asks it (for `process`: the command). */
  readonly value: unknown;
  readonly manifest: PluginManifest;
}

/**
 * The grants the application allows: a list of names, or a function deciding each request
 * (to look at paths, variables or commands).
 * @default [] — nothing: wasm plugins without grants only
 */
export type GrantPolicy = readonly GrantName[] | ((request: GrantRequest) => boolean);

const GRANT_NAMES: readonly GrantName[] = ['env', 'args', 'cwd', 'stdio', 'clocks', 'random', 'fs', 'process'];

/** @throws ERR_INVALID_OPTION for a malformed policy */
export function validateGrantPolicy(policy: unknown): GrantPolicy {
  if (policy === undefined) return [];
  if (typeof policy === 'function') return policy as GrantPolicy;
  if (!Array.isArray(policy) || policy.some((g) => !GRANT_NAMES.includes(g))) {
    throw new PluginHostError('ERR_INVALID_OPTION', `allowGrants must be a list of ${GRANT_NAMES.join(', ')}, or a function`);
  }
  return policy;
}

/** The grants a plugin would hold running this way; throws unless the policy allows each. */
export function checkGrants(manifest: PluginManifest, policy: GrantPolicy, runs: 'wasm' | 'process'): void {
  const requests: GrantRequest[] = runs === 'process'
    ? [{ grant: 'process', value: manifest.command, manifest }]
    : Object.entries(manifest.grants ?? {}).filter(([, v]) => v !== undefined && v !== false).map(([grant, value]) => ({ grant: grant as GrantName, value, manifest }));
  const denied = requests.filter((r) => !(typeof policy === 'function' ? policy(r) === true : policy.includes(r.grant)));
  if (denied.length > 0) {
    const names = denied.map((r) => r.grant).join(', ');
    throw new PluginHostError('ERR_GRANT_DENIED', `plugin ${manifest.name} asks for ${names}, which the application does not allow (allowGrants)`, { plugin: manifest.name });
  }
}

/**
 * Which transport starts which kind of plugin spec. A node's record keeps the `Launch`
 * made here: starting the same spec again is one call.
 */
import type { ValidatedSpec } from '../plugin-spec.js';
import type { Launch } from '../system/node-connection.js';
import { launchInline } from './component/connect.js';
import type { ComponentCache } from './component/persistent-cache.js';
import type { IntegrityPolicy } from '../integrity/index.js';
import { launchProcess } from './process/index.js';
import { launchWorker } from './worker/connection.js';
import { limitedLaunch } from './node-limits.js';

export interface TransportEnvironment {
  /** The persistent component cache, when the system has a `cacheDir`. */
  readonly componentCache?: ComponentCache;
  /** The system's trusted keys, checked against every plugin's signature. */
  readonly integrity?: IntegrityPolicy;
  /** The system's default call deadline (a plugin's `timeoutMs` overrides it). */
  readonly defaultTimeoutMs?: number;
}

export function launcherFor(spec: ValidatedSpec, env: TransportEnvironment): Launch {
  const defaultTimeoutMs = spec.limits.defaultTimeoutMs ?? env.defaultTimeoutMs;
  return limitedLaunch(transportLaunch(spec, env), { ...spec.limits, ...(defaultTimeoutMs !== undefined ? { defaultTimeoutMs } : {}) });
}

function transportLaunch(spec: ValidatedSpec, env: TransportEnvironment): Launch {
  switch (spec.kind) {
    case 'inline': return (context) => launchInline(spec.options, context, env.componentCache, env.integrity);
    case 'worker': return (context) => launchWorker(spec.options, context, env.componentCache, env.integrity);
    case 'process': return (context) => launchProcess(spec.options, context, env.integrity);
  }
}

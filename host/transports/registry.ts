/**
 * Which transport starts which kind of plugin spec. A node's record keeps the `Launch`
 * made here: starting the same spec again is one call.
 *
 * Each transport (and the persistent component cache) is imported the first time it is
 * used: importing the library loads none of them, and an application that runs only inline
 * plugins never loads the worker, process or WIT front-end code (esbuild puts each dynamic
 * import in a chunk of its own).
 */
import type { ValidatedSpec } from '../plugin-spec.js';
import type { Launch, Logger } from '../system/node-connection.js';
import type { ComponentCache } from './component/persistent-cache.js';
import type { IntegrityPolicy } from '../integrity/index.js';
import { limitedLaunch } from './node-limits.js';

export interface TransportEnvironment {
  /** The persistent component cache, when the system has a `cacheDir` (made on first use). */
  readonly componentCache?: () => Promise<ComponentCache>;
  /** The system's trusted keys, checked against every plugin's signature. */
  readonly integrity?: IntegrityPolicy;
  /** The system's default call deadline (a plugin's `timeoutMs` overrides it). */
  readonly defaultTimeoutMs?: number;
}

/** The environment of one actor system's transports. */
export function transportEnvironment(options: { readonly cacheDir?: string; readonly logger: Logger; readonly integrity?: IntegrityPolicy; readonly defaultTimeoutMs?: number }): TransportEnvironment {
  const { cacheDir, logger, ...rest } = options;
  if (cacheDir === undefined) return rest;
  let cache: Promise<ComponentCache> | undefined;
  return { ...rest, componentCache: () => (cache ??= import('./component/persistent-cache.js').then((m) => new m.ComponentCache(cacheDir, logger))) };
}

export function launcherFor(spec: ValidatedSpec, env: TransportEnvironment): Launch {
  const defaultTimeoutMs = spec.limits.defaultTimeoutMs ?? env.defaultTimeoutMs;
  return limitedLaunch(transportLaunch(spec, env), { ...spec.limits, ...(defaultTimeoutMs !== undefined ? { defaultTimeoutMs } : {}) });
}

function transportLaunch(spec: ValidatedSpec, env: TransportEnvironment): Launch {
  switch (spec.kind) {
    case 'inline': return async (context) => (await import('./component/connect.js')).launchInline(spec.options, context, await env.componentCache?.(), env.integrity);
    case 'worker': return async (context) => (await import('./worker/connection.js')).launchWorker(spec.options, context, await env.componentCache?.(), env.integrity);
    case 'process': return async (context) => (await import('./process/index.js')).launchProcess(spec.options, context, env.integrity);
    case 'nats': return async (context) => (await import('./nats/index.js')).launchNats(spec.options, context);
  }
}

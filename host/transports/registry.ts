/**
 * Which transport starts which kind of plugin spec. Each transport is loaded the first
 * time a plugin of its kind is, so an application that hosts only wasm never loads the
 * process transport, and the other way round. A node's record keeps the `Launch` made
 * here: starting the same spec again is one call.
 */
import type { ValidatedSpec } from '../plugin-spec.js';
import type { Launch } from '../system/node-connection.js';
import type { ComponentCache } from './component/persistent-cache.js';

export interface TransportEnvironment {
  /** The persistent component cache, when the system has a `cacheDir`. */
  readonly componentCache?: ComponentCache;
}

export function launcherFor(spec: ValidatedSpec, env: TransportEnvironment): Launch {
  switch (spec.kind) {
    case 'inline':
      return async (context) => (await import('./component/connect.js')).launchInline(spec.options, context, env.componentCache);
    case 'worker':
      return async (context) => (await import('./worker/connection.js')).launchWorker(spec.options, context, env.componentCache);
    case 'process':
      return async (context) => (await import('./process/index.js')).launchProcess(spec.options, context);
  }
}

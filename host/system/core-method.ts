/**
 * A root function of an inline plugin called with core values (a link from another inline
 * plugin, host/component/canon/core-entry.ts), following the plugin's incarnations as
 * `root-method.ts` does: the running incarnation's core call is cached, one comparison per
 * call. Whenever there is no core call to make (the plugin restarts, stops, or its new
 * incarnation does not run inline), the call takes `fallback`, the ordinary synchronous
 * path, which produces every typed error.
 */
import type { WitFunction } from '../../common/wit/model.js';
import type { CoreBinding, CoreCall, DirectCore } from './node-connection.js';
import { matchInterface } from './node-description.js';
import type { NodeRecord } from './node-record.js';
import type { PluginEntry } from './plugin-entry.js';

export interface CoreMethod {
  readonly call: CoreCall;
  /** The running incarnation's core export, when it can be called wasm to wasm (`DirectCore`). */
  direct(): DirectCore | undefined;
}

export function coreMethod(entry: PluginEntry, interfaceName: string, template: WitFunction, fallback: CoreCall): CoreMethod {
  let cached: NodeRecord | undefined;
  let binding: CoreBinding | undefined;
  const bindingOf = (record: NodeRecord | undefined): CoreBinding | undefined => {
    if (record === undefined || record.state !== 'running') return undefined;
    if (record !== cached) {
      cached = record;
      const fn = matchInterface(record.description, interfaceName)?.functions.get(template.name);
      binding = fn && record.connection.capabilities.sync?.bindCore?.(fn);
    }
    return binding;
  };
  const callOf = (record: NodeRecord | undefined): CoreCall => bindingOf(record)?.call ?? fallback;
  let call: CoreCall;
  switch (template.params.length) {
    case 1: call = (a) => callOf(entry.current)(a); break;
    case 2: call = (a, b) => callOf(entry.current)(a, b); break;
    default: call = (...c) => callOf(entry.current)(...c);
  }
  return { call, direct: () => bindingOf(entry.current)?.direct };
}

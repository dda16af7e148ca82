/**
 * Links: an import bound to another loaded plugin's exported interface, by giving that
 * plugin's root-actor proxy in `imports` (docs/linking.md):
 *
 *   await system.load({ name: 'app', wasm, isolation: 'worker',
 *     imports: { 'acme:kv/store': system.plugin('kv')!.exports('acme:kv/store') } });
 *
 * `linkImports` replaces each such proxy with the host object of `linked-interface.ts`
 * before the transport sees the spec; the rest of `imports` passes through untouched. The
 * types are compared when the transport binds the import (the importer's view of the
 * interface is known only then: from the component, or from the handshake).
 */
import { PluginHostError } from '../../common/errors.js';
import type { ValidatedSpec } from '../plugin-spec.js';
import type { ActorSystemCore } from '../system/actor-system.js';
import type { Logger } from '../system/node-connection.js';
import { proxyMeta } from '../system/proxy.js';
import { linkedInterface } from './linked-interface.js';

/**
 * The spec with every linked import replaced by its host object.
 * @throws ERR_INVALID_OPTION for a proxy that is not a loaded plugin's root interface;
 *   ERR_LINK_NEEDS_WORKER for an inline importer linked to a target outside the host's thread
 */
export function linkImports(core: ActorSystemCore, spec: ValidatedSpec, logger: Logger): ValidatedSpec {
  // A remote node's imports are its runner's business: nothing to link here.
  if (spec.kind === 'nats') return spec;
  const imports = spec.options.imports;
  let linked: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(imports)) {
    if (proxyMeta(value) === undefined) continue;
    const target = core.linkTarget(value);
    if (!target) {
      throw new PluginHostError('ERR_INVALID_OPTION', `imports[${JSON.stringify(key)}] of plugin ${spec.name} is an actor proxy, but not a loaded plugin's interface: link with system.plugin(name).exports(interface)`, { plugin: spec.name });
    }
    if (spec.kind === 'inline' && !target.sync) {
      throw new PluginHostError('ERR_LINK_NEEDS_WORKER', `plugin ${spec.name} runs inline, so its guest cannot wait for ${key}, linked to plugin ${target.plugin}, which runs outside the host's thread; load ${spec.name} with isolation: 'worker'`, { plugin: spec.name });
    }
    linked ??= { ...imports };
    linked[key] = linkedInterface(core, value as object, target, { importer: spec.name, importKey: key, mode: spec.kind === 'inline' ? 'sync' : 'async', logger });
  }
  if (!linked) return spec;
  return { ...spec, options: { ...spec.options, imports: linked } } as ValidatedSpec;
}

/**
 * `ActorSystem`: the actor-system core plus `load()`, which picks the transport from the
 * plugin spec (`wasm` → in-process component, `command` → subprocess).
 *
 * Example:
 *   await using system = new ActorSystem();
 *   const greeter = await system.load({ name: 'greeter', wasm: './greeter.wasm' });
 *   console.log(await greeter.exports('example:greeter/api').greet('world'));
 */
import { PluginHostError } from './errors.js';
import { ActorSystemCore, type PluginNode } from './system/actor-system.js';
import { connectComponent, type ComponentPluginOptions } from './transports/component/connect.js';
import { connectProcess, type ProcessPluginOptions } from './transports/process/index.js';

export interface WasmPluginSpec extends ComponentPluginOptions {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
}

export interface ProcessPluginSpec extends ProcessPluginOptions {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
}

export type PluginSpec = WasmPluginSpec | ProcessPluginSpec;

export class ActorSystem extends ActorSystemCore {
  /**
   * Loads and starts a plugin.
   * @throws ERR_INVALID_OPTION, ERR_LOAD_FAILED, ERR_COMPONENT_INVALID, ERR_COMPONENT_UNSUPPORTED,
   *   ERR_IMPORT_MISSING, ERR_WORLD_MISMATCH, ERR_HANDSHAKE
   */
  async load(spec: PluginSpec): Promise<PluginNode> {
    if (spec === null || typeof spec !== 'object') throw new PluginHostError('ERR_INVALID_OPTION', 'load() takes a plugin spec object');
    const options = { ...spec };
    if ('wasm' in options && options.wasm !== undefined) {
      if ('command' in options) throw new PluginHostError('ERR_INVALID_OPTION', 'a plugin spec has either `wasm` or `command`, not both');
      return this.attach(options.name, (bridge) => connectComponent(options.name, options, bridge, this.logger));
    }
    if ('command' in options && options.command !== undefined) {
      return this.attach(options.name, (bridge) => connectProcess(options.name, options as ProcessPluginSpec, bridge, this.logger));
    }
    throw new PluginHostError('ERR_INVALID_OPTION', 'a plugin spec needs `wasm` (a component path or bytes) or `command` (a subprocess)');
  }
}

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
import { connectComponent } from './transports/component/connect.js';
import { connectWorker, type WorkerPluginOptions } from './transports/worker/connection.js';
import { connectProcess, type ProcessPluginOptions } from './transports/process/index.js';

export interface WasmPluginSpec extends WorkerPluginOptions {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
  /**
   * `inline` (default): in the host's thread, fastest calls, host imports must be synchronous.
   * `worker`: in a worker thread; calls that overrun `timeoutMs` are preempted (the plugin is
   * terminated), and host imports may be async.
   */
  readonly isolation?: 'inline' | 'worker';
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
      const isolation = (options as WasmPluginSpec).isolation ?? 'inline';
      if (isolation === 'worker') return this.attach(options.name, (bridge) => connectWorker(options.name, options, bridge, this.logger));
      if (isolation !== 'inline') throw new PluginHostError('ERR_INVALID_OPTION', `isolation must be 'inline' or 'worker', got ${JSON.stringify(isolation)}`);
      return this.attach(options.name, (bridge) => connectComponent(options.name, options, bridge, this.logger));
    }
    if ('command' in options && options.command !== undefined) {
      return this.attach(options.name, (bridge) => connectProcess(options.name, options as ProcessPluginSpec, bridge, this.logger));
    }
    throw new PluginHostError('ERR_INVALID_OPTION', 'a plugin spec needs `wasm` (a component path or bytes) or `command` (a subprocess)');
  }
}

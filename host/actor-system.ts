/**
 * `ActorSystem`: the actor-system core plus `load()`, which picks the transport from the
 * plugin spec (`wasm` → in-process component, `command` → subprocess).
 *
 * Example:
 *   await using system = new ActorSystem();
 *   const greeter = await system.load({ name: 'greeter', wasm: './greeter.wasm' });
 *   console.log(await greeter.exports('example:greeter/api').greet('world'));
 */
import { PluginHostError } from '../common/errors.js';
import { ActorSystemCore, type ActorSystemOptions as CoreOptions, type PluginNode } from './system/actor-system.js';
import { connectComponent } from './transports/component/connect.js';
import { ComponentCache } from './transports/component/persistent-cache.js';
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

export interface ActorSystemOptions extends CoreOptions {
  /**
   * A directory for the generated glue of wasm plugins, so a fresh process skips generating
   * it again (a large component's first load takes about half the time). Off by default.
   * Entries are JavaScript the host runs: use a directory only the host's user can write.
   */
  readonly cacheDir?: string;
}

export class ActorSystem extends ActorSystemCore {
  private readonly componentCache: ComponentCache | undefined;

  constructor(options: ActorSystemOptions = {}) {
    super(options);
    if (options.cacheDir !== undefined && typeof options.cacheDir !== 'string') {
      throw new PluginHostError('ERR_INVALID_OPTION', 'cacheDir must be a directory path');
    }
    this.componentCache = options.cacheDir ? new ComponentCache(options.cacheDir, this.logger) : undefined;
  }

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
      if (isolation === 'worker') return this.attach(options.name, (bridge) => connectWorker(options.name, options, bridge, this.logger, this.componentCache));
      if (isolation !== 'inline') throw new PluginHostError('ERR_INVALID_OPTION', `isolation must be 'inline' or 'worker', got ${JSON.stringify(isolation)}`);
      return this.attach(options.name, (bridge) => connectComponent(options.name, options, bridge, this.logger, this.componentCache));
    }
    if ('command' in options && options.command !== undefined) {
      return this.attach(options.name, (bridge) => connectProcess(options.name, options as ProcessPluginSpec, bridge, this.logger));
    }
    throw new PluginHostError('ERR_INVALID_OPTION', 'a plugin spec needs `wasm` (a component path or bytes) or `command` (a subprocess)');
  }
}

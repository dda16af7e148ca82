/**
 * `PluginNode`: a loaded plugin as the application sees it (what `load()` returns). It
 * follows the plugin across restarts: `incarnation` and `id` are the running (or last)
 * incarnation's, and root-actor proxies from `exports()` call whichever incarnation runs.
 * Every accessor works whatever state the plugin is in.
 */
import { PluginHostError } from '../../common/errors.js';
import type { ActorId } from './actor-id.js';
import type { NodeTermination } from './events.js';
import type { PluginEntry, PluginState } from './plugin-entry.js';
import type { Remote } from './proxy.js';

/** What the handle needs from the core. */
export interface NodeOwner {
  interfaceOf(entry: PluginEntry, interfaceName?: string): object;
  stopPlugin(entry: PluginEntry, options?: { timeoutMs?: number }): Promise<void>;
  kill(entry: PluginEntry, signal?: NodeJS.Signals): void;
}

/** The default proxy type: any function, any arguments (results typed `unknown`). */
export type UntypedInterface = Record<string, (...args: never[]) => unknown>;

export class PluginNode {
  readonly #owner: NodeOwner;
  readonly #entry: PluginEntry;

  /** @internal Made by the actor system. */
  constructor(owner: NodeOwner, entry: PluginEntry) {
    this.#owner = owner;
    this.#entry = entry;
  }

  /** Resolves once, when the plugin is down for good: stopped, not restarted, or given up on (`cause: 'failed'`). */
  get terminated(): Promise<NodeTermination> { return this.#entry.ended.promise; }
  get name(): string { return this.#entry.name; }
  /** The running incarnation (or the last one, once the plugin is down). */
  get incarnation(): number { return this.#entry.last!.incarnation; }
  /** The root actor's id of that incarnation (`name@incarnation/0`). */
  get id(): ActorId { return this.#entry.last!.registry.root.id; }
  get running(): boolean { return this.#entry.current?.state === 'running'; }
  /** `running`, `restarting` (between incarnations), `stopping`, `stopped`, or `failed` (the supervisor gave up). */
  get state(): Exclude<PluginState, 'starting'> { return this.#entry.state === 'starting' ? 'running' : this.#entry.state; }
  /** Bytes of linear memory a wasm plugin holds now (undefined where the host cannot read it, or between incarnations). */
  get memoryBytes(): number | undefined { return this.#entry.current?.connection.capabilities.memory?.bytes(); }
  /** The plugin's process id (process plugins only). */
  get pid(): number | undefined { return this.#entry.current?.connection.capabilities.process?.pid; }
  /** Export names of the interfaces the plugin exports (`''` stands for world-level functions). */
  get interfaces(): string[] { return [...(this.#entry.current ?? this.#entry.last!).description.interfaces.keys()]; }

  /** The root actor's proxy for one exported interface (by full name, name without version, or short name). */
  exports<T = UntypedInterface>(interfaceName?: string): Remote<T> {
    return this.#owner.interfaceOf(this.#entry, interfaceName) as Remote<T>;
  }

  /**
   * Ends the running incarnation abruptly, as a crash would (default SIGKILL for a process;
   * a wasm instance or worker is terminated): pending calls reject with ERR_PLUGIN_EXITED,
   * and the plugin's restart policy applies.
   */
  kill(signal?: NodeJS.Signals): void {
    if (!this.#entry.current) throw new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.name} is not running`, { plugin: this.name });
    this.#owner.kill(this.#entry, signal);
  }

  /** Stops the plugin for good: calls in flight may finish within the shutdown deadline, the rest reject with ERR_NODE_TERMINATED. */
  stop(options?: { timeoutMs?: number }): Promise<void> {
    return this.#owner.stopPlugin(this.#entry, options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

/**
 * `PluginNode`: a running node incarnation as the application sees it (what `load()`
 * returns). Every accessor works whatever state the node is in: a node that ended still
 * has its name, incarnation and id, and calls through its proxies reject with the reason.
 */
import { PluginHostError } from '../../common/errors.js';
import { ActorId } from './actor-id.js';
import type { NodeTermination } from './events.js';
import type { NodeRecord } from './node-record.js';
import type { Remote } from './proxy.js';

/** What the handle needs from the core. */
export interface NodeOwner {
  interfaceOf(record: NodeRecord, interfaceName?: string): object;
  stopNode(record: NodeRecord, options?: { timeoutMs?: number }): Promise<void>;
}

/** The default proxy type: any function, any arguments (results typed `unknown`). */
export type UntypedInterface = Record<string, (...args: never[]) => unknown>;

export class PluginNode {
  readonly #owner: NodeOwner;
  readonly #record: NodeRecord;

  /** @internal Made by the actor system. */
  constructor(owner: NodeOwner, record: NodeRecord) {
    this.#owner = owner;
    this.#record = record;
  }

  /** Resolves once, when this incarnation is gone. */
  get terminated(): Promise<NodeTermination> { return this.#record.terminated; }
  get name(): string { return this.#record.name; }
  get incarnation(): number { return this.#record.incarnation; }
  /** The root actor's id (`name@incarnation/0`). */
  get id(): ActorId { return this.#record.registry.root.id; }
  get running(): boolean { return this.#record.state === 'running'; }
  /** Bytes of linear memory a wasm plugin holds now (undefined where the host cannot read it). */
  get memoryBytes(): number | undefined { return this.#record.connection.capabilities.memory?.bytes(); }
  /** The plugin's process id (process plugins only). */
  get pid(): number | undefined { return this.#record.connection.capabilities.process?.pid; }
  /** Export names of the interfaces the plugin exports (`''` stands for world-level functions). */
  get interfaces(): string[] { return [...this.#record.description.interfaces.keys()]; }

  /** The root actor's proxy for one exported interface (by full name, name without version, or short name). */
  exports<T = UntypedInterface>(interfaceName?: string): Remote<T> {
    return this.#owner.interfaceOf(this.#record, interfaceName) as Remote<T>;
  }

  /**
   * Sends a signal to a process plugin (default SIGKILL), as a crash would: pending calls
   * reject with ERR_PLUGIN_EXITED.
   * @throws ERR_UNSUPPORTED for plugins that are not processes (use `stop()`)
   */
  kill(signal?: NodeJS.Signals): void {
    const process = this.#record.connection.capabilities.process;
    if (!process) throw new PluginHostError('ERR_UNSUPPORTED', `plugin ${this.name} is not a process; use stop()`, { plugin: this.name });
    process.kill(signal);
  }

  /** Stops the node: calls in flight may finish within the shutdown deadline, the rest reject with ERR_NODE_TERMINATED. */
  stop(options?: { timeoutMs?: number }): Promise<void> {
    return this.#owner.stopNode(this.#record, options);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

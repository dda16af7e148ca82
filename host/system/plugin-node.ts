/**
 * `PluginNode`: a loaded plugin as the application sees it (what `load()` returns). It
 * follows the plugin across restarts: `incarnation` and `id` are the running (or last)
 * incarnation's, and root-actor proxies from `exports()` call whichever incarnation runs.
 * For a pool (`instances > 1`) it stands for all members: `exports()` balances calls over
 * them, `stop()` and `kill()` reach them all, `members` gives each one's own handle, and
 * the per-incarnation accessors (`incarnation`, `id`, `pid`, …) are the first member's.
 * Every accessor works whatever state the plugin is in.
 */
import { PluginHostError } from '../../common/errors.js';
import type { World } from '../../common/wit/model.js';
import type { ActorId } from './actor-id.js';
import type { NodeTermination } from './events.js';
import type { PluginEntry, PluginState } from './plugin-entry.js';
import type { Pool } from './pool.js';
import type { Remote, UntypedInterface } from './proxy.js';

/** What the handle needs from the core. */
export interface NodeOwner {
  interfaceOf(entry: PluginEntry, interfaceName?: string): object;
  poolInterfaceOf(pool: Pool, interfaceName?: string): object;
  handleOf(entry: PluginEntry): PluginNode;
  stopPlugin(entry: PluginEntry, options?: { timeoutMs?: number }): Promise<void>;
  kill(entry: PluginEntry, signal?: NodeJS.Signals): void;
}

/** What `plugin-actors types` generates for a world, as far as the host needs it. */
export interface WorldTypes {
  /** Exported interfaces by name (with and without version), each its functions and resources. */
  readonly exports: object;
  /** What the application must provide for the plugin's imports. */
  readonly imports: object;
}

/** The world of a plugin loaded without types: any interface name, untyped proxies. */
export interface UntypedWorld {
  readonly exports: object;
  readonly imports: object;
}

/**
 * A loaded plugin. `W`, a world type from `plugin-actors types` (`system.load<Greeter>(…)`),
 * types `exports(name)` by interface name.
 */
export class PluginNode<W extends WorldTypes = UntypedWorld> {
  readonly #owner: NodeOwner;
  readonly #pool: Pool | undefined;
  readonly #single: PluginEntry | undefined;

  /** @internal Made by the actor system. */
  constructor(owner: NodeOwner, target: PluginEntry | Pool) {
    this.#owner = owner;
    if ('members' in target) this.#pool = target;
    else this.#single = target;
  }

  /** @internal The entry of a plugin that is not a pool. */
  entryOf(): PluginEntry {
    return this.#single!;
  }

  /** The first member of a pool, or the plugin itself. */
  get #entry(): PluginEntry {
    return this.#single ?? this.#pool!.members[0]!;
  }

  #entries(): readonly PluginEntry[] {
    return this.#single ? [this.#single] : this.#pool!.members;
  }

  /**
   * Resolves once, when the plugin is down for good: stopped, not restarted, or given up on
   * (`cause: 'failed'`); for a pool, when every member is (with the first member's ending).
   */
  get terminated(): Promise<NodeTermination> {
    return this.#single ? this.#single.ended.promise : Promise.all(this.#entries().map((e) => e.ended.promise)).then((all) => all[0]!);
  }
  get name(): string { return this.#pool?.name ?? this.#entry.name; }
  /** How many instances serve the plugin (1 unless it was loaded with `instances`). */
  get instances(): number { return this.#entries().length; }
  /** Each instance's own handle (the plugin itself, when it is not a pool). */
  get members(): readonly PluginNode<W>[] { return this.#pool ? this.#pool.members.map((m) => this.#owner.handleOf(m) as PluginNode<W>) : [this]; }
  /** The running incarnation (or the last one, once the plugin is down). */
  get incarnation(): number { return this.#entry.last!.incarnation; }
  /** The root actor's id of that incarnation (`name@incarnation/0`). */
  get id(): ActorId { return this.#entry.last!.registry.root.id; }
  /** True while the plugin (for a pool: at least one member) runs. */
  get running(): boolean { return this.#entries().some((e) => e.current?.state === 'running'); }
  /** `running`, `restarting` (between incarnations), `stopping`, `stopped`, or `failed` (the supervisor gave up). */
  get state(): Exclude<PluginState, 'starting'> { return this.#entry.state === 'starting' ? 'running' : this.#entry.state; }
  /** Bytes of linear memory a wasm plugin holds now (undefined where the host cannot read it, or between incarnations). */
  get memoryBytes(): number | undefined { return this.#entry.current?.connection.capabilities.memory?.bytes(); }
  /** The plugin's process id (process plugins only). */
  get pid(): number | undefined { return this.#entry.current?.connection.capabilities.process?.pid; }
  /** Export names of the interfaces the plugin exports (`''` stands for world-level functions). */
  get interfaces(): string[] { return [...(this.#entry.current ?? this.#entry.last!).description.interfaces.keys()]; }
  /** The WIT world the plugin implements (from its handshake, or its component's types). */
  get world(): World { return (this.#entry.current ?? this.#entry.last!).description.world; }

  /**
   * The root actor's proxy for one exported interface (by full name, name without version,
   * or short name). Typed by the node's world type, or by `T` (an interface's `Exports`
   * from `plugin-actors types`); without either, every call is accepted and returns `unknown`.
   */
  exports<K extends keyof W['exports'] & string>(interfaceName: K): Remote<W['exports'][K]>;
  exports<T = UntypedInterface>(interfaceName?: string): Remote<T>;
  exports(interfaceName?: string): unknown {
    return this.#pool ? this.#owner.poolInterfaceOf(this.#pool, interfaceName) : this.#owner.interfaceOf(this.#entry, interfaceName);
  }

  /**
   * Ends the running incarnation abruptly, as a crash would (default SIGKILL for a process;
   * a wasm instance or worker is terminated): pending calls reject with ERR_PLUGIN_EXITED,
   * and the plugin's restart policy applies.
   */
  kill(signal?: NodeJS.Signals): void {
    if (!this.running) throw new PluginHostError('ERR_NODE_TERMINATED', `plugin ${this.name} is not running`, { plugin: this.name });
    for (const e of this.#entries()) this.#owner.kill(e, signal);
  }

  /** Stops the plugin for good: calls in flight may finish within the shutdown deadline, the rest reject with ERR_NODE_TERMINATED. */
  stop(options?: { timeoutMs?: number }): Promise<void> {
    return Promise.all(this.#entries().map((e) => this.#owner.stopPlugin(e, options))).then(() => {});
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

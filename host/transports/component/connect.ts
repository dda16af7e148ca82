/**
 * The inline wasm transport: a component instantiated in the host's own thread. Calls are
 * synchronous underneath (the `sync` capability) and settle as Promises; any throw out of
 * the guest poisons the instance and terminates the node (pending and later calls reject
 * with its reason).
 *
 * An interruptible component (fuel checks, `component/fuel.ts`) is stopped when a call's
 * budget runs out: the call throws ERR_TIMEOUT or ERR_ABORTED and the node ends with
 * ERR_NODE_INTERRUPTED, as a worker's does — also when the guest caught the interruption
 * and returned, since its state is then whatever the interrupted code left.
 */
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import type { CoreCallBinding } from '../../../common/host-objects.js';
import type { WitFunction } from '../../../common/wit/model.js';
import { WasiExit } from '../../capabilities/wasi/cli/exit.js';
import type { GuestBridge } from '../../component/canon/handle-ops.js';
import { componentWorld } from '../../component/component-world.js';
import { hostImportResolver, importsResources } from '../../component/host-imports.js';
import { coreEntry } from '../../component/canon/core-entry.js';
import { instantiateComponent } from '../../component/instantiate.js';
import { currentOverrun, Interruption, refuelFor, withBudget } from '../../component/interrupt.js';
import { isGuestResource, type GuestResource, type RuntimeResource } from '../../component/runtime/resources.js';
import type { CoreBinding, CoreCall, LaunchContext, NodeConnection, SyncCall } from '../../system/node-connection.js';
import type { ComponentCache } from './persistent-cache.js';
import type { IntegrityPolicy } from '../../integrity/index.js';
import { prepareComponent, type WasmLaunchOptions } from './prepare.js';

export async function launchInline(options: WasmLaunchOptions, context: LaunchContext, componentCache?: ComponentCache, integrity?: IntegrityPolicy): Promise<NodeConnection> {
  const { name: plugin, bridge, logger } = context;
  const { compiled: component, wasi, imports } = await prepareComponent(plugin, options, logger, componentCache, integrity);

  let state: 'running' | 'down' = 'running';
  let reason: PluginHostError | undefined;
  let settle!: (r: PluginHostError | undefined) => void;
  const terminated = new Promise<PluginHostError | undefined>((r) => { settle = r; });
  // Links calling this node's core exports directly, to be told when they must stop.
  const unusable = new Set<() => void>();
  const notifyUnusable = () => {
    const listeners = [...unusable];
    unusable.clear();
    for (const l of listeners) l();
  };
  const terminate = (why: PluginHostError | undefined) => {
    if (state === 'down') return;
    state = 'down';
    reason = why;
    notifyUnusable();
    wasi.close();
    settle(why);
  };

  // The core knows the component's resource types by the shared world's objects.
  let canonical = (rt: RuntimeResource): RuntimeResource => rt;
  const guestBridge: GuestBridge = {
    adopt: (rt, resource) => {
      const type = canonical(rt);
      return bridge.isActorType(type) ? bridge.adopt(type, resource) : resource;
    },
    resolve(rt, value, own) {
      const type = canonical(rt);
      if (!bridge.isActorType(type)) return undefined;
      const local = bridge.resolve(type, value, own);
      return isGuestResource(local) ? local : undefined;
    },
  };

  // The first interruption of a call in this instance (its ERR_TIMEOUT or ERR_ABORTED).
  let interrupted: PluginHostError | undefined;
  const interruptible = component.interruptible === true;
  const directCalls = !importsResources(component);
  /** Ends the node after `error` interrupted `what`; returns the error the call throws. */
  // Links this instance calls wasm to wasm: a failure may have been their target's.
  const coreCalls: CoreCallBinding[] = [];
  const attribute = (cause: unknown): unknown => {
    for (const b of coreCalls) {
      const error = b.attribute!(cause);
      if (error !== undefined) return error;
    }
    return undefined;
  };
  const endInterrupted = (what: string, error: PluginHostError): PluginHostError => {
    // The target of a direct link, if the interruption happened there, ends with it.
    attribute(error);
    const why = error.code === 'ERR_TIMEOUT' ? 'overran its deadline' : 'was aborted';
    terminate(new PluginHostError('ERR_NODE_INTERRUPTED', `plugin ${plugin} was interrupted: ${what} ${why}`, { plugin, cause: error }));
    return error;
  };

  let instance;
  // Start functions run inside instantiation: an interruptible guest looping there is
  // stopped by this budget, as a call past its deadline is.
  const startBudget = { deadline: options.startTimeoutMs === undefined ? undefined : performance.now() + options.startTimeoutMs };
  let startOverrun: PluginHostError | undefined;
  try {
    instance = withBudget(startBudget, () => instantiateComponent(component, hostImportResolver(imports, plugin, { coreCalls: true, onCoreCall: (b) => { if (b.attribute) coreCalls.push(b); } }), {
      bridge: guestBridge,
      ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
      ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}),
      ...(interruptible ? { refuel: refuelFor((error) => { interrupted ??= error; notifyUnusable(); }) } : {}),
      attribute,
      // An interrupted call ends the node itself, naming the call.
      onPoison: (error) => { if (!interrupted && !currentOverrun()) terminate(error); },
      mapFailure: (cause) => {
        if (cause instanceof Interruption) return cause.error;
        return cause instanceof WasiExit
          ? new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${plugin} called exit(${cause.code})`, { plugin, exitCode: cause.code, cause })
          : undefined;
      },
    }), (error) => { startOverrun = error; });
  } catch (e) {
    wasi.close();
    if (startOverrun) throw new PluginHostError('ERR_TIMEOUT', `plugin ${plugin} did not finish starting within startTimeoutMs (${options.startTimeoutMs} ms): its start code was interrupted`, { plugin, cause: startOverrun });
    if (isPluginHostError(e)) throw e;
    throw new PluginHostError('ERR_LOAD_FAILED', `plugin ${plugin} could not be instantiated: ${(e as Error).message}`, { cause: e, plugin });
  }
  await componentCache?.save(component, plugin);
  const described = componentWorld(instance, component);
  const { world, functions } = described;
  canonical = described.canonical;

  const refused = () => new PluginHostError(reason?.code ?? 'ERR_NODE_TERMINATED', `plugin ${plugin} is not running${reason ? `: ${reason.message}` : ''}`, { plugin, ...(reason ? { cause: reason } : {}) });

  /**
   * An interruptible call: under its budget when it has one (`withBudget`), and checked
   * afterwards for an interruption the guest swallowed or an enclosing call's budget caused.
   */
  const budgeted = (fn: WitFunction, run: (self: unknown, a: readonly unknown[]) => unknown): SyncCall => {
    const end = (error: PluginHostError) => endInterrupted(fn.name, error);
    return (self, a, budget) => {
      if (state !== 'running') throw refused();
      let result: unknown;
      try {
        result = budget !== undefined && (budget.deadline !== undefined || budget.signal !== undefined)
          ? withBudget(budget, () => run(self, a), end)
          : run(self, a);
      } catch (e) {
        const why = interrupted ?? currentOverrun();
        throw why ? end(why) : e;
      }
      if (interrupted) throw end(interrupted);
      return result;
    };
  };

  const bind = (fn: WitFunction): SyncCall | undefined => {
    const f = functions.get(fn);
    if (!f || f.call.kind !== 'function') return undefined;
    const call = f.call.fn;
    if (interruptible) {
      if (fn.kind === 'method') return budgeted(fn, fn.params.length === 2 ? (self, a) => call(self, a[0]) : (self, a) => call(self, ...a));
      switch (fn.params.length) {
        case 0: return budgeted(fn, () => call());
        case 1: return budgeted(fn, (_self, a) => call(a[0]));
        default: return budgeted(fn, (_self, a) => call(...a));
      }
    }
    // One flat closure per shape: this sits on every inline call.
    const running = () => { if (state !== 'running') throw refused(); };
    if (fn.kind === 'method') {
      return fn.params.length === 2
        ? (self, a) => { running(); return call(self, a[0]); }
        : (self, a) => { running(); return call(self, ...a); };
    }
    switch (fn.params.length) {
      case 0: return () => { running(); return call(); };
      case 1: return (_self, a) => { running(); return call(a[0]); };
      default: return (_self, a) => { running(); return call(...a); };
    }
  };

  /**
   * The core call of a function whose values pass through (a link from another inline
   * instance, `component/canon/core-entry.ts`), checked as `bind`'s calls are. It runs in
   * the importer's call, under that call's budget, so it opens none of its own. A component
   * that imports no resource types also offers its core export itself (`direct`): called
   * so, it is not marked as entered, but the only code that can run meanwhile is its own
   * imports, which mark it (`compileLower`), so it still cannot be entered again.
   */
  const bindCore = (fn: WitFunction): CoreBinding | undefined => {
    const f = functions.get(fn);
    const entry = f && coreEntry(fn.name, f.sig, f.source);
    if (!f || !entry) return undefined;
    const settle = (e: unknown): never => {
      const why = interrupted ?? currentOverrun();
      throw why && interruptible ? endInterrupted(fn.name, why) : e;
    };
    const after = (result: unknown): unknown => {
      if (interrupted) throw endInterrupted(fn.name, interrupted);
      return result;
    };
    let call: CoreCall;
    switch (fn.params.length) {
      case 1: call = (a) => { if (state !== 'running') throw refused(); let r; try { r = entry(a); } catch (e) { return settle(e); } return after(r); }; break;
      case 2: call = (a, b) => { if (state !== 'running') throw refused(); let r; try { r = entry(a, b); } catch (e) { return settle(e); } return after(r); }; break;
      default: call = (...c) => { if (state !== 'running') throw refused(); let r; try { r = entry(...c); } catch (e) { return settle(e); } return after(r); };
    }
    if (!directCalls) return { call };
    const source = f.source!;
    return {
      call,
      direct: {
        core: source.core,
        failed(cause) {
          const why = interrupted ?? (interruptible ? currentOverrun() : undefined);
          if (why) return endInterrupted(fn.name, why);
          return source.guard.fail(fn.name, cause);
        },
        onUnusable(listener) {
          if (state !== 'running' || interrupted || source.guard.state.poisoned) listener();
          else unusable.add(listener);
        },
      },
    };
  };

  const memories = instance.memories ?? [];
  return {
    world,
    terminated,
    capabilities: {
      sync: { bind, bindCore },
      memory: { bytes: () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0) },
    },
    call(request) {
      try {
        const direct = bind(request.fn);
        if (!direct) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${plugin} has no function ${request.fn.name}`, { plugin });
        return Promise.resolve(direct(request.self, request.args, request));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    drop(local) {
      if (state !== 'running') return Promise.resolve();
      try {
        (local as GuestResource)[Symbol.dispose]();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(interrupted ? endInterrupted('a resource destructor', interrupted) : e);
      }
    },
    close() {
      terminate(undefined);
      return Promise.resolve();
    },
    kill(signal = 'SIGKILL') {
      terminate(new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${plugin} was killed by the host`, { plugin, signal, exitCode: null }));
    },
  };
}

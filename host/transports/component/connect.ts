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
import type { WitFunction } from '../../../common/wit/model.js';
import { WasiExit } from '../../capabilities/wasi/cli/exit.js';
import type { GuestBridge } from '../../component/canon/handle-ops.js';
import { componentWorld } from '../../component/component-world.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent } from '../../component/instantiate.js';
import { currentOverrun, Interruption, refuelFor, withBudget } from '../../component/interrupt.js';
import { isGuestResource, type GuestResource, type RuntimeResource } from '../../component/runtime/resources.js';
import type { LaunchContext, NodeConnection, SyncCall } from '../../system/node-connection.js';
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
  const terminate = (why: PluginHostError | undefined) => {
    if (state === 'down') return;
    state = 'down';
    reason = why;
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
  /** Ends the node after `error` interrupted `what`; returns the error the call throws. */
  const endInterrupted = (what: string, error: PluginHostError): PluginHostError => {
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
    instance = withBudget(startBudget, () => instantiateComponent(component, hostImportResolver(imports, plugin), {
      bridge: guestBridge,
      ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
      ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}),
      ...(interruptible ? { refuel: refuelFor((error) => { interrupted ??= error; }) } : {}),
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

  const memories = instance.memories ?? [];
  return {
    world,
    terminated,
    capabilities: {
      sync: { bind },
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

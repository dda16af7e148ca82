/**
 * The inline wasm transport: a component instantiated in the host's own thread. Calls are
 * synchronous underneath and settle as Promises; any throw out of the guest poisons the
 * instance and terminates the node (pending and later calls reject with its reason).
 */
import { readFile } from 'node:fs/promises';
import { PluginHostError, isPluginHostError } from '../../../common/errors.js';
import type { GuestBridge } from '../../component/canon/handle-ops.js';
import { describeExports, type ExportedInterface } from '../../component/exports.js';
import type { HostImports } from '../../../common/host-objects.js';
import { hostImportResolver, missingImports } from '../../component/host-imports.js';
import { instantiateComponent, type CompiledComponent } from '../../component/instantiate.js';
import { compileCached } from './compiled-cache.js';
import type { ComponentCache } from './persistent-cache.js';
import { isGuestResource, type GuestResource, type RuntimeResource } from '../../component/runtime/resources.js';
import { parseFunctionName } from '../../../common/wit/names.js';
import { LOG_INTERFACE, logImport } from '../../capabilities/host-log.js';
import type {
  FunctionDescription, InterfaceDescription, Logger, NodeConnection, NodeDescription, ResourceBridge, ResourceDescription,
} from '../../system/node-connection.js';
import { grantFor, validateGrants, WasiExit, wasiImports, type WasiGrants } from '../../capabilities/wasi/grants.js';

export interface ComponentPluginOptions {
  /** A path to a `.wasm` component, or its bytes. */
  readonly wasm: string | Uint8Array;
  /** WASI capabilities; nothing is granted by default. */
  readonly grants?: WasiGrants;
  /** Host implementations of other interfaces the plugin imports, keyed by interface name (jco style). */
  readonly imports?: HostImports;
}

/** Reads and compiles a component (the step caches can shorten). */
export async function loadCompiled(wasm: string | Uint8Array, plugin: string, cache?: ComponentCache): Promise<CompiledComponent> {
  let bytes: Uint8Array;
  if (typeof wasm === 'string') {
    try {
      bytes = await readFile(wasm);
    } catch (cause) {
      throw new PluginHostError('ERR_LOAD_FAILED', `cannot read ${wasm}: ${(cause as Error).message}`, { cause, plugin });
    }
  } else if (wasm instanceof Uint8Array) {
    bytes = wasm;
  } else {
    throw new PluginHostError('ERR_INVALID_OPTION', 'wasm must be a path or a Uint8Array');
  }
  try {
    return await (cache ? cache.compile(bytes, plugin) : compileCached(bytes));
  } catch (e) {
    if (isPluginHostError(e)) {
      Object.assign(e, { plugin });
      throw e;
    }
    throw new PluginHostError('ERR_COMPONENT_INVALID', `${plugin}: ${(e as Error).message}`, { cause: e, plugin });
  }
}

/** What both wasm transports do first: check grants, compile, and bind every import the component has. */
export async function prepareComponent(plugin: string, options: ComponentPluginOptions, logger: Logger, componentCache?: ComponentCache) {
  const grants = validateGrants(options.grants);
  const compiled = await loadCompiled(options.wasm, plugin, componentCache);
  const wasi = wasiImports(grants, plugin, logger);
  const imports: HostImports = { [LOG_INTERFACE]: logImport(logger, plugin), ...wasi.imports, ...options.imports };
  const missing = missingImports(compiled, imports);
  if (missing.length > 0) {
    const hints = missing.map((m) => (grantFor(m) ? `${m} (grant: ${grantFor(m)})` : m));
    throw new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${hints.join(', ')}, which the host does not provide`, { plugin });
  }
  return { grants, compiled, wasi, imports };
}

export async function connectComponent(
  plugin: string, options: ComponentPluginOptions, bridge: ResourceBridge, logger: Logger, componentCache?: ComponentCache,
): Promise<NodeConnection> {
  const { compiled: component, wasi, imports } = await prepareComponent(plugin, options, logger, componentCache);

  let state: 'running' | 'down' = 'running';
  let reason: PluginHostError | undefined;
  let settle!: (r: PluginHostError | undefined) => void;
  const terminated = new Promise<PluginHostError | undefined>((r) => { settle = r; });
  const terminate = (why: PluginHostError | undefined) => {
    if (state === 'down') return;
    state = 'down';
    reason = why;
    wasi.flush();
    settle(why);
  };

  const resourcesByType = new Map<RuntimeResource, ResourceDescription>();
  const guestBridge: GuestBridge = {
    adopt(rt, resource) {
      const description = resourcesByType.get(rt);
      return description ? bridge.adopt(description, resource) : resource;
    },
    resolve(rt, value, own) {
      const description = resourcesByType.get(rt);
      if (!description) return undefined;
      const local = bridge.resolve(description, value, own);
      return isGuestResource(local) ? local : undefined;
    },
  };

  let instance;
  try {
    instance = instantiateComponent(component, hostImportResolver(imports, plugin), {
      bridge: guestBridge,
      onPoison: (error) => terminate(error),
      mapFailure: (cause) => (cause instanceof WasiExit
        ? new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${plugin} called exit(${cause.code})`, { plugin, exitCode: cause.code, cause })
        : undefined),
    });
  } catch (e) {
    wasi.flush();
    if (isPluginHostError(e)) throw e;
    throw new PluginHostError('ERR_LOAD_FAILED', `plugin ${plugin} could not be instantiated: ${(e as Error).message}`, { cause: e, plugin });
  }
  await componentCache?.save(component, plugin);
  const exported = describeExports(instance);
  const description = describeComponent(exported, resourcesByType);
  const functions = new Map<FunctionDescription, (...args: unknown[]) => unknown>();
  for (const iface of exported.values()) {
    const d = description.interfaces.get(iface.name)!;
    for (const [name, f] of iface.functions) {
      if (f.call.kind === 'function') functions.set(d.functions.get(name)!, f.call.fn);
    }
  }

  const bindSync = (fd: FunctionDescription): ((self: unknown, args: readonly unknown[]) => unknown) | undefined => {
    const fn = functions.get(fd);
    if (!fn) return undefined;
    // One flat closure per shape: this sits on every inline call.
    const running = () => { if (state !== 'running') throw refused(); };
    if (fd.kind === 'method') {
      return fd.params.length === 2
        ? (self, a) => { running(); return fn(self, a[0]); }
        : (self, a) => { running(); return fn(self, ...a); };
    }
    switch (fd.params.length) {
      case 0: return () => { running(); return fn(); };
      case 1: return (_self, a) => { running(); return fn(a[0]); };
      default: return (_self, a) => { running(); return fn(...a); };
    }
  };

  const refused = () => new PluginHostError(reason?.code ?? 'ERR_NODE_TERMINATED', `plugin ${plugin} is not running${reason ? `: ${reason.message}` : ''}`, { plugin, ...(reason ? { cause: reason } : {}) });

  const memories = instance.memories ?? [];
  return {
    description,
    terminated,
    memoryBytes: () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0),
    bindSync,
    call(request) {
      try {
        const direct = bindSync(request.fn);
        if (!direct) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `plugin ${plugin} has no function ${request.fn.name}`, { plugin });
        return Promise.resolve(direct(request.self, request.args));
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
        return Promise.reject(e);
      }
    },
    close() {
      terminate(undefined);
      return Promise.resolve();
    },
  };
}

/** The node description of a component's exports; fills `resourcesByType`. */
export function describeComponent(exported: Map<string, ExportedInterface>, resourcesByType: Map<RuntimeResource, ResourceDescription>): NodeDescription {
  const interfaces = new Map<string, InterfaceDescription>();
  for (const iface of exported.values()) {
    const functions = new Map<string, FunctionDescription>();
    const perResource = new Map<string, { ctor?: FunctionDescription; methods: Map<string, FunctionDescription>; statics: Map<string, FunctionDescription> }>();
    for (const name of iface.resources.keys()) perResource.set(name, { methods: new Map(), statics: new Map() });
    for (const [name, f] of iface.functions) {
      const parsed = parseFunctionName(name);
      const fn: FunctionDescription = {
        name, kind: parsed.kind, shortName: parsed.name, params: f.sig.params,
        ...(parsed.resource ? { resource: parsed.resource } : {}),
        ...(f.sig.result ? { result: f.sig.result } : {}),
      };
      functions.set(name, fn);
      if (parsed.resource) {
        const r = perResource.get(parsed.resource);
        if (!r) continue;
        if (parsed.kind === 'constructor') r.ctor = fn;
        else if (parsed.kind === 'method') r.methods.set(parsed.name, fn);
        else r.statics.set(parsed.name, fn);
      }
    }
    const resources = new Map<string, ResourceDescription>();
    for (const [name, rt] of iface.resources) {
      const r = perResource.get(name)!;
      const d: ResourceDescription = { name, interfaceName: iface.name, methods: r.methods, statics: r.statics, key: rt, ...(r.ctor ? { ctor: r.ctor } : {}) };
      resources.set(name, d);
      resourcesByType.set(rt, d);
    }
    interfaces.set(iface.name, { name: iface.name, functions, resources });
  }
  return { interfaces };
}

/**
 * The worker side of the worker transport: instantiates the component, then serves the
 * host's calls through the one peer over the ring channel, until SHUTDOWN (the thread
 * blocks between calls). Host imports are stubs that send a CALL and block on the channel
 * until the answer arrives; host resources are stub objects (see `host-stubs.ts`). WASI
 * from the grants and the log interface are served here directly.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ResourceHooks } from '../../../common/codec/value-codec.js';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { LocalResources } from '../../../common/protocol/local-resources.js';
import { Peer, type IncomingFunction, type OutgoingFunction } from '../../../common/protocol/peer/peer.js';
import { pingResponder } from '../../../common/protocol/features/ping.js';
import type { ResourceType } from '../../../common/wit/model.js';
import { LOG_INTERFACE, type LogLevel } from '../../capabilities/host-log.js';
import { WasiExit } from '../../capabilities/wasi/cli/exit.js';
import type { WasiGrants } from '../../capabilities/wasi/grant-rules.js';
import type { WasiHost } from '../../capabilities/wasi/grants.js';
import { wasiFor } from '../../capabilities/wasi/lazy.js';
import type { Template } from '../../component/canon/templates.js';
import { componentWorld } from '../../component/component-world.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent, type CompiledComponent, type FuncValue } from '../../component/instantiate.js';
import type { GuestResource, RuntimeResource } from '../../component/runtime/resources.js';
import type { Logger } from '../../system/node-connection.js';
import { hostStubs, stubHandle, stubOf } from './host-stubs.js';
import { compiledFromPrepared, type PreparedComponent } from './prepared-component.js';
import { workerRingChannel } from './ring-channel.js';
import { collectImports, importFunction } from './tables.js';

export interface WorkerInit {
  readonly plugin: string;
  /** The host's parsed, validated and compiled component: the worker only instantiates it. */
  readonly component: PreparedComponent;
  /** Bytes each linear memory may grow to. */
  readonly memoryBytes?: number;
  /** Bytes one lifted string or list may span. */
  readonly maxValueBytes?: number;
  /** One Int32: the 64 KiB pages of linear memory the instance holds, updated after every call. */
  readonly memoryGauge: SharedArrayBuffer;
  readonly grants: WasiGrants;
  /** False when the application gave its own WASI: the host thread serves all of it. */
  readonly wasiInWorker: boolean;
  /** Wire names of the imports the host thread serves, by index. */
  readonly hostImports: readonly string[];
  readonly buffer: SharedArrayBuffer;
  readonly port: MessagePort;
  /** Glue templates the host already has for this component (from its persistent cache). */
  readonly templates: Record<string, Template>;
}

/** Messages to the host thread's event loop: startup, and the guest's log records (they need not wait for the channel). */
export type WorkerEvent =
  /** `templates`: glue the worker generated that `init.templates` lacked (for the persistent cache). */
  | { kind: 'ready'; templates?: Record<string, Template> }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'log'; level: LogLevel; message: string; fields?: Record<string, unknown> };

const init = workerData as WorkerInit;
const post = (event: WorkerEvent) => parentPort!.postMessage(event);
const channel = workerRingChannel(init.buffer, init.port);
let wasi: WasiHost | undefined;
let busy = false;
let stopping = false;

/** Flushes the guest's output, closes its files, and ends the thread. */
function exit(): never {
  wasi?.close();
  channel.close();
  process.exit(0);
}

const peer = new Peer({
  role: 'plugin', channel, remoteName: 'host', sendStacks: false,
  handlers: {
    handshake: () => {},
    channelClosed: () => exit(),
    // Finish the call in flight first: the main loop exits once the worker is idle.
    shutdown: () => { stopping = true; if (!busy) exit(); },
  },
});
peer.start();

const logAt = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => post({ kind: 'log', level, message, ...(fields ? { fields } : {}) });
const logger: Logger = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') };

/** The guest's resources the host holds. */
const resources = new LocalResources();

const hooks: ResourceHooks = {
  encode: (resource, value, own, path) => {
    if (isGuestDefined(resource)) return own ? resources.give(value, path) : resources.lend(value, path);
    return stubHandle(value, resource, path);
  },
  decode: (resource, handle, own) => {
    if (isGuestDefined(resource)) return own ? resources.take(handle) : resources.get(handle);
    return stubOf(resource as RuntimeResource, handle, own);
  },
};

function isGuestDefined(resource: ResourceType): boolean {
  return (resource as RuntimeResource).impl !== undefined;
}

/** World-level resource types the component imports: the host implements them. */
function rootResourceTypes(compiled: CompiledComponent): string[] {
  return compiled.imports.flatMap((i) => (i.type.sort === 'type' && i.type.bound.kind === 'sub-resource' ? [i.name] : []));
}

async function start(): Promise<void> {
  const compiled = compiledFromPrepared(init.component, init.templates);
  if (init.wasiInWorker) wasi = await wasiFor(init.grants, init.plugin, logger, compiled.imports.map((i) => i.name));
  const importSigs = new Map<number, FuncValue>();
  const imports = {
    [LOG_INTERFACE]: { log: (level: LogLevel, message: string) => post({ kind: 'log', level, message }) },
    ...wasi?.imports,
    ...hostStubs(init.hostImports, peer, channel, importSigs, rootResourceTypes(compiled)),
  };
  const resolve = hostImportResolver(imports, init.plugin);
  const instance = instantiateComponent(compiled, (name, type, space) => {
    const value = resolve(name, type, space);
    collectImports(name, value, (wireName, fn) => {
      const index = init.hostImports.indexOf(wireName);
      if (index >= 0) importSigs.set(index, fn);
    });
    return value;
  }, {
    ...(init.memoryBytes !== undefined ? { memoryBytes: init.memoryBytes } : {}),
    ...(init.maxValueBytes !== undefined ? { maxValueBytes: init.maxValueBytes } : {}),
    mapFailure: (cause) => (cause instanceof WasiExit
      ? new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${init.plugin} called exit(${cause.code})`, { exitCode: cause.code })
      : undefined),
  });
  const { world, functions } = componentWorld(instance);
  // The host thread reads the memory size from here (it cannot reach the worker's memories).
  const gauge = new Int32Array(init.memoryGauge);
  const memories = instance.memories ?? [];
  const measure = () => { Atomics.store(gauge, 0, memories.reduce((pages, m) => pages + m.buffer.byteLength / 65_536, 0)); };
  measure();
  const incoming: IncomingFunction[] = functionTable(world, 'export').map((e) => {
    const call = (functions.get(e.func)!.call as { fn: (...a: unknown[]) => unknown }).fn;
    const method = e.func.kind === 'method';
    return {
      name: e.wireName, func: e.func, returnsWitValue: true,
      serve: (self, args) => {
        if (busy) throw new PluginHostError('ERR_BUSY', 'the plugin is running another call');
        busy = true;
        try {
          return method ? call(self, ...args) : call(...args);
        } catch (e) {
          // The instance is poisoned: whatever the guest printed last must still reach the host.
          wasi?.flush();
          throw isPluginHostError(e) ? e : new PluginHostError('ERR_TRAPPED', (e as Error)?.message ?? String(e));
        } finally {
          busy = false;
          measure();
        }
      },
    };
  });
  const outgoing: OutgoingFunction[] = init.hostImports.map((wireName, index) => ({ name: wireName, func: importFunction(wireName, importSigs.get(index)!) }));
  peer.open({
    outgoing, incoming, hooks, features: [pingResponder(() => peer)],
    drop: (handle) => { (resources.take(handle) as GuestResource)[Symbol.dispose](); },
  });
  const generated = [...compiled.templates!].filter(([key]) => !(key in init.templates));
  post(generated.length > 0 ? { kind: 'ready', templates: Object.fromEntries(generated) } : { kind: 'ready' });
  for (;;) {
    if (!channel.receive()) exit();
    if (stopping && !busy) exit();
  }
}

try {
  await start();
} catch (e) {
  post({ kind: 'failed', code: isPluginHostError(e) ? e.code : 'ERR_LOAD_FAILED', message: (e as Error).message });
}

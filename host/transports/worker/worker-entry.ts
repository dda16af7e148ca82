/**
 * The worker side of the worker transport: instantiates the component, then serves the
 * host's calls through the one peer over the ring channel, forever (the thread blocks
 * between calls). Host imports are stubs that send a CALL and block on the channel until
 * the answer arrives. WASI grants and the log interface are served here directly.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ResourceHooks } from '../../../common/codec/value-codec.js';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { LocalResources } from '../../../common/protocol/local-resources.js';
import { Peer, type IncomingFunction, type OutgoingFunction } from '../../../common/protocol/peer/peer.js';
import { unalias } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import { LOG_INTERFACE, type LogLevel } from '../../capabilities/host-log.js';
import { WasiExit, wasiImports, type WasiGrants } from '../../capabilities/wasi/grants.js';
import { parseComponent } from '../../component/binary/parse.js';
import type { Definition } from '../../component/binary/ast.js';
import type { Template } from '../../component/canon/templates.js';
import { componentWorld } from '../../component/component-world.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent, type CompiledComponent, type FuncValue } from '../../component/instantiate.js';
import type { GuestResource } from '../../component/runtime/resources.js';
import type { Logger } from '../../system/node-connection.js';
import { workerRingChannel } from './ring-channel.js';
import { collectImports, importFunction } from './tables.js';

export interface WorkerInit {
  readonly plugin: string;
  readonly bytes: Uint8Array;
  /** Compiled core modules, in the order their definitions appear (depth first). */
  readonly modules: WebAssembly.Module[];
  readonly grants: WasiGrants;
  /** Wire names of the imports the host thread serves, by index. */
  readonly hostImports: readonly string[];
  readonly buffer: SharedArrayBuffer;
  readonly port: MessagePort;
  /** Glue templates the host already has for this component (from its persistent cache). */
  readonly templates: Record<string, Template>;
}

/** Messages to the host thread's event loop (startup only; everything else is on the channel). */
export type WorkerEvent =
  /** `templates`: glue the worker generated that `init.templates` lacked (for the persistent cache). */
  | { kind: 'ready'; templates?: Record<string, Template> }
  | { kind: 'failed'; code: string; message: string };

const init = workerData as WorkerInit;
const post = (event: WorkerEvent) => parentPort!.postMessage(event);
const channel = workerRingChannel(init.buffer, init.port);
const peer = new Peer({
  role: 'plugin', channel, remoteName: 'host', sendStacks: false,
  handlers: { handshake: () => {}, channelClosed: () => process.exit(0) },
});
peer.start();

const logger: Logger = {
  debug: (message) => peer.log('debug', message),
  info: (message) => peer.log('info', message),
  warn: (message) => peer.log('warn', message),
  error: (message) => peer.log('error', message),
};

/** The guest's resources the host holds. */
const resources = new LocalResources();

const hooks: ResourceHooks = {
  encode: (_resource, value, own, path) => (own ? resources.give(value, path) : resources.lend(value, path)),
  decode: (_resource, handle, own) => (own ? resources.take(handle) : resources.get(handle)),
};

function compiledFrom(bytes: Uint8Array, modules: WebAssembly.Module[]): CompiledComponent {
  const definitions = parseComponent(bytes);
  const map = new Map<Definition, WebAssembly.Module>();
  let i = 0;
  const visit = (defs: readonly Definition[]) => {
    for (const d of defs) {
      if (d.kind === 'core module') map.set(d, modules[i++]!);
      else if (d.kind === 'component') visit(d.body);
    }
  };
  visit(definitions);
  return { definitions, modules: map, imports: definitions.flatMap((d) => (d.kind === 'import' ? [{ name: d.name, type: d.type }] : [])), templates: new Map(Object.entries(init.templates)) };
}

/** A host import as the guest calls it: a CALL to the host, then block until its answer. */
function blockingCall(index: number, returnsResult: boolean) {
  return (...args: unknown[]): unknown => {
    let done = false;
    let value: unknown;
    let error: unknown;
    peer.request(index, undefined, args, (v) => { done = true; value = v; }, (e) => { done = true; error = e; });
    while (!done) if (!channel.receive()) throw new PluginHostError('ERR_PLUGIN_EXITED', 'the host closed the channel');
    if (error !== undefined) throw error;
    if (!returnsResult) return value;
    const r = value as { tag: 'ok' | 'err'; val: unknown };
    if (r.tag === 'ok') return r.val;
    throw Object.assign(new Error('err'), { payload: r.val });
  };
}

/** Import stubs for the host-served imports, in the host's numbering. */
function hostStubs(): Record<string, unknown> {
  const imports: Record<string, Record<string, unknown> | ((...a: unknown[]) => unknown)> = {};
  init.hostImports.forEach((wireName, index) => {
    const stub = (...args: unknown[]) => (stubs[index] ??= blockingCall(index, returnsResultOf(index)))(...args);
    const hash = wireName.lastIndexOf('#');
    if (hash < 0) imports[wireName] = stub;
    else ((imports[wireName.slice(0, hash)] ??= {}) as Record<string, unknown>)[camelCase(wireName.slice(hash + 1))] = stub;
  });
  return imports;
}

const stubs: ((...args: unknown[]) => unknown)[] = [];
const importSigs = new Map<number, FuncValue>();
const returnsResultOf = (index: number) => {
  const result = importSigs.get(index)?.sig.result;
  return result !== undefined && unalias(result).kind === 'result';
};

function start(): void {
  const compiled = compiledFrom(init.bytes, init.modules);
  const wasi = wasiImports(init.grants, init.plugin, logger);
  const imports = {
    [LOG_INTERFACE]: { log: (level: LogLevel, message: string) => peer.log(level, message) },
    ...wasi.imports,
    ...hostStubs(),
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
    mapFailure: (cause) => (cause instanceof WasiExit
      ? new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${init.plugin} called exit(${cause.code})`, { exitCode: cause.code })
      : undefined),
  });
  const { world, functions } = componentWorld(instance);
  let busy = false;
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
          throw isPluginHostError(e) ? e : new PluginHostError('ERR_TRAPPED', (e as Error)?.message ?? String(e));
        } finally {
          busy = false;
        }
      },
    };
  });
  const outgoing: OutgoingFunction[] = init.hostImports.map((wireName, index) => ({ name: wireName, func: importFunction(wireName, importSigs.get(index)!) }));
  peer.open({
    outgoing, incoming, hooks,
    drop: (handle) => { (resources.take(handle) as GuestResource)[Symbol.dispose](); },
  });
  const generated = [...compiled.templates!].filter(([key]) => !(key in init.templates));
  post(generated.length > 0 ? { kind: 'ready', templates: Object.fromEntries(generated) } : { kind: 'ready' });
  for (;;) if (!channel.receive()) return;
}

try {
  start();
} catch (e) {
  post({ kind: 'failed', code: isPluginHostError(e) ? e.code : 'ERR_LOAD_FAILED', message: (e as Error).message });
}

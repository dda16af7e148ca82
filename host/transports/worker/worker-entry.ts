/**
 * The worker side of the worker transport: instantiates the component, then serves calls
 * from the channel forever (the thread blocks between calls). Host imports become stubs
 * that block on the channel while the host thread runs them. WASI grants and the log
 * interface are served here directly.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ByteReader, ByteWriter } from '../../../common/codec/bytes.js';
import { compileCodec, type ResourceHooks, type ValueCodec } from '../../../common/codec/value-codec.js';
import { parseComponent } from '../../component/binary/parse.js';
import type { Definition } from '../../component/binary/ast.js';
import type { Template } from '../../component/canon/templates.js';
import { describeExports } from '../../component/exports.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { instantiateComponent, type CompiledComponent, type FuncValue } from '../../component/instantiate.js';
import { GuestResource } from '../../component/runtime/resources.js';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { Kind } from '../../../common/protocol/messages.js';
import { fromWireCode, toWireCode } from '../../../common/protocol/wire-codes.js';
import { unalias, type Type } from '../../../common/wit/model.js';
import { camelCase } from '../../../common/wit/names.js';
import { WasiExit, wasiImports, type WasiGrants } from '../../capabilities/wasi/grants.js';
import { LOG_INTERFACE, type LogLevel } from '../../capabilities/host-log.js';
import type { Logger } from '../../system/node-connection.js';
import { Channel, State } from './channel.js';
import { collectImports, workerExports } from './tables.js';

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

/** Messages to the host thread's event loop (not on the channel). */
export type WorkerEvent =
  | { kind: 'log'; level: LogLevel; message: string; fields?: Record<string, unknown> }
  /** `templates`: glue the worker generated that `init.templates` lacked (for the persistent cache). */
  | { kind: 'ready'; templates?: Record<string, Template> }
  | { kind: 'failed'; code: string; message: string };

const init = workerData as WorkerInit;
const post = (event: WorkerEvent) => parentPort!.postMessage(event);
const channel = new Channel(init.buffer, init.port);

const logger: Logger = {
  debug: (message, fields) => post({ kind: 'log', level: 'debug', message, ...(fields ? { fields } : {}) }),
  info: (message, fields) => post({ kind: 'log', level: 'info', message, ...(fields ? { fields } : {}) }),
  warn: (message, fields) => post({ kind: 'log', level: 'warn', message, ...(fields ? { fields } : {}) }),
  error: (message, fields) => post({ kind: 'log', level: 'error', message, ...(fields ? { fields } : {}) }),
};

/** Handles of guest resources the host holds (never reused). */
const handles = new Map<number, GuestResource>();
let nextHandle = 1;

const hooks: ResourceHooks = {
  encode(_resource, value, _own) {
    const handle = nextHandle++;
    handles.set(handle, value as GuestResource);
    return handle;
  },
  decode(_resource, handle, own) {
    const value = handles.get(handle);
    if (!value) throw new PluginHostError('ERR_ACTOR_STOPPED', `resource handle ${handle} is not valid`);
    if (own) handles.delete(handle);
    return value;
  },
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

/** Import stubs: each blocks on the channel while the host thread runs the real function. */
function hostStubs(sigs: Map<number, FuncValue['sig']>): Record<string, unknown> {
  const imports: Record<string, Record<string, unknown> | ((...a: unknown[]) => unknown)> = {};
  const codecs = new Map<number, { args: ValueCodec[]; result?: ValueCodec; isResult: boolean }>();
  init.hostImports.forEach((wireName, index) => {
    const stub = (...args: unknown[]) => {
      let c = codecs.get(index);
      if (!c) {
        const sig = sigs.get(index)!;
        c = {
          args: sig.params.map((p) => compileCodec(p.type, hooks, `${wireName}: ${p.name}`)),
          ...(sig.result ? { result: compileCodec(sig.result, hooks, `result of ${wireName}`) } : {}),
          isResult: sig.result !== undefined && unalias(sig.result as Type).kind === 'result',
        };
        codecs.set(index, c);
      }
      const w = new ByteWriter(64);
      w.u8(Kind.CALL);
      w.uleb(index);
      c.args.forEach((codec, i) => codec.encode(w, args[i]));
      channel.send(State.IMPORT, w.view_());
      Atomics.wait(channel.control, 0, State.IMPORT);
      const reply = new ByteReader(channel.receive());
      const kind = reply.u8();
      if (kind === Kind.ERROR) {
        const code = fromWireCode(reply.uleb());
        throw new PluginHostError(code, reply.string());
      }
      const value = c.result?.decode(reply);
      if (!c.isResult) return value;
      const r = value as { tag: 'ok' | 'err'; val: unknown };
      if (r.tag === 'ok') return r.val;
      throw Object.assign(new Error('err'), { payload: r.val });
    };
    const hash = wireName.lastIndexOf('#');
    if (hash < 0) imports[wireName] = stub;
    else ((imports[wireName.slice(0, hash)] ??= {}) as Record<string, unknown>)[camelCase(wireName.slice(hash + 1))] = stub;
  });
  return imports;
}

function start(): void {
  const compiled = compiledFrom(init.bytes, init.modules);
  const wasi = wasiImports(init.grants, init.plugin, logger);
  const sigs = new Map<number, FuncValue['sig']>();
  const imports = {
    [LOG_INTERFACE]: { log: (level: LogLevel, message: string) => post({ kind: 'log', level, message }) },
    ...wasi.imports,
    ...hostStubs(sigs),
  };
  const resolve = hostImportResolver(imports, init.plugin);
  const instance = instantiateComponent(compiled, (name, type, space) => {
    const value = resolve(name, type, space);
    collectImports(name, value, (wireName, fn) => {
      const index = init.hostImports.indexOf(wireName);
      if (index >= 0) sigs.set(index, fn.sig);
    });
    return value;
  }, {
    mapFailure: (cause) => (cause instanceof WasiExit
      ? new PluginHostError('ERR_PLUGIN_EXITED', `plugin ${init.plugin} called exit(${cause.code})`, { exitCode: cause.code })
      : undefined),
  });
  const table = workerExports(describeExports(instance));
  const callCodecs = table.map((e) => ({
    args: (e.fn.kind === 'method' ? e.fn.sig.params.slice(1) : e.fn.sig.params).map((p) => compileCodec(p.type, hooks, p.name)),
    result: e.fn.sig.result ? compileCodec(e.fn.sig.result, hooks, 'result') : undefined,
  }));
  const generated = [...compiled.templates!].filter(([key]) => !(key in init.templates));
  post(generated.length > 0 ? { kind: 'ready', templates: Object.fromEntries(generated) } : { kind: 'ready' });

  for (;;) {
    Atomics.wait(channel.control, 0, State.IDLE);
    const state = channel.state;
    if (state === State.RESPONSE) {
      Atomics.wait(channel.control, 0, State.RESPONSE);
      continue;
    }
    if (state !== State.REQUEST) continue;
    const request = new ByteReader(channel.receive());
    const kind = request.u8();
    const out = new ByteWriter(64);
    try {
      if (kind === Kind.DROP) {
        const handle = request.uleb();
        const value = handles.get(handle);
        if (value) {
          handles.delete(handle);
          value[Symbol.dispose]();
        }
        out.u8(Kind.RETURN);
      } else {
        const index = request.uleb();
        const entry = table[index]!;
        const codecs = callCodecs[index]!;
        const args: unknown[] = [];
        if (entry.fn.kind === 'method') args.push(handles.get(request.uleb()));
        for (const codec of codecs.args) args.push(codec.decode(request));
        const value = (entry.fn.call as { fn: (...a: unknown[]) => unknown }).fn(...args);
        out.u8(Kind.RETURN);
        codecs.result?.encode(out, value);
      }
    } catch (e) {
      out.pos = 0;
      out.u8(Kind.ERROR);
      out.uleb(toWireCode(isPluginHostError(e) ? e.code : 'ERR_TRAPPED'));
      out.string(e instanceof Error ? e.message : String(e));
      out.string(isPluginHostError(e) && e.exitCode !== undefined ? JSON.stringify({ exitCode: e.exitCode }) : '');
    }
    channel.send(State.RESPONSE, out.view_());
  }
}

try {
  start();
} catch (e) {
  post({ kind: 'failed', code: isPluginHostError(e) ? e.code : 'ERR_LOAD_FAILED', message: (e as Error).message });
}

/**
 * The host's imports as a worker's guest sees them: functions that send a CALL to the host
 * thread and block on the channel until its answer arrives, and host resources as stub
 * objects that carry the host's handle. Each imported resource type gets a stub class, so
 * the component runtime binds it exactly as it binds an application's class inline: `new`
 * calls the host's constructor, methods call the host's methods, statics its statics, and
 * `Symbol.dispose` (the guest dropped its handle) sends DROP.
 */
import { PluginHostError } from '../../../common/errors.js';
import type { Peer } from '../../../common/protocol/peer/peer.js';
import { unalias, type ResourceType } from '../../../common/wit/model.js';
import { camelCase, parseFunctionName, pascalCase } from '../../../common/wit/names.js';
import type { FuncValue } from '../../component/instantiate.js';
import type { RuntimeResource } from '../../component/runtime/resources.js';
import type { WorkerRingChannel } from './ring-channel.js';

const HANDLE = Symbol('plugin-actors.hostHandle');

type Fn = (...args: unknown[]) => unknown;

/** Waits on the channel (the thread has nothing else to do) until the call settles. */
function settleBlocking(channel: WorkerRingChannel, start: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void): unknown {
  let done = false;
  let value: unknown;
  let error: unknown;
  start((v) => { done = true; value = v; }, (e) => { done = true; error = e ?? new Error('failed'); });
  while (!done) if (!channel.receive()) throw new PluginHostError('ERR_PLUGIN_EXITED', 'the host closed the channel');
  if (error !== undefined) throw error;
  return value;
}

/**
 * The imports object for `hostImportResolver`, from the wire names the host serves (in its
 * numbering) and the root-level resource types the component imports. `sigs` is filled
 * while the component is instantiated and read at call time.
 */
export function hostStubs(wireNames: readonly string[], peer: Peer, channel: WorkerRingChannel, sigs: ReadonlyMap<number, FuncValue>, rootResources: readonly string[]): Record<string, unknown> {
  const returnsResult = (index: number) => {
    const result = sigs.get(index)?.sig.result;
    return result !== undefined && unalias(result).kind === 'result';
  };
  const call = (index: number, self: unknown, args: unknown[]): unknown => {
    const handle = self === undefined ? undefined : stubHandle(self, undefined, 'self');
    const value = settleBlocking(channel, (resolve, reject) => peer.request(index, handle, args, resolve, reject));
    if (!returnsResult(index)) return value;
    const r = value as { tag: 'ok' | 'err'; val: unknown };
    if (r.tag === 'ok') return r.val;
    throw Object.assign(new Error('err'), { payload: r.val });
  };

  const imports: Record<string, unknown> = {};
  const classes = new Map<string, StubClass>();
  const classOf = (owner: Record<string, unknown>, key: string, resource: string): StubClass => {
    let cls = classes.get(key);
    if (!cls) {
      cls = stubClass(resource, peer, channel);
      classes.set(key, cls);
      owner[pascalCase(resource)] = cls;
    }
    return cls;
  };
  for (const name of rootResources) imports[name] = stubClass(name, peer, channel);

  wireNames.forEach((wireName, index) => {
    const hash = wireName.lastIndexOf('#');
    const fnName = hash < 0 ? wireName : wireName.slice(hash + 1);
    const parsed = parseFunctionName(fnName);
    if (hash < 0) {
      // World-level functions, resource ones included, are called as plain functions (self first).
      imports[wireName] = parsed.kind === 'method'
        ? (self: unknown, ...args: unknown[]) => call(index, self, args)
        : (...args: unknown[]) => call(index, undefined, args);
      return;
    }
    const ifaceName = wireName.slice(0, hash);
    const iface = (imports[ifaceName] ??= {}) as Record<string, unknown>;
    if (parsed.kind === 'freestanding') {
      iface[camelCase(fnName)] = (...args: unknown[]) => call(index, undefined, args);
      return;
    }
    const cls = classOf(iface, `${ifaceName}#${parsed.resource}`, parsed.resource!);
    if (parsed.kind === 'constructor') cls.construct = (args) => call(index, undefined, args);
    else if (parsed.kind === 'static') (cls as unknown as Record<string, Fn>)[camelCase(parsed.name)] = (...args: unknown[]) => call(index, undefined, args);
    else (cls.prototype as Record<string, Fn>)[camelCase(parsed.name)] = function (this: unknown, ...args: unknown[]) { return call(index, this, args); };
  });
  return imports;
}

interface StubClass {
  (...args: unknown[]): unknown;
  prototype: object;
  construct?: (args: unknown[]) => unknown;
}

function stubClass(resource: string, peer: Peer, channel: WorkerRingChannel): StubClass {
  // Called with `new` by the runtime for the host's constructor: it returns the stub the
  // host's answer (an owned handle) was decoded into.
  const cls = function (...args: unknown[]): unknown {
    if (!cls.construct) throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `the host offers no constructor for ${resource}`);
    return cls.construct(args);
  } as StubClass;
  Object.defineProperty(cls, 'name', { value: pascalCase(resource) });
  Object.defineProperty(cls.prototype, Symbol.dispose, {
    value(this: { [HANDLE]?: number }) {
      const handle = this[HANDLE];
      if (handle === undefined) return;
      this[HANDLE] = undefined;
      settleBlocking(channel, (resolve, reject) => peer.requestDrop(handle, () => resolve(undefined), reject));
    },
  });
  return cls;
}

const plainStub = {};

/** The stub for a handle of a host resource the worker received. */
export function stubOf(rt: RuntimeResource, handle: number, _own: boolean): object {
  const stub = Object.create(rt.hostClass?.prototype ?? plainStub) as { [HANDLE]?: number };
  stub[HANDLE] = handle;
  return stub;
}

/** The host's handle behind a stub the guest passes back. */
export function stubHandle(value: unknown, resource: ResourceType | undefined, path: string): number {
  const handle = (value as { [HANDLE]?: number } | null)?.[HANDLE];
  if (typeof handle !== 'number') {
    throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected a ${resource?.name ?? 'resource'} from the host (dropped or moved already?)`);
  }
  return handle;
}

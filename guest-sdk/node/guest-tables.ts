/**
 * The plugin's side of a connection, from its world and the host's WELCOME: which
 * implementation serves each export the host may call, how the plugin calls the host's
 * imports, and how resources cross (the plugin's own through a handle table, the host's
 * as objects whose methods call the host).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isPromise } from 'node:util/types';
import type { ResourceHooks } from '../../common/codec/value-codec.js';
import { WireError } from '../../common/codec/bytes.js';
import { PluginHostError } from '../../common/errors.js';
import { resolveHostCall, routedActorOf, type HostCall } from '../../common/host-objects.js';
import type { treeAnnouncer } from '../../common/protocol/features/tree.js';
import { LocalResources } from '../../common/protocol/local-resources.js';
import type { Welcome } from '../../common/protocol/messages.js';
import { functionTable } from '../../common/protocol/function-table.js';
import type { IncomingCall, IncomingFunction, OutgoingFunction, Peer, PeerTables } from '../../common/protocol/peer/peer.js';
import { ServedValue } from '../../common/protocol/peer/served-value.js';
import { unalias, type ResourceType, type WitFunction, type World } from '../../common/wit/model.js';
import { camelCase, stripVersion } from '../../common/wit/names.js';
import { ResultError } from './result-error.js';

export interface GuestTables {
  readonly peerTables: PeerTables;
  readonly imports: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
  /** Lets calls that arrived before `serve()` returned run. */
  release(): void;
  /** Resolves when no call from the host is being served. */
  whenServed(): Promise<void>;
}

const HANDLE = Symbol('plugin-actors.hostHandle');

/**
 * The host's call an implementation is serving, through its awaits: the imports it calls
 * meanwhile are cancelled (CANCEL) when that call is, so a host's deadline bounds the calls
 * it caused, hop by hop, along a chain of linked plugins (docs/linking.md).
 */
const serving = new AsyncLocalStorage<IncomingCall>();

/** The features agreed with the host that the tables take part in. */
export interface GuestFeatures {
  /** `tree@1`: resources that are actors of this plugin's own system route their ids and report their end. */
  readonly tree?: ReturnType<typeof treeAnnouncer>;
}

export function guestTables(world: World, welcome: Welcome, implementations: Readonly<Record<string, unknown>>, peer: Peer, features: GuestFeatures = {}): GuestTables {
  const exportsByName = new Map(functionTable(world, 'export').map((e) => [e.wireName, e]));
  const importsByName = new Map(functionTable(world, 'import').map((e) => [e.wireName, e]));
  const exported = new Set<ResourceType>([...exportsByName.values()].flatMap((e) => (e.func.resource ? [e.func.resource] : [])));
  const local = new LocalResources();

  let released = false;
  let release!: () => void;
  const ready = new Promise<void>((r) => { release = () => { released = true; r(); }; });

  const incoming: IncomingFunction[] = welcome.exports.map((name) => {
    const entry = exportsByName.get(name);
    if (!entry) throw new WireError(`the host listed ${name}, which this plugin's world does not export`);
    const call = resolveHostCall(implementations, entry.interfaceKey, entry.func)
      ?? resolveHostCall(implementations, stripVersion(entry.interfaceKey), entry.func)
      ?? missingImplementation(name);
    return {
      name, func: entry.func,
      serve: (self, args, context) => {
        args.push(context);
        const run = () => serving.run(context, () => call(self, args));
        if (released) return run();
        // A call that came before the plugin was served waits; its value is boxed so that a
        // resource with a `then` method is sent, not adopted by the promise.
        return ready.then(() => {
          const outcome = run();
          return isPromise(outcome) ? outcome : new ServedValue(outcome);
        });
      },
    };
  });

  const importIndex = new Map<WitFunction, number>();
  const outgoing: OutgoingFunction[] = welcome.imports.map((name, i) => {
    const entry = importsByName.get(name);
    if (!entry) throw new WireError(`the host listed ${name}, which this plugin's world does not import`);
    importIndex.set(entry.func, i);
    return { name, func: entry.func };
  });

  const callImport = (func: WitFunction, self: unknown, args: unknown[]): Promise<unknown> => {
    const index = importIndex.get(func);
    if (index === undefined) return Promise.reject(new PluginHostError('ERR_UNKNOWN_FUNCTION', `the host offers no import ${func.name}`));
    const handle = func.kind === 'method' ? (self as { [HANDLE]?: number } | null)?.[HANDLE] : undefined;
    const result = peer.call(index, handle, args, serving.getStore()?.signal);
    if (func.result === undefined || unalias(func.result).kind !== 'result') return result;
    return result.then((r) => {
      const { tag, val } = r as { tag: 'ok' | 'err'; val: unknown };
      if (tag === 'ok') return val;
      throw new ResultError(val);
    });
  };

  /** A host resource as the plugin sees it: an object whose methods call the host. */
  const hostResource = (resource: ResourceType, handle: number): object => {
    const obj: Record<string | symbol, unknown> = { [HANDLE]: handle };
    for (const m of resource.methods) obj[camelCase(m.shortName)] = (...args: unknown[]) => callImport(m, obj, args);
    obj[Symbol.asyncDispose] = () => peer.drop(handle);
    return obj;
  };

  /**
   * An actor of this plugin's own ActorSystem handed to the host (a tree of hosts): the host
   * learns its id here, to route to it, and hears when it ends under this plugin; the handle
   * is forgotten then, as the host's actor ends.
   */
  const { tree } = features;
  const announce = (handle: number, value: object): void => {
    const routed = routedActorOf(value);
    if (!tree || !routed) return;
    tree.route(handle, routed.id);
    routed.watch((end) => {
      if (!local.holds(handle, value)) return;
      local.take(handle);
      tree.ended({ handle, ...end });
    });
  };

  const hooks: ResourceHooks = {
    encode: (resource, value, own, path) => {
      if (exported.has(resource)) {
        if (!own) return local.lend(value, path);
        const handle = local.give(value, path);
        announce(handle, value as object);
        return handle;
      }
      const handle = (value as { [HANDLE]?: number } | null)?.[HANDLE];
      if (typeof handle !== 'number') throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected a ${resource.name} from the host`);
      return handle;
    },
    decode: (resource, handle, own) => {
      if (exported.has(resource)) return own ? local.take(handle) : local.get(handle);
      return hostResource(resource, handle);
    },
  };

  return {
    peerTables: { outgoing, incoming, hooks, drop: (handle) => local.drop(handle) },
    imports: importsApi(world, callImport),
    release,
    whenServed: () => peer.whenServed(),
  };
}

/** The `imports` object of `serve()`: interface name (with and without version) → lowerCamelCase functions. */
function importsApi(world: World, callImport: (func: WitFunction, self: unknown, args: unknown[]) => Promise<unknown>) {
  const imports: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [key, item] of world.imports) {
    if (item.kind === 'function') {
      (imports[''] ??= {})[camelCase(key)] = (...args: unknown[]) => callImport(item.func, undefined, args);
      continue;
    }
    if (item.kind !== 'interface') continue;
    const obj: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const f of item.iface.functions.values()) {
      if (f.kind === 'freestanding') obj[camelCase(f.name)] = (...args: unknown[]) => callImport(f, undefined, args);
    }
    imports[key] = obj;
    imports[stripVersion(key)] = obj;
  }
  return imports;
}

function missingImplementation(name: string): HostCall {
  return () => {
    throw new PluginHostError('ERR_UNKNOWN_FUNCTION', `this plugin does not implement ${name}`);
  };
}

/**
 * A test harness for plugin authors (`plugin-actors/testing`): load a plugin in one line,
 * call it, and assert on what happened — the calls and their outcomes, the plugin's log
 * records, its terminations and restarts — with the test runner's own `expect`. It depends
 * on no test runner: pass vitest's `afterAll` (or `afterEach`) as `cleanup` to have the
 * plugin stopped after the tests.
 *
 *   const greeter = await testPlugin({ name: 'greeter', wasm: './build/greeter.wasm' }, { cleanup: afterAll });
 *   expect(await greeter.exports<Api>('example:greeter/api').greet('x')).toBe('Hello, x!');
 *   expect(greeter.calls.at(-1)).toMatchObject({ function: 'greet', args: ['x'], outcome: 'returned' });
 */
import { ActorSystem } from '../actor-system.js';
import type { LoadManifestOptions } from '../distribution/index.js';
import type { PluginSpec } from '../plugin-spec.js';
import type { NodeTermination } from '../system/events.js';
import type { Logger } from '../system/node-connection.js';
import type { PluginNode } from '../system/plugin-node.js';
import { actorIdOf, type Remote, type UntypedInterface } from '../system/proxy.js';
import { recordingProxy, type RecordedCall } from './recording-proxy.js';

export type { RecordedCall } from './recording-proxy.js';

/** One record the plugin (or the host about it) logged. */
export interface RecordedLog {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface TestPluginOptions {
  /** A hook that runs a function after the tests (vitest's `afterAll` or `afterEach`): the plugin is closed there. */
  readonly cleanup?: (fn: () => Promise<void>) => void;
  /** Also write log records to this logger (e.g. `console` while debugging a test). */
  readonly logger?: Logger;
  /** For a manifest path: what the application allows (as `system.loadManifest`). @default allows running its command */
  readonly manifest?: LoadManifestOptions;
}

/** A loaded plugin under test, with everything it did recorded. */
export interface TestPlugin extends AsyncDisposable {
  /** The actor system it runs in (one per test plugin). */
  readonly system: ActorSystem;
  readonly node: PluginNode;
  /** Every call made through `exports()` proxies and the resource actors they returned, in call order. */
  readonly calls: readonly RecordedCall[];
  /** Every log record about the plugin, in order. */
  readonly logs: readonly RecordedLog[];
  /** Every ending of an incarnation of the plugin (crashes, kills, stops), in order. */
  readonly terminations: readonly NodeTermination[];
  /** How many times the supervisor restarted the plugin. */
  readonly restarts: number;
  /** The root proxy of an exported interface, recording each call. */
  exports<T = UntypedInterface>(interfaceName?: string): Remote<T>;
  /** Calls to functions of this name (WIT `greet-with` or JS `greetWith`). */
  callsTo(name: string): readonly RecordedCall[];
  /** Resolves with the next termination (or the last one, if it happened since the last call to this). */
  nextTermination(): Promise<NodeTermination>;
  /** Ends the running incarnation as a crash would (`PluginNode.kill`). */
  kill(signal?: NodeJS.Signals): void;
  /** Forgets what was recorded so far (calls, logs, terminations). */
  reset(): void;
  /** Stops the plugin and its system. Idempotent. */
  close(): Promise<void>;
}

/**
 * Loads a plugin for a test: a plugin spec, or the path of a manifest (`plugin.json`, a
 * package.json with `pluginActors`, or their folder).
 */
export async function testPlugin(plugin: PluginSpec | string, options: TestPluginOptions = {}): Promise<TestPlugin> {
  const calls: RecordedCall[] = [];
  const logs: RecordedLog[] = [];
  const terminations: NodeTermination[] = [];
  let restarts = 0;
  let seen = 0;
  const waiting: ((t: NodeTermination) => void)[] = [];
  const record = (level: RecordedLog['level']) => (message: string, fields?: Record<string, unknown>) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
    options.logger?.[level](message, fields);
  };
  const system = new ActorSystem({ logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } });
  system.on('terminated', (t) => {
    terminations.push(t);
    const next = waiting.shift();
    if (next) { seen = terminations.length; next(t); }
  });
  system.on('restarted', () => { restarts++; });
  let node: PluginNode;
  try {
    node = typeof plugin === 'string'
      ? (await system.loadManifest(plugin, { allowGrants: ['process'], ...options.manifest })).node
      : await system.load(plugin);
  } catch (e) {
    await system.close();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const harness: TestPlugin = {
    system,
    node,
    calls,
    logs,
    terminations,
    get restarts() { return restarts; },
    exports: <T>(interfaceName?: string) => recordingProxy(node.exports<T>(interfaceName), calls, actorIdOf) as Remote<T>,
    callsTo: (name) => calls.filter((c) => c.function === name || c.function === camel(name)),
    nextTermination: () => {
      if (terminations.length > seen) { seen = terminations.length; return Promise.resolve(terminations.at(-1)!); }
      return new Promise((resolve) => waiting.push(resolve));
    },
    kill: (signal) => node.kill(signal),
    reset: () => { calls.length = 0; logs.length = 0; terminations.length = 0; seen = 0; restarts = 0; },
    close: () => (closed ??= system.close()),
    [Symbol.asyncDispose]: () => harness.close(),
  };
  options.cleanup?.(() => harness.close());
  return harness;
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

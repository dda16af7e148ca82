/**
 * Plugin specs: data that says how to start a plugin. `validatePluginSpec` makes every
 * check a spec needs, and nothing else (no I/O): types, ranges, unknown keys (a misspelt
 * `timeoutMs` or `sha256` must not be ignored silently), and fills in every default. The
 * result is what a transport's `launch` receives, and what a node keeps to start again.
 */
import { PluginHostError } from '../common/errors.js';
import type { HostImports } from '../common/host-objects.js';
import { validateGrants, type WasiGrants } from './capabilities/wasi/grant-rules.js';
import { validateIntegrity, type Integrity } from './integrity/index.js';
import { sharedCopy } from './shared-bytes.js';
import { isValidNodeName } from './system/actor-id.js';
import { validateRestart, type RestartOptions, type RestartPolicy } from './system/restart-policy.js';
import type { ProcessLaunchOptions } from './transports/process/index.js';
import type { WorkerLaunchOptions } from './transports/worker/connection.js';
import type { NatsConnectOptions, NatsLaunchOptions } from './transports/nats/index.js';
import { DEFAULT_NAMESPACE, isValidNamespace } from './transports/nats/subjects.js';

export interface WasmPluginSpec {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
  /** A path to a `.wasm` component, or its bytes. */
  readonly wasm: string | Uint8Array;
  /**
   * `inline` (default): in the host's thread, fastest calls, host imports must be synchronous.
   * `worker`: in a worker thread; calls that overrun their deadline are preempted (the plugin
   * is ended with ERR_NODE_INTERRUPTED), and host imports may be async.
   */
  readonly isolation?: 'inline' | 'worker';
  /**
   * Inline isolation: fuel checks are compiled into the guest, so a call that overruns its
   * deadline (`timeoutMs`, the default deadline) or whose signal aborts is interrupted in the
   * host's thread: it rejects with ERR_TIMEOUT or ERR_ABORTED and the plugin is ended with
   * ERR_NODE_INTERRUPTED (docs/security.md has the bound and the cost). `false` compiles the
   * guest as it is; it then runs each call to its end. @default true
   */
  readonly interruptible?: boolean;
  /**
   * How long instantiating the component may take, its start functions included: past it an
   * interruptible inline guest is interrupted and a worker terminated, and the load fails
   * with ERR_TIMEOUT. (A guest that is not interruptible runs its start to the end.) @default 10 000
   */
  readonly startTimeoutMs?: number;
  /** WASI capabilities; nothing is granted by default. */
  readonly grants?: WasiGrants;
  /** Host implementations of other interfaces the plugin imports, keyed by interface name (jco style). */
  readonly imports?: HostImports;
  /** Worker isolation: bytes of each direction of the shared call channel (larger messages still work). @default 1 MiB */
  readonly channelBytes?: number;
  /** Worker isolation: health pings while the worker is idle (`false` turns them off). */
  readonly health?: HealthOptions | false;
  /** Whether and how the plugin is restarted when it fails (docs/lifecycle.md). @default no restarts (a pool: `permanent`) */
  readonly restart?: RestartOptions;
  /** A pool of this many instances, calls balanced over them (docs/lifecycle.md). @default 1 */
  readonly instances?: number;
  readonly limits?: PluginLimits;
  /** The deadline of calls made without a signal or `timeoutMs` (overrides the system's `defaultTimeoutMs`). */
  readonly timeoutMs?: number;
  /**
   * Checked against the component's bytes before they are compiled (docs/security.md):
   * `sha256` (lowercase hex) pins them; `signature` (base64 ed25519) is required when the
   * ActorSystem has `trustedKeys`.
   */
  readonly integrity?: { readonly sha256?: string; readonly signature?: string };
  /**
   * WIT file or directory defining the world the component must implement: its exports and
   * imports must match it structurally, or it is refused at load with ERR_WORLD_MISMATCH.
   */
  readonly wit?: string;
  /** Which world of `wit` (`ns:pkg/world[@version]`), when it defines several. Needs `wit`. */
  readonly world?: string;
}

export interface ProcessPluginSpec {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
  /** The program and its arguments, e.g. `[process.execPath, 'plugin.js']`. */
  readonly command: readonly string[];
  readonly cwd?: string;
  /** Environment variables set for the plugin. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Pass the host's whole environment (secrets included) to the plugin. By default it gets
   * only `PATH`, `HOME`, `LANG`, `TZ`, `TMPDIR` (Windows: `PATH`, `PATHEXT`, `SYSTEMROOT`, …),
   * the names in `allowEnv`, `env`, and the protocol's variables. @default false
   */
  readonly inheritEnv?: boolean;
  /** Names of host environment variables to pass on without `inheritEnv`. */
  readonly allowEnv?: readonly string[];
  /** The world the plugin must implement (`ns:pkg/world[@version]`); checked in the handshake. */
  readonly world?: string;
  /** WIT file or directory defining the expected world: the plugin's types must match it exactly. */
  readonly wit?: string;
  /** Host implementations of the plugin's imports (functions may be async). */
  readonly imports?: HostImports;
  /** @default 10 000 */
  readonly handshakeTimeoutMs?: number;
  /** How long a stopping plugin may take to finish its calls and exit before it is killed. @default 2 000 */
  readonly shutdownTimeoutMs?: number;
  /** Largest frame accepted from the plugin. @default 64 MiB */
  readonly maxFrameBytes?: number;
  /** How long one frame may take to arrive, from its first byte. @default 30 000 */
  readonly frameTimeoutMs?: number;
  /** Calls from the plugin to the host served at once; more are refused with ERR_BUSY. @default 128 */
  readonly maxIncomingCalls?: number;
  /** How long the plugin may take to confirm it dropped a resource. @default 5 000 */
  readonly dropTimeoutMs?: number;
  /**
   * Kill the process when it has not answered a call this long after the call was cancelled
   * (CANCEL sent: aborted, or past its deadline), ending with ERR_UNRESPONSIVE (restart per
   * policy). Opt-in: it also ends every other call in flight on the process. @default none
   */
  readonly killOnCancelTimeoutMs?: number;
  /** Health pings, for plugins that speak the `ping@1` feature (`false` turns them off). */
  readonly health?: HealthOptions | false;
  /** Whether and how the plugin is restarted when it fails (docs/lifecycle.md). @default no restarts (a pool: `permanent`) */
  readonly restart?: RestartOptions;
  /** A pool of this many processes, calls balanced over them (docs/lifecycle.md). @default 1 */
  readonly instances?: number;
  readonly limits?: PluginLimits;
  /** The deadline of calls made without a signal or `timeoutMs` (overrides the system's `defaultTimeoutMs`). */
  readonly timeoutMs?: number;
  /**
   * Checked against the file `path` (relative to `cwd`) just before the process is spawned
   * (docs/security.md): `sha256` pins it; `signature` is required when the ActorSystem has
   * `trustedKeys`. Name the file the command runs, e.g. the script of `['node', 'plugin.js']`.
   */
  readonly integrity?: Integrity;
}

/** A plugin hosted by a runner elsewhere, reached over NATS (docs/distributed.md). */
export interface RemotePluginSpec {
  /** Unique among running plugins; names the node in actor ids and log records. */
  readonly name: string;
  readonly remote: RemoteOptions;
  /** The deadline of calls made without a signal or `timeoutMs` (overrides the system's `defaultTimeoutMs`). */
  readonly timeoutMs?: number;
  /**
   * Health pings both ways; a runner silent for `timeoutMs` is declared down (ERR_NODE_DOWN).
   * `false` turns them off (a runner that vanishes is then never noticed).
   */
  readonly health?: HealthOptions | false;
  /** Whether and how a new session is made when one ends (docs/lifecycle.md). @default no restarts (a pool: `permanent`) */
  readonly restart?: RestartOptions;
  /** A pool of this many sessions, each with one of the node's runners; root calls are balanced over them. @default 1 */
  readonly instances?: number;
  /** How long a stopping session may take to finish its calls. @default 2 000 */
  readonly shutdownTimeoutMs?: number;
  /** How long the runner may take to confirm it dropped a resource. @default 5 000 */
  readonly dropTimeoutMs?: number;
}

export interface RemoteOptions {
  /** The NATS server URL (or several, of one cluster), e.g. `nats://127.0.0.1:4222`. */
  readonly nats: string | readonly string[];
  /** The node name the runners serve (`plugin-actors serve` names it after the plugin). */
  readonly node: string;
  /** The subject namespace shared with the runners; systems with different namespaces do not see each other. @default 'plugin-actors' */
  readonly namespace?: string;
  /** Passed to the NATS client as given: credentials (`user`/`pass`, `token`, `authenticator`), `tls`, reconnect settings. */
  readonly connectOptions?: NatsConnectOptions;
  /** The world the runner's plugin must implement (`ns:pkg/world[@version]`); checked in the handshake. */
  readonly world?: string;
  /** WIT file or directory defining the expected world: the remote plugin's types must match it exactly. */
  readonly wit?: string;
  /** How long to wait for a runner to take the session. @default 5 000 */
  readonly connectTimeoutMs?: number;
  /** @default 10 000 */
  readonly handshakeTimeoutMs?: number;
  /** Largest frame accepted from the runner. @default 64 MiB */
  readonly maxFrameBytes?: number;
}

/** How a plugin is checked for being alive (docs/lifecycle.md). */
export interface HealthOptions {
  /** @default 5 000 */
  readonly intervalMs?: number;
  /** Without an answer for this long, the plugin is unresponsive and ended (ERR_UNRESPONSIVE). @default 20 000 */
  readonly timeoutMs?: number;
}

/** Resource limits of a plugin (docs/security.md has the defaults and how each is enforced). */
export interface PluginLimits {
  /**
   * Wasm: bytes of each linear memory; a `memory.grow` past it fails (returns -1), as with
   * wasmtime's limiter. Process: the address-space limit of the process (`prlimit --as`,
   * Linux). @default wasm: 1 GiB; process: none
   */
  readonly memoryBytes?: number;
  /** Resource actors of the plugin alive at once; one more ends it with ERR_LIMIT. @default 100 000 */
  readonly maxActors?: number;
  /** Calls to the plugin not yet settled; more are refused with ERR_LIMIT. @default 10 000 */
  readonly maxPendingCalls?: number;
  /**
   * Wasm: bytes one string or list the guest hands the host (a result, or an argument to a
   * host import) may span in its memory; more is refused with ERR_LIMIT before anything is
   * copied. @default 64 MiB
   */
  readonly maxValueBytes?: number;
  /**
   * Log records (host/log calls, stdout/stderr lines) the plugin may write a second; the
   * excess is dropped and counted, with one warning per burst. @default 1 000
   */
  readonly logRecordsPerSecond?: number;
  /** Process: CPU seconds the process may use (`prlimit --cpu`, Linux); then it is killed. @default none */
  readonly cpuSeconds?: number;
}

/** Health settings after validation; `undefined` means no pings. */
export type Health = { readonly intervalMs: number; readonly timeoutMs: number } | undefined;

export type PluginSpec = WasmPluginSpec | ProcessPluginSpec | RemotePluginSpec;

/** A spec after validation: which transport, and everything it needs, defaults filled in. */
interface Validated {
  readonly name: string;
  readonly restart: RestartPolicy;
  readonly instances: number;
  /** What every transport enforces the same way (`transports/node-limits.ts`); `defaultTimeoutMs` from the spec's `timeoutMs`. */
  readonly limits: { readonly maxActors: number; readonly maxPendingCalls: number; readonly logRecordsPerSecond: number; readonly defaultTimeoutMs?: number };
}

export type ValidatedSpec =
  | Validated & { readonly kind: 'inline'; readonly options: WorkerLaunchOptions }
  | Validated & { readonly kind: 'worker'; readonly options: WorkerLaunchOptions }
  | Validated & { readonly kind: 'process'; readonly options: ProcessLaunchOptions }
  | Validated & { readonly kind: 'nats'; readonly options: NatsLaunchOptions };

const WASM_KEYS = ['name', 'wasm', 'isolation', 'interruptible', 'startTimeoutMs', 'grants', 'imports', 'channelBytes', 'restart', 'health', 'instances', 'integrity', 'world', 'wit', 'limits', 'timeoutMs'] as const;
const PROCESS_KEYS = [
  'name', 'command', 'cwd', 'env', 'inheritEnv', 'allowEnv', 'world', 'wit', 'imports', 'restart', 'health', 'instances',
  'handshakeTimeoutMs', 'shutdownTimeoutMs', 'maxFrameBytes', 'frameTimeoutMs', 'maxIncomingCalls', 'dropTimeoutMs',
  'integrity', 'limits', 'timeoutMs', 'killOnCancelTimeoutMs',
] as const;
const REMOTE_KEYS = ['name', 'remote', 'health', 'restart', 'instances', 'shutdownTimeoutMs', 'dropTimeoutMs', 'timeoutMs'] as const;
const REMOTE_OPTION_KEYS = ['nats', 'node', 'namespace', 'connectOptions', 'world', 'wit', 'connectTimeoutMs', 'handshakeTimeoutMs', 'maxFrameBytes'] as const;

/**
 * Checks a plugin spec and fills in its defaults. Pure: touches no file.
 * @throws ERR_INVALID_OPTION naming the key and the value at fault
 */
export function validatePluginSpec(spec: unknown): ValidatedSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw invalid('load() takes a plugin spec object');
  const s = spec as Record<string, unknown>;
  const has = (key: string) => s[key] !== undefined;
  if ([has('wasm'), has('command'), has('remote')].filter(Boolean).length > 1) throw invalid('a plugin spec has one of `wasm`, `command` or `remote`, not several');
  if (!has('wasm') && !has('command') && !has('remote')) throw invalid('a plugin spec needs `wasm` (a component path or bytes), `command` (a subprocess) or `remote` (a runner over NATS)');
  const name = s.name;
  if (typeof name !== 'string' || !isValidNodeName(name)) throw invalid(`name must match [A-Za-z0-9][A-Za-z0-9._-]*, got ${show(name)}`);
  if (has('remote')) return validateRemote(s, name);
  if (has('wasm')) return validateWasm(s, name);
  return validateProcess(s, name);
}

function validateWasm(s: Record<string, unknown>, name: string): ValidatedSpec {
  unknownKeys(s, WASM_KEYS, 'a wasm plugin spec');
  const limits = limitsOption(s.limits, 'wasm');
  if (typeof s.wasm !== 'string' && !(s.wasm instanceof Uint8Array)) throw invalid(`wasm must be a path or a Uint8Array, got ${show(s.wasm)}`);
  const isolation = s.isolation ?? 'inline';
  if (isolation !== 'inline' && isolation !== 'worker') throw invalid(`isolation must be 'inline' or 'worker', got ${show(isolation)}`);
  for (const key of ['channelBytes', 'health'] as const) {
    if (isolation === 'inline' && has(s, key)) throw invalid(`${key} applies to isolation: 'worker' only`);
  }
  if (has(s, 'interruptible')) {
    if (typeof s.interruptible !== 'boolean') throw invalid(`interruptible must be a boolean, got ${show(s.interruptible)}`);
    // A worker is interrupted by ending its thread; its guest needs no fuel checks.
    if (isolation === 'worker') throw invalid('interruptible applies to isolation: \'inline\' only (a worker plugin is interrupted by terminating its thread)');
  }
  for (const key of ['world', 'wit'] as const) {
    if (has(s, key) && (typeof s[key] !== 'string' || s[key] === '')) throw invalid(`${key} must be a string, got ${show(s[key])}`);
  }
  if (has(s, 'world') && !has(s, 'wit')) {
    throw invalid('world for a wasm plugin needs wit: a component carries no world name, so it is checked by structure against the WIT that defines the world');
  }
  const options: WorkerLaunchOptions = {
    // A copy, taken now: the application changing its array later cannot change what is
    // checked and compiled (at this load or a restart). Shared by specs of equal bytes.
    wasm: s.wasm instanceof Uint8Array ? sharedCopy(s.wasm) : s.wasm,
    grants: validateGrants(s.grants),
    imports: importsOption(s.imports),
    channelBytes: positive(s, 'channelBytes', 1 << 20),
    startTimeoutMs: positive(s, 'startTimeoutMs', 10_000),
    health: healthOption(s.health),
    ...optional('integrity', validateIntegrity(s.integrity, 'wasm')),
    ...optional('wit', s.wit as string | undefined),
    ...optional('world', s.world as string | undefined),
    memoryBytes: limits.memoryBytes ?? DEFAULT_WASM_MEMORY_BYTES,
    ...(isolation === 'inline' ? { interruptible: (s.interruptible as boolean | undefined) ?? true } : {}),
    maxValueBytes: limits.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES,
  };
  return { kind: isolation, name, ...supervision(s), limits: nodeLimits(s, limits), options };
}

function validateProcess(s: Record<string, unknown>, name: string): ValidatedSpec {
  unknownKeys(s, PROCESS_KEYS, 'a process plugin spec');
  const limits = limitsOption(s.limits, 'process');
  const command = s.command;
  if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string')) {
    throw invalid('command must be a non-empty array of strings, e.g. [process.execPath, "plugin.js"]');
  }
  for (const key of ['cwd', 'world', 'wit'] as const) {
    if (has(s, key) && typeof s[key] !== 'string') throw invalid(`${key} must be a string, got ${show(s[key])}`);
  }
  if (has(s, 'env') && (typeof s.env !== 'object' || s.env === null || Object.values(s.env).some((v) => typeof v !== 'string'))) {
    throw invalid('env must be an object of strings');
  }
  if (has(s, 'inheritEnv') && typeof s.inheritEnv !== 'boolean') throw invalid(`inheritEnv must be a boolean, got ${show(s.inheritEnv)}`);
  if (has(s, 'allowEnv') && (!Array.isArray(s.allowEnv) || s.allowEnv.some((v) => typeof v !== 'string' || v === ''))) {
    throw invalid('allowEnv must be an array of environment variable names');
  }
  const options: ProcessLaunchOptions = {
    command: [...(command as string[])],
    ...(has(s, 'cwd') ? { cwd: s.cwd as string } : {}),
    ...(has(s, 'env') ? { env: { ...(s.env as Record<string, string>) } } : {}),
    inheritEnv: (s.inheritEnv as boolean | undefined) ?? false,
    ...(has(s, 'allowEnv') ? { allowEnv: [...(s.allowEnv as string[])] } : {}),
    ...(has(s, 'world') ? { world: s.world as string } : {}),
    ...(has(s, 'wit') ? { wit: s.wit as string } : {}),
    imports: importsOption(s.imports),
    handshakeTimeoutMs: positive(s, 'handshakeTimeoutMs', 10_000),
    shutdownTimeoutMs: positive(s, 'shutdownTimeoutMs', 2_000),
    maxFrameBytes: positive(s, 'maxFrameBytes', 64 * 1024 * 1024),
    frameTimeoutMs: positive(s, 'frameTimeoutMs', 30_000),
    maxIncomingCalls: positive(s, 'maxIncomingCalls', 128),
    dropTimeoutMs: positive(s, 'dropTimeoutMs', 5_000),
    health: healthOption(s.health),
    ...optional('integrity', validateIntegrity(s.integrity, 'process')),
    ...optional('memoryBytes', limits.memoryBytes),
    ...optional('cpuSeconds', limits.cpuSeconds),
    ...(has(s, 'killOnCancelTimeoutMs') ? { killOnCancelTimeoutMs: positive(s, 'killOnCancelTimeoutMs', 0) } : {}),
  };
  return { kind: 'process', name, ...supervision(s), limits: nodeLimits(s, limits), options };
}

function validateRemote(s: Record<string, unknown>, name: string): ValidatedSpec {
  unknownKeys(s, REMOTE_KEYS, 'a remote plugin spec');
  const r = s.remote;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) throw invalid('remote must be an object: { nats, node, … }');
  const remote = r as Record<string, unknown>;
  unknownKeys(remote, REMOTE_OPTION_KEYS, 'remote');
  const servers = typeof remote.nats === 'string' ? [remote.nats] : remote.nats;
  if (!Array.isArray(servers) || servers.length === 0 || servers.some((u) => typeof u !== 'string' || u.length === 0)) {
    throw invalid(`remote.nats must be a NATS server URL or a non-empty list of them, got ${show(remote.nats)}`);
  }
  if (typeof remote.node !== 'string' || !isValidNodeName(remote.node)) throw invalid(`remote.node must match [A-Za-z0-9][A-Za-z0-9._-]*, got ${show(remote.node)}`);
  const namespace = remote.namespace ?? DEFAULT_NAMESPACE;
  if (typeof namespace !== 'string' || !isValidNamespace(namespace)) throw invalid(`remote.namespace must be dot-separated tokens of [A-Za-z0-9_-], got ${show(remote.namespace)}`);
  for (const key of ['world', 'wit'] as const) {
    if (has(remote, key) && typeof remote[key] !== 'string') throw invalid(`remote.${key} must be a string, got ${show(remote[key])}`);
  }
  const connectOptions = remote.connectOptions ?? {};
  if (connectOptions === null || typeof connectOptions !== 'object' || Array.isArray(connectOptions)) throw invalid('remote.connectOptions must be an object (options of the NATS client)');
  if ('servers' in connectOptions) throw invalid('remote.connectOptions.servers: give the servers as remote.nats');
  const options: NatsLaunchOptions = {
    servers: [...(servers as string[])],
    node: remote.node,
    namespace,
    connectOptions: connectOptions as NatsConnectOptions,
    connectTimeoutMs: positive(remote, 'connectTimeoutMs', 5_000),
    handshakeTimeoutMs: positive(remote, 'handshakeTimeoutMs', 10_000),
    maxFrameBytes: positive(remote, 'maxFrameBytes', 64 * 1024 * 1024),
    shutdownTimeoutMs: positive(s, 'shutdownTimeoutMs', 2_000),
    dropTimeoutMs: positive(s, 'dropTimeoutMs', 5_000),
    ...(has(remote, 'world') ? { world: remote.world as string } : {}),
    ...(has(remote, 'wit') ? { wit: remote.wit as string } : {}),
    health: healthOption(s.health),
  };
  return { kind: 'nats', name, ...supervision(s), limits: nodeLimits(s, {}), options };
}

function unknownKeys(s: Record<string, unknown>, known: readonly string[], what: string): void {
  for (const key of Object.keys(s)) {
    if (!known.includes(key)) throw invalid(`${JSON.stringify(key)} is not an option of ${what} (options: ${known.join(', ')})`);
  }
}

const MAX_INSTANCES = 256;
const DEFAULT_WASM_MEMORY_BYTES = 1 << 30;
const WASM_PAGE = 65_536;
/** Large enough for any sane result, small enough that a guest cannot make the host copy its whole memory. */
const DEFAULT_MAX_VALUE_BYTES = 64 << 20;

function limitsOption(value: unknown, kind: 'wasm' | 'process'): PluginLimits {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('limits must be an object');
  const l = value as Record<string, unknown>;
  unknownKeys(l, kind === 'wasm' ? ['memoryBytes', 'maxActors', 'maxPendingCalls', 'maxValueBytes', 'logRecordsPerSecond'] : ['memoryBytes', 'maxActors', 'maxPendingCalls', 'cpuSeconds', 'logRecordsPerSecond'], `limits of a ${kind} plugin`);
  for (const key of Object.keys(l)) {
    const v = l[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && (v as number) > 0)) throw invalid(`limits.${key} must be a positive whole number, got ${show(v)}`);
  }
  if (kind === 'wasm' && l.memoryBytes !== undefined && ((l.memoryBytes as number) < WASM_PAGE || (l.memoryBytes as number) > 2 ** 32)) {
    throw invalid(`limits.memoryBytes of a wasm plugin must be from 64 KiB (one page) to 4 GiB, got ${show(l.memoryBytes)}`);
  }
  return l as PluginLimits;
}

function nodeLimits(s: Record<string, unknown>, limits: PluginLimits): Validated['limits'] {
  return {
    maxActors: limits.maxActors ?? 100_000,
    maxPendingCalls: limits.maxPendingCalls ?? 10_000,
    logRecordsPerSecond: limits.logRecordsPerSecond ?? 1_000,
    ...(has(s, 'timeoutMs') ? { defaultTimeoutMs: positive(s, 'timeoutMs', 0) } : {}),
  };
}

/** Restart policy and pool size; a pool's members restart by default (a crashed one is replaced). */
function supervision(s: Record<string, unknown>): { restart: RestartPolicy; instances: number } {
  const instances = s.instances ?? 1;
  if (!Number.isInteger(instances) || (instances as number) < 1 || (instances as number) > MAX_INSTANCES) {
    throw invalid(`instances must be a whole number from 1 to ${MAX_INSTANCES}, got ${show(instances)}`);
  }
  const restart = s.restart === undefined && (instances as number) > 1 ? { policy: 'permanent' } : s.restart;
  return { restart: validateRestart(restart), instances: instances as number };
}

function healthOption(value: unknown): Health {
  if (value === false) return undefined;
  if (value === undefined) return { intervalMs: 5_000, timeoutMs: 20_000 };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('health must be an object or false');
  const h = value as Record<string, unknown>;
  unknownKeys(h, ['intervalMs', 'timeoutMs'], 'health');
  const intervalMs = positive(h, 'intervalMs', 5_000);
  const timeoutMs = positive(h, 'timeoutMs', Math.max(20_000, 2 * intervalMs));
  if (timeoutMs <= intervalMs) throw invalid(`health.timeoutMs must be longer than health.intervalMs (${intervalMs}), got ${timeoutMs}`);
  return { intervalMs, timeoutMs };
}

function importsOption(value: unknown): HostImports {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw invalid(`imports must be an object keyed by interface name, got ${show(value)}`);
  return value as HostImports;
}

function positive(s: Record<string, unknown>, key: string, fallback: number): number {
  const v = s[key];
  if (v === undefined) return fallback;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw invalid(`${key} must be a positive number, got ${show(v)}`);
  return v;
}

/** `{ key: value }`, or nothing for an option left out (specs keep `exactOptionalPropertyTypes` honest). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function has(s: Record<string, unknown>, key: string): boolean {
  return s[key] !== undefined;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return 'a Uint8Array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

function invalid(message: string): PluginHostError {
  return new PluginHostError('ERR_INVALID_OPTION', message);
}

/**
 * What both wasm transports (inline and worker) do first: check grants, read and compile
 * the component (once per process and content, and through the persistent cache when the
 * system has one), and bind every import the component has.
 */
import { readFile } from 'node:fs/promises';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { lookupImport, type HostImports } from '../../../common/host-objects.js';
import { LOG_INTERFACE, logImport } from '../../capabilities/host-log.js';
import { isSupportedWasiImport, validateGrants, type WasiGrants } from '../../capabilities/wasi/grant-rules.js';
import { wasiFor } from '../../capabilities/wasi/lazy.js';
import { missingImports } from '../../component/host-imports.js';
import { hostImportResolver } from '../../component/host-imports.js';
import { checkIntegrity, type Integrity, type IntegrityPolicy } from '../../integrity/index.js';
import type { CompiledComponent, CompileOptions } from '../../component/instantiate.js';
import type { Logger } from '../../system/node-connection.js';
import { compileCached } from './compiled-cache.js';
import { checkContract, expectedWorld } from './contract.js';
import type { ComponentCache } from './persistent-cache.js';

/** A validated wasm plugin spec (see `validatePluginSpec`). */
export interface WasmLaunchOptions {
  /** A path to a `.wasm` component, or its bytes. */
  readonly wasm: string | Uint8Array;
  readonly grants?: WasiGrants;
  readonly imports: HostImports;
  readonly integrity?: Integrity;
  /** The world the component must implement, from the application's WIT (docs/security.md). */
  readonly wit?: string;
  readonly world?: string;
  /** Bytes each linear memory may grow to (`memory.grow` past it returns -1). */
  readonly memoryBytes?: number;
  /** Inline: the core modules check fuel, so a call that overruns its deadline is interrupted (`component/fuel.ts`). */
  readonly interruptible?: boolean;
  /** Bytes one string or list the guest hands the host may span; more is ERR_LIMIT. */
  readonly maxValueBytes?: number;
  /** Milliseconds instantiation (start functions included) may take; past it the load fails with ERR_TIMEOUT. */
  readonly startTimeoutMs?: number;
}

/**
 * Reads, checks and compiles a component (the compile step caches can shorten). The bytes
 * checked are the bytes compiled and, for a worker, the bytes sent to it: the file is read
 * once.
 */
export async function loadCompiled(wasm: string | Uint8Array, plugin: string, cache?: ComponentCache,
  integrity?: Integrity, policy: IntegrityPolicy = {}, options: CompileOptions = {}): Promise<{ compiled: CompiledComponent; bytes: Uint8Array }> {
  let bytes: Uint8Array;
  if (typeof wasm === 'string') {
    try {
      bytes = await readFile(wasm);
    } catch (cause) {
      throw new PluginHostError('ERR_LOAD_FAILED', `cannot read ${wasm}: ${(cause as Error).message}`, { cause, plugin });
    }
  } else {
    // Already a private copy (validatePluginSpec takes it): what is checked is what is compiled.
    bytes = wasm;
  }
  checkIntegrity(bytes, integrity, policy, plugin, typeof wasm === 'string' ? wasm : 'the component bytes');
  try {
    return { compiled: await (cache ? cache.compile(bytes, plugin, options) : compileCached(bytes, undefined, options)), bytes };
  } catch (e) {
    if (isPluginHostError(e)) {
      Object.assign(e, { plugin });
      throw e;
    }
    throw new PluginHostError('ERR_COMPONENT_INVALID', `${plugin}: ${(e as Error).message}`, { cause: e, plugin });
  }
}

/**
 * Every WASI 0.2.x interface is provided (denying what is not granted); the application's
 * `imports` take precedence over it. WASI 0.3 imports are refused: nothing here implements them.
 */
export async function prepareComponent(plugin: string, options: WasmLaunchOptions, logger: Logger, componentCache?: ComponentCache, policy: IntegrityPolicy = {}) {
  const grants = validateGrants(options.grants);
  const expected = await expectedWorld(options);
  const { compiled, bytes } = await loadCompiled(options.wasm, plugin, componentCache, options.integrity, policy, { interruptible: options.interruptible === true });
  const unsupported = compiled.imports.filter((i) => !isSupportedWasiImport(i.name) && lookupImport(options.imports, i.name) === undefined);
  if (unsupported.length > 0) {
    throw new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${unsupported.map((i) => i.name).join(', ')}; this host implements WASI 0.2.x only`, { plugin });
  }
  const wasi = await wasiFor(grants, plugin, logger, compiled.imports.map((i) => i.name));
  const imports: HostImports = { [LOG_INTERFACE]: logImport(logger, plugin), ...wasi.imports, ...options.imports };
  const missing = missingImports(compiled, imports);
  if (missing.length > 0) {
    wasi.close();
    throw new PluginHostError('ERR_IMPORT_MISSING', `plugin ${plugin} imports ${missing.join(', ')}, which the host does not provide`, { plugin });
  }
  if (expected) {
    try {
      checkContract(plugin, compiled, hostImportResolver(imports, plugin), expected);
    } catch (e) {
      wasi.close();
      throw e;
    }
  }
  return { grants, compiled, bytes, wasi, imports };
}


/**
 * The persistent component cache: one file per component, named by the component's sha256,
 * holding its parsed definitions and the glue templates of its call sites. A fresh process
 * that finds the file skips parsing and code generation for that component. (Compiled core
 * modules cannot be kept: V8 does not serialize WebAssembly.Module outside a process.)
 *
 * Safe to share: entries are written to a temporary file and renamed into place (readers see
 * a whole old file or a whole new one, never a mix); two hosts writing the same entry write
 * the same content. A file that is truncated, tampered with, from another runtime version,
 * or for other bytes is detected by its header and checksum, ignored, and rewritten.
 *
 * Trust: templates are JavaScript source the host compiles. The checksum catches damage, not
 * an attacker; the directory must be as trusted as the host's own code (like node_modules).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Definition } from '../../component/binary/ast.js';
import { isTemplate, type Template } from '../../component/canon/templates.js';
import type { CompiledComponent, CompileOptions } from '../../component/instantiate.js';
import { packageVersion } from '../../../common/package-files.js';
import type { Logger } from '../../system/node-connection.js';
import { compileCached, compiledInMemory, sha256 } from './compiled-cache.js';

// 2: definitions carry byte offsets and decoded core types (the validator reads both).
// 3: lowered host imports mark their instance as entered while the host runs.
const FORMAT = 'plugin-actors-component/3';

/** The first line of an entry; the rest of the file is the body as JSON. */
interface Header {
  readonly format: string;
  readonly runtime: string;
  readonly component: string;
  /** sha256 of the rest of the file (the body's JSON text). */
  readonly checksum: string;
}

interface Body {
  /** With each core module's bytes replaced by `length` (they are `at` in the component). */
  readonly definitions: unknown[];
  readonly templates: Record<string, Template>;
}

export type CacheRead =
  | { readonly status: 'hit'; readonly definitions: Definition[]; readonly templates: Map<string, Template> }
  | { readonly status: 'miss' }
  | { readonly status: 'corrupt'; readonly why: string };

function entryPath(dir: string, digest: string): string {
  return join(dir, `${digest}.json`);
}

function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads the entry for `bytes` (whose sha256 is `digest`). */
export function readEntry(dir: string, digest: string, bytes: Uint8Array): Promise<CacheRead> {
  let text: string;
  try {
    // Entries are read once per component per process; a synchronous read costs less than
    // the thread-pool round trips of an asynchronous one.
    text = readFileSync(entryPath(dir, digest), 'utf8');
  } catch {
    return Promise.resolve({ status: 'miss' });
  }
  const newline = text.indexOf('\n');
  let header: Header;
  let body: Body;
  try {
    header = JSON.parse(text.slice(0, newline)) as Header;
    if (header?.format !== FORMAT) return corrupt(dir, digest, 'unknown format');
    if (header.runtime !== packageVersion()) return corrupt(dir, digest, `written by runtime ${String(header.runtime)}`);
    if (header.component !== digest) return corrupt(dir, digest, 'written for other bytes');
    const rest = text.slice(newline + 1);
    if (newline < 0 || checksumOf(rest) !== header.checksum) return corrupt(dir, digest, 'checksum mismatch');
    body = JSON.parse(rest) as Body;
  } catch {
    return corrupt(dir, digest, 'not valid JSON');
  }
  if (typeof body?.templates !== 'object' || body.templates === null || !Array.isArray(body.definitions)) {
    return corrupt(dir, digest, 'incomplete entry');
  }
  const templates = new Map<string, Template>();
  for (const [key, t] of Object.entries(body.templates)) {
    if (!isTemplate(t)) return corrupt(dir, digest, `malformed template ${key}`);
    templates.set(key, t);
  }
  const definitions = body.definitions as Definition[];
  if (!restoreModules(definitions, bytes)) return corrupt(dir, digest, 'core module out of range');
  return Promise.resolve({ status: 'hit', definitions, templates });
}

/** Points each stored core module back at its bytes in the component. */
function restoreModules(definitions: Definition[], bytes: Uint8Array): boolean {
  for (const d of definitions) {
    if (d.kind === 'core module') {
      const { at, length } = d as unknown as { at: number; length: number };
      if (!Number.isSafeInteger(at) || !Number.isSafeInteger(length) || at < 0 || length < 0 || at + length > bytes.length) return false;
      (d as { bytes: Uint8Array }).bytes = bytes.subarray(at, at + length);
      delete (d as { length?: number }).length;
    } else if (d.kind === 'component') {
      if (!Array.isArray(d.body) || !restoreModules(d.body, bytes)) return false;
    }
  }
  return true;
}

async function corrupt(dir: string, digest: string, why: string): Promise<CacheRead> {
  await rm(entryPath(dir, digest), { force: true }).catch(() => {});
  return { status: 'corrupt', why };
}

/** Writes an entry atomically; failures (read-only disk, races) never fail a load. */
export async function writeEntry(dir: string, digest: string, definitions: readonly Definition[], templates: ReadonlyMap<string, Template>): Promise<boolean> {
  const body = JSON.stringify({ definitions, templates: Object.fromEntries(templates) },
    (_key, value: unknown) => (isCoreModule(value) ? { kind: value.kind, at: value.at, length: value.bytes.length } : value));
  const header: Header = { format: FORMAT, runtime: packageVersion(), component: digest, checksum: checksumOf(body) };
  const target = entryPath(dir, digest);
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, `${JSON.stringify(header)}\n${body}`);
    await rename(temp, target);
    return true;
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    return false;
  }
}

function isCoreModule(value: unknown): value is Extract<Definition, { kind: 'core module' }> {
  return typeof value === 'object' && value !== null && (value as Definition).kind === 'core module';
}

/**
 * The persistent component cache of one actor system. `compile` stands in for the in-memory
 * compiled cache: a component this process has not compiled is looked up on disk first, and
 * its templates seed the compiled component; `save` writes back what instantiation added.
 */
export class ComponentCache {
  private readonly saved = new WeakMap<CompiledComponent, number>();
  /** The sha256 of each compiled component this cache handed out (its entry's name). */
  private readonly digests = new WeakMap<CompiledComponent, string>();

  constructor(readonly dir: string, private readonly logger: Logger) {}

  async compile(bytes: Uint8Array, plugin: string, options: CompileOptions = {}): Promise<CompiledComponent> {
    const digest = sha256(bytes);
    const compiled = await this.#compile(bytes, digest, plugin, options);
    this.digests.set(compiled, digest);
    return compiled;
  }

  // Entries hold definitions and glue, which fuel checks do not change: one entry serves both.
  async #compile(bytes: Uint8Array, digest: string, plugin: string, options: CompileOptions): Promise<CompiledComponent> {
    const inMemory = compiledInMemory(bytes, options);
    if (inMemory) return inMemory;
    const found = await readEntry(this.dir, digest, bytes);
    const detail = found.status === 'corrupt' ? ` (entry discarded: ${found.why})` : '';
    this.logger.debug(`component cache ${found.status} for ${digest.slice(0, 12)}${detail}`, { plugin });
    if (found.status !== 'hit') return compileCached(bytes, undefined, options);
    const compiled = await compileCached(bytes, found.definitions, options);
    const templates = compiled.templates;
    if (templates && !this.saved.has(compiled)) {
      for (const [key, t] of found.templates) if (!templates.has(key)) templates.set(key, t);
      this.saved.set(compiled, templates.size);
    }
    return compiled;
  }

  /** Writes the component's entry if its templates outgrew what the cache holds. */
  async save(compiled: CompiledComponent, plugin: string): Promise<void> {
    const templates = compiled.templates;
    const digest = this.digests.get(compiled);
    if (!templates || !digest || templates.size <= (this.saved.get(compiled) ?? 0)) return;
    this.saved.set(compiled, templates.size);
    const written = await writeEntry(this.dir, digest, compiled.definitions, templates);
    this.logger.debug(`component cache ${written ? 'wrote' : 'could not write'} ${templates.size} templates for ${digest.slice(0, 12)}`, { plugin });
  }
}

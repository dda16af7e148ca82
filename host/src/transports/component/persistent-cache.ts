/**
 * The persistent cache of generated glue: one file per component, named by the component's
 * sha256, holding the templates of its call sites. A fresh process that finds the file skips
 * code generation for that component.
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
import { isTemplate, type Template } from '../../component/canon/templates.js';
import type { CompiledComponent } from '../../component/instantiate.js';
import { packageVersion } from '../../package-files.js';
import type { Logger } from '../transport.js';
import { digestOf } from './compiled-cache.js';

const FORMAT = 'plugin-actors-glue/1';

/** The first line of an entry; the rest of the file is the templates as JSON. */
interface Header {
  readonly format: string;
  readonly runtime: string;
  readonly component: string;
  /** sha256 of the rest of the file (the templates' JSON text). */
  readonly checksum: string;
}

export type CacheRead =
  | { readonly status: 'hit'; readonly templates: Map<string, Template> }
  | { readonly status: 'miss' }
  | { readonly status: 'corrupt'; readonly why: string };

function entryPath(dir: string, digest: string): string {
  return join(dir, `${digest}.json`);
}

function checksumOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function readTemplates(dir: string, digest: string): Promise<CacheRead> {
  let text: string;
  try {
    // Entries are small and read once per component; a synchronous read costs less than the
    // thread-pool round trips of an asynchronous one.
    text = readFileSync(entryPath(dir, digest), 'utf8');
  } catch {
    return { status: 'miss' };
  }
  const newline = text.indexOf('\n');
  let header: Header;
  let body: unknown;
  try {
    header = JSON.parse(text.slice(0, newline)) as Header;
    if (header?.format !== FORMAT) return corrupt(dir, digest, 'unknown format');
    if (header.runtime !== packageVersion()) return corrupt(dir, digest, `written by runtime ${String(header.runtime)}`);
    if (header.component !== digest) return corrupt(dir, digest, 'written for other bytes');
    const rest = text.slice(newline + 1);
    if (newline < 0 || checksumOf(rest) !== header.checksum) return corrupt(dir, digest, 'checksum mismatch');
    body = JSON.parse(rest);
  } catch {
    return corrupt(dir, digest, 'not valid JSON');
  }
  if (typeof body !== 'object' || body === null) return corrupt(dir, digest, 'no templates');
  const templates = new Map<string, Template>();
  for (const [key, t] of Object.entries(body)) {
    if (!isTemplate(t)) return corrupt(dir, digest, `malformed template ${key}`);
    templates.set(key, t);
  }
  return { status: 'hit', templates };
}

async function corrupt(dir: string, digest: string, why: string): Promise<CacheRead> {
  await rm(entryPath(dir, digest), { force: true }).catch(() => {});
  return { status: 'corrupt', why };
}

/** Writes an entry atomically; failures (read-only disk, races) never fail a load. */
export async function writeTemplates(dir: string, digest: string, templates: ReadonlyMap<string, Template>): Promise<boolean> {
  const body = JSON.stringify(Object.fromEntries(templates));
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

/**
 * The persistent glue cache of one actor system: seeds a compiled component's templates from
 * disk before its first instantiation, and writes them back when instantiation generated new
 * ones. A component compiled once per process is read and written at most once each.
 */
export class GlueCache {
  private readonly seeded = new WeakMap<CompiledComponent, Promise<void>>();
  private readonly saved = new WeakMap<CompiledComponent, number>();

  constructor(readonly dir: string, private readonly logger: Logger) {}

  seed(compiled: CompiledComponent, plugin: string): Promise<void> {
    let done = this.seeded.get(compiled);
    if (!done) {
      done = this.read(compiled, plugin);
      this.seeded.set(compiled, done);
    }
    return done;
  }

  private async read(compiled: CompiledComponent, plugin: string): Promise<void> {
    const templates = compiled.templates;
    const digest = digestOf(compiled);
    if (!templates || !digest) return;
    const found = await readTemplates(this.dir, digest);
    if (found.status === 'hit') {
      for (const [key, t] of found.templates) if (!templates.has(key)) templates.set(key, t);
      this.saved.set(compiled, templates.size);
    }
    const detail = found.status === 'corrupt' ? ` (entry discarded: ${found.why})` : '';
    this.logger.debug(`glue cache ${found.status} for ${digest.slice(0, 12)}${detail}`, { plugin });
  }

  /** Writes the component's templates if it has more than the cache holds. */
  async save(compiled: CompiledComponent, plugin: string): Promise<void> {
    const templates = compiled.templates;
    const digest = digestOf(compiled);
    if (!templates || !digest || templates.size <= (this.saved.get(compiled) ?? 0)) return;
    this.saved.set(compiled, templates.size);
    const written = await writeTemplates(this.dir, digest, templates);
    this.logger.debug(`glue cache ${written ? 'wrote' : 'could not write'} ${templates.size} templates for ${digest.slice(0, 12)}`, { plugin });
  }
}

/**
 * Finding a Rust toolchain that can build for `wasm32-unknown-unknown`. Debian's packages
 * and rustup both work; when rustup's rustc comes first on PATH without the wasm32 target,
 * Debian's `/usr/bin` toolchain is used instead.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PluginHostError } from '../../common/errors.js';

const run = promisify(execFile);

export const RUST_TARGET = 'wasm32-unknown-unknown';

export interface RustToolchain {
  readonly cargo: string;
  readonly rustc: string;
  readonly version: string;
}

export const INSTALL_HINT = 'Rust plugins need rustc and cargo with the wasm32-unknown-unknown standard library: '
  + 'on Debian or Ubuntu `apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14`; '
  + 'with rustup `rustup target add wasm32-unknown-unknown`';

const found = new Map<string, Promise<RustToolchain | undefined>>();

/**
 * The first toolchain that has the standard library for `target` (default
 * wasm32-unknown-unknown), or undefined. Setting `PLUGIN_ACTORS_CARGO` and
 * `PLUGIN_ACTORS_RUSTC` names the only one to use.
 */
export function findRustToolchain(target: string = RUST_TARGET): Promise<RustToolchain | undefined> {
  const { PLUGIN_ACTORS_CARGO: cargo, PLUGIN_ACTORS_RUSTC: rustc } = process.env;
  const candidates = cargo || rustc
    ? [{ cargo: cargo ?? 'cargo', rustc: rustc ?? 'rustc' }]
    : [{ cargo: 'cargo', rustc: 'rustc' }, { cargo: '/usr/bin/cargo', rustc: '/usr/bin/rustc' }];
  const key = JSON.stringify([target, candidates]);
  let result = found.get(key);
  if (!result) {
    result = search(candidates, target);
    found.set(key, result);
  }
  return result;
}

async function search(candidates: { cargo: string; rustc: string }[], target: string): Promise<RustToolchain | undefined> {
  for (const c of candidates) {
    try {
      const sysroot = (await run(c.rustc, ['--print', 'sysroot'])).stdout.trim();
      if (!existsSync(join(sysroot, 'lib', 'rustlib', target, 'lib'))) continue;
      await run(c.cargo, ['--version']);
      const version = (await run(c.rustc, ['--version'])).stdout.trim();
      return { ...c, version };
    } catch {
      // not installed here: try the next one
    }
  }
  return undefined;
}

export async function requireRustToolchain(): Promise<RustToolchain> {
  const toolchain = await findRustToolchain();
  if (!toolchain) throw new PluginHostError('ERR_TOOLCHAIN_MISSING', INSTALL_HINT);
  return toolchain;
}

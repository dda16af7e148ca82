// Builds the guest test plugins from source once per test run (the examples are built by
// `npm run build`). Rust components are rebuilt when a Rust toolchain is installed, into a
// temporary directory so tests never touch committed files; otherwise the committed
// components are used (test/guest-sdk/rust-components.test.ts checks they are current).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPlugin, silentReporter } from '../guest-sdk/build/index.js';
import { readManifest } from '../guest-sdk/build/manifest.js';
import { findRustToolchain } from '../guest-sdk/build/rust-toolchain.js';
import { RUST_PROJECTS } from './support/rust-projects.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Rust project directory → the component the tests load. */
    rustComponents: Record<string, string>;
    /** Whether `rustComponents` were built from source in this run. */
    rustBuiltFromSource: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const dir of ['test/fixtures/faults/assemblyscript', 'test/fixtures/links/store', 'examples/pipeline/assemblyscript', 'test/fixtures/links/front', 'test/fixtures/links/loop', 'test/fixtures/jco-imports/assemblyscript', 'test/fixtures/reexported-resource/assemblyscript', 'test/fixtures/trailing-options/assemblyscript', 'test/fixtures/wasi/assemblyscript', 'test/fixtures/world-functions/assemblyscript', 'test/runtime/kitchen-sink/assemblyscript']) {
    await buildPlugin(dir, { reporter: silentReporter });
  }
  const out = await mkdtemp(join(tmpdir(), 'plugin-actors-rust-'));
  const toolchain = await findRustToolchain();
  const components: Record<string, string> = {};
  for (const dir of RUST_PROJECTS) {
    if (toolchain) {
      components[dir] = (await buildPlugin(dir, { reporter: silentReporter, output: join(out, dir, 'plugin.wasm') })).output;
    } else {
      components[dir] = (await readManifest(dir)).output;
    }
  }
  if (!toolchain) process.stderr.write('note: no Rust toolchain with wasm32 found; Rust tests use the committed components\n');
  project.provide('rustComponents', components);
  project.provide('rustBuiltFromSource', toolchain !== undefined);
  return () => rm(out, { recursive: true, force: true });
}

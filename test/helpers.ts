// Shared helpers for tests: paths, a recording logger, plugin specs for both transports.
import { fileURLToPath } from 'node:url';
import { expect, inject } from 'vitest';
import { isPluginHostError } from '../common/errors.js';
import type { Logger } from '../host/index.js';

export const root = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));

export interface Recorded { level: string; message: string; fields?: Record<string, unknown> }

export function recordingLogger(): Logger & { records: Recorded[] } {
  const records: Recorded[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => { records.push({ level, message, ...(fields ? { fields } : {}) }); };
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const greeterSpecs = {
  wasm: { wasm: root('examples/greeter/assemblyscript/build/greeter.wasm') },
  /** The same world implemented in Rust (see test/global-setup.ts for where it comes from). */
  rust: { wasm: inject('rustComponents')['examples/greeter/rust']! },
  worker: { wasm: root('examples/greeter/assemblyscript/build/greeter.wasm'), isolation: 'worker' },
  process: {
    command: [process.execPath, root('dist/examples/greeter/node/plugin.js')],
    world: 'example:greeter/greeter',
    wit: root('examples/greeter/wit'),
  },
  /** The Python guest SDK's greeter (guest-sdk/python). */
  python: {
    command: ['python3', root('examples/greeter/python/plugin.py')],
    world: 'example:greeter/greeter',
    wit: root('examples/greeter/wit'),
  },
} as const;

/** The host side of the faults world's `slow-host` import (synchronous, for inline wasm). */
export const slowHost = { 'test:faults/slow-host': { wait: (ms: number) => ms } };

export const faultsSpecs = {
  wasm: { wasm: root('test/fixtures/faults/assemblyscript/build/faults.wasm'), imports: slowHost },
  rust: { wasm: inject('rustComponents')['test/fixtures/faults/rust']!, imports: slowHost },
  worker: { wasm: root('test/fixtures/faults/assemblyscript/build/faults.wasm'), imports: slowHost, isolation: 'worker' },
  process: { command: [process.execPath, root('test/fixtures/process/faults.mjs')], world: 'test:faults/faults', imports: slowHost },
} as const;

/** Waits until `predicate` holds (polling), for effects that arrive asynchronously (logs). */
export async function eventually(predicate: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The typed error `p` rejects with (it must reject with a PluginHostError). */
export async function hostRejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(isPluginHostError(e), String(e)).toBe(true);
  return e as { code: string; message: string };
}

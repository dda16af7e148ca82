// Specs of the links fixture (test/fixtures/links): providers, fronts and relays of every kind.
import type { PluginSpec } from '../../../host/index.js';
import { root } from '../../helpers.js';

export const STORE = 'test:links/store';
export const FRONT = 'test:links/front';

const storeWasm = root('test/fixtures/links/store/build/store.wasm');
const frontWasm = root('test/fixtures/links/front/build/front.wasm');
const nodePlugin = (role: string) => [process.execPath, root('test/fixtures/links/node-plugin.mjs'), role];

export type Kind = 'inline' | 'worker' | 'process';

/** A store provider of `kind`. */
export function storeSpec(name: string, kind: Kind): PluginSpec {
  if (kind === 'process') return { name, command: nodePlugin('store') };
  return { name, wasm: storeWasm, isolation: kind };
}

/** A front of `kind` whose store import is bound to `store`. */
export function frontSpec(name: string, kind: Kind, store: unknown): PluginSpec {
  const imports = { [STORE]: store };
  if (kind === 'process') return { name, command: nodePlugin('front'), imports };
  return { name, wasm: frontWasm, isolation: kind, imports };
}

/** A subprocess passing store calls on to `store`. */
export function relaySpec(name: string, store: unknown): PluginSpec {
  return { name, command: nodePlugin('relay'), imports: { [STORE]: store } };
}

/** A subprocess passing front calls on to `front`. */
export function entrySpec(name: string, front: unknown): PluginSpec {
  return { name, command: nodePlugin('entry'), imports: { [FRONT]: front } };
}

export interface Front {
  add(a: number, b: number, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<number>;
  put(key: string, value: string): Promise<void>;
  fetch(key: string): Promise<string | undefined>;
  bucketRoundtrip(name: string, key: string, value: string): Promise<string>;
  fail(depth: number, how: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<number>;
}

/** A store whose `add` calls back into `front` (re-entrance), as a subprocess or inline wasm. */
export function loopSpec(name: string, front: unknown, kind: 'process' | 'inline' = 'process'): PluginSpec {
  if (kind === 'inline') return { name, wasm: root('test/fixtures/links/loop/build/loop.wasm'), imports: { [FRONT]: front } };
  return { name, command: nodePlugin('loop'), imports: { [FRONT]: front } };
}

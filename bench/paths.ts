/** Where the benchmark plugins are, and a logger that keeps the output to the table. */
import { fileURLToPath } from 'node:url';
import type { Logger } from '../host/index.js';

export const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const benchWasm = repo('bench/plugins/assemblyscript/build/bench.wasm');
export const benchNodePlugin = repo('dist/bench/plugins/node/plugin.js');
export const benchWit = repo('bench/plugins/wit');

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => process.stderr.write(`${m}\n`) };
/** The same `greet` as an Extism plugin (built by `npm run bench` from bench/plugins/extism). */
export const extismGreetWasm = repo('bench/plugins/extism/build/greet.wasm');

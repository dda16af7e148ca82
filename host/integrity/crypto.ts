/**
 * `node:crypto`, loaded on first use: importing it costs a fresh process 10–18 ms here, and
 * an application that pins nothing and trusts no keys never needs it (docs/performance.md).
 */
import { createRequire } from 'node:module';

let loaded: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}

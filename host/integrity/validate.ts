/** The `integrity` key of a plugin spec, checked without I/O (part of `validatePluginSpec`). */
import { PluginHostError } from '../../common/errors.js';
import type { Integrity } from './check.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * @param kind wasm plugins are covered by their bytes; a process plugin names the file (`path`)
 * @throws ERR_INVALID_OPTION
 */
export function validateIntegrity(value: unknown, kind: 'wasm' | 'process'): Integrity | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('integrity must be an object { sha256?, signature?, path? }');
  const v = value as Record<string, unknown>;
  const known = kind === 'wasm' ? ['sha256', 'signature'] : ['sha256', 'signature', 'path'];
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) {
      const hint = key === 'path' ? ' (a wasm plugin is pinned by its own bytes)' : '';
      throw invalid(`${JSON.stringify(key)} is not an option of integrity for a ${kind} plugin${hint} (options: ${known.join(', ')})`);
    }
  }
  const { sha256, signature, path } = v;
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))) {
    throw invalid(`integrity.sha256 must be 64 lowercase hex digits, got ${typeof sha256 === 'string' ? JSON.stringify(sha256) : typeof sha256}`);
  }
  if (signature !== undefined && (typeof signature !== 'string' || !BASE64.test(signature.replace(/\s+/g, '')))) {
    throw invalid('integrity.signature must be a base64 ed25519 signature');
  }
  if (path !== undefined && (typeof path !== 'string' || path === '')) throw invalid('integrity.path must be a file path');
  if (kind === 'process' && path === undefined && (sha256 !== undefined || signature !== undefined)) {
    throw invalid('integrity for a process plugin needs path: the program file its sha256 and signature cover');
  }
  if (kind === 'process' && path !== undefined && sha256 === undefined && signature === undefined) {
    throw invalid('integrity.path needs integrity.sha256 or integrity.signature (or both)');
  }
  return {
    ...(sha256 !== undefined ? { sha256: sha256 as string } : {}),
    ...(signature !== undefined ? { signature: signature as string } : {}),
    ...(path !== undefined ? { path: path as string } : {}),
  };
}

function invalid(message: string): PluginHostError {
  return new PluginHostError('ERR_INVALID_OPTION', message);
}

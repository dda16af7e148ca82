/**
 * ed25519 keys as text: PEM, or base64 of the DER form (SPKI for public keys, PKCS#8 for
 * private ones), so a key fits in an environment variable or a JSON file. Anything that is
 * not an ed25519 key is refused: a signature from another algorithm is no signature here.
 */
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from './crypto.js';
import { PluginHostError } from '../../common/errors.js';

export function publicKeyFrom(text: string): KeyObject {
  return ed25519(text, 'public', () => (isPem(text)
    ? nodeCrypto().createPublicKey(text)
    : nodeCrypto().createPublicKey({ key: base64Bytes(text), format: 'der', type: 'spki' })));
}

export function privateKeyFrom(text: string): KeyObject {
  return ed25519(text, 'private', () => (isPem(text)
    ? nodeCrypto().createPrivateKey(text)
    : nodeCrypto().createPrivateKey({ key: base64Bytes(text), format: 'der', type: 'pkcs8' })));
}

function ed25519(text: unknown, kind: 'public' | 'private', parse: () => KeyObject): KeyObject {
  if (typeof text !== 'string' || text.trim() === '') throw invalidKey(kind, 'it is not a non-empty string');
  let key: KeyObject;
  try {
    key = parse();
  } catch (cause) {
    throw invalidKey(kind, (cause as Error).message, cause);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw invalidKey(kind, `it is a ${key.asymmetricKeyType ?? 'symmetric'} key`);
  return key;
}

function isPem(text: string): boolean {
  return text.includes('-----BEGIN');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict base64 (Node's decoder skips junk silently, which would hide a mangled key or signature). */
export function base64Bytes(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 !== 0) throw new Error('not base64');
  return Buffer.from(compact, 'base64');
}

function invalidKey(kind: string, why: string, cause?: unknown): PluginHostError {
  return new PluginHostError('ERR_INVALID_OPTION', `not an ed25519 ${kind} key (PEM or base64 DER): ${why}`, cause === undefined ? {} : { cause });
}

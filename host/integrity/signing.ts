/**
 * Detached ed25519 signatures over a plugin's bytes (the `.wasm` file, or the program file
 * a process plugin pins). The library functions behind `PluginSpec.integrity.signature`
 * and `ActorSystemOptions.trustedKeys`; the CLI wraps them.
 */
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from './crypto.js';
import { PluginHostError } from '../../common/errors.js';
import { base64Bytes, privateKeyFrom, publicKeyFrom } from './keys.js';

const SIGNATURE_BYTES = 64;

/** A new ed25519 key pair, as PEM (SPKI public key, PKCS#8 private key). */
export function generateSigningKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = nodeCrypto().generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

/**
 * The detached signature of `bytes`, base64.
 * @throws ERR_INVALID_OPTION when `privateKey` is not an ed25519 private key
 */
export function signPluginBytes(bytes: Uint8Array, privateKey: string): string {
  if (!(bytes instanceof Uint8Array)) throw new PluginHostError('ERR_INVALID_OPTION', 'signPluginBytes signs a Uint8Array');
  return nodeCrypto().sign(null, bytes, privateKeyFrom(privateKey)).toString('base64');
}

/**
 * Whether `signature` (base64) is a valid signature of `bytes` by one of `publicKeys`.
 * A malformed signature is simply not valid.
 * @throws ERR_INVALID_OPTION when a public key is not an ed25519 public key
 */
export function verifyPluginBytes(bytes: Uint8Array, signature: string, publicKeys: readonly string[]): boolean {
  return verifyWith(bytes, signature, publicKeys.map(publicKeyFrom));
}

/** `verifyPluginBytes` with keys parsed once (the system parses its trusted keys at construction). */
export function verifyWith(bytes: Uint8Array, signature: string, keys: readonly KeyObject[]): boolean {
  if (!(bytes instanceof Uint8Array)) throw new PluginHostError('ERR_INVALID_OPTION', 'verifyPluginBytes verifies a Uint8Array');
  const raw = signatureBytes(signature);
  if (!raw) return false;
  return keys.some((key) => nodeCrypto().verify(null, bytes, key, raw));
}

function signatureBytes(signature: unknown): Buffer | undefined {
  if (typeof signature !== 'string') return undefined;
  try {
    const raw = base64Bytes(signature);
    return raw.length === SIGNATURE_BYTES ? raw : undefined;
  } catch {
    return undefined;
  }
}

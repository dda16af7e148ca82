/**
 * The signing functions the CLI wraps. They are the library's (`host/integrity/`, the
 * security issue's contract): ed25519 detached signatures, base64, over the plugin's bytes;
 * keys PEM or base64 SPKI.
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export function generateSigningKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function signPluginBytes(bytes: Uint8Array, privateKey: string): string {
  return sign(null, bytes, privateKey).toString('base64');
}

function publicKeyOf(text: string): KeyObject {
  return text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}

export function verifyPluginBytes(bytes: Uint8Array, signature: string, publicKeys: readonly string[]): boolean {
  const sig = Buffer.from(signature, 'base64');
  return publicKeys.some((k) => {
    try {
      return verify(null, bytes, publicKeyOf(k), sig);
    } catch {
      return false;
    }
  });
}

/**
 * The integrity check a transport makes before any plugin code runs: the pinned digest,
 * then the signature when the system trusts keys. It is given the bytes themselves — the
 * very bytes that are compiled next (wasm) or the program file as read just before spawning
 * (process) — so nothing is read twice between check and use.
 */
import type { KeyObject } from 'node:crypto';
import { PluginHostError } from '../../common/errors.js';
import { sha256Hex } from './digest.js';
import { verifyWith } from './signing.js';

export interface Integrity {
  /** sha256 of the bytes, lowercase hex. */
  readonly sha256?: string;
  /** Detached ed25519 signature of the bytes, base64. */
  readonly signature?: string;
  /** Process plugins: the file the digest and signature cover. */
  readonly path?: string;
}

/** What the system brings to every check: its trusted keys, parsed (none: signatures are not required). */
export interface IntegrityPolicy {
  readonly trustedKeys?: readonly KeyObject[];
}

/**
 * @param what names the bytes in errors, e.g. `greeter.wasm`
 * @throws ERR_INTEGRITY when the digest differs; ERR_SIGNATURE when a required signature is
 *   missing or invalid, or a signature is given that no trusted key can check
 */
export function checkIntegrity(bytes: Uint8Array, integrity: Integrity | undefined, policy: IntegrityPolicy, plugin: string, what: string): void {
  if (integrity?.sha256 !== undefined) {
    const actual = sha256Hex(bytes);
    if (actual !== integrity.sha256) {
      throw new PluginHostError('ERR_INTEGRITY', `plugin ${plugin}: ${what} has sha256 ${actual}, the spec pins ${integrity.sha256}`, { plugin });
    }
  }
  const keys = policy.trustedKeys;
  if (!keys || keys.length === 0) {
    // A signature nobody checks would look like protection and be none.
    if (integrity?.signature !== undefined) {
      throw new PluginHostError('ERR_SIGNATURE', `plugin ${plugin} is signed, but the ActorSystem has no trustedKeys to check the signature with`, { plugin });
    }
    return;
  }
  if (integrity?.signature === undefined) {
    throw new PluginHostError('ERR_SIGNATURE', `plugin ${plugin} is not signed (integrity.signature), and the ActorSystem only runs plugins signed by its trustedKeys`, { plugin });
  }
  if (!verifyWith(bytes, integrity.signature, keys)) {
    throw new PluginHostError('ERR_SIGNATURE', `plugin ${plugin}: the signature of ${what} is not valid for any of the ActorSystem's trustedKeys`, { plugin });
  }
}

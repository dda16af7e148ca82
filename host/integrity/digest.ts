/** The content digest plugins are pinned by: sha256, as lowercase hex. */
import { nodeCrypto } from './crypto.js';

export function sha256Hex(bytes: Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(bytes).digest('hex');
}

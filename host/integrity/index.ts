// Integrity of plugin bytes: sha256 pins and ed25519 signatures (docs/security.md).
export { sha256Hex } from './digest.js';
export { generateSigningKeys, signPluginBytes, verifyPluginBytes } from './signing.js';
export { checkIntegrity, type Integrity, type IntegrityPolicy } from './check.js';
export { validateIntegrity } from './validate.js';
export { publicKeyFrom } from './keys.js';

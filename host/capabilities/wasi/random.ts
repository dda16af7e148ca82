/**
 * `wasi:random` (`random`, `insecure`, `insecure-seed`). Granted (`random: true`): bytes
 * from the host's CSPRNG. Ungranted: every byte and number is zero. The interfaces have no
 * error results, so denying cannot be an error; zeros keep plugins that only seed a hash
 * map working, and are plainly not random. Plugins that need real entropy must be granted.
 *
 * One call returns at most `MAX_RANDOM_BYTES`; asking for more is a guest fault (the
 * plugin traps) rather than a host allocation of the guest's choosing.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

export const MAX_RANDOM_BYTES = 1 << 26;

function length(len: bigint): number {
  if (len > BigInt(MAX_RANDOM_BYTES)) throw new RangeError(`the plugin asked for ${len} random bytes; one call returns at most ${MAX_RANDOM_BYTES}`);
  return Number(len);
}

export function randomInterfaces(granted: boolean): Record<string, object> {
  const bytes = granted ? (len: bigint) => randomFillSync(new Uint8Array(length(len))) : (len: bigint) => new Uint8Array(length(len));
  const u64 = granted ? () => randomBytes(8).readBigUInt64LE() : () => 0n;
  return {
    'wasi:random/random': { getRandomBytes: bytes, getRandomU64: u64 },
    'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: u64 },
    'wasi:random/insecure-seed': { insecureSeed: (): [bigint, bigint] => [u64(), u64()] },
  };
}

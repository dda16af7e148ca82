/**
 * Host `stat` results in WASI's shapes: `descriptor-type`, `descriptor-stat` and the
 * `metadata-hash-value` that tells guests whether two paths are the same file. The hash is
 * keyed with a secret of this host process, so plugins learn no device or inode numbers.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { BigIntStats, Dirent } from 'node:fs';
import { fail } from './errors.js';

export type DescriptorType =
  | 'unknown' | 'block-device' | 'character-device' | 'directory' | 'fifo' | 'symbolic-link' | 'regular-file' | 'socket';

interface Datetime { seconds: bigint; nanoseconds: number }

export interface DescriptorStat {
  type: DescriptorType;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp: Datetime;
  dataModificationTimestamp: Datetime;
  statusChangeTimestamp: Datetime;
}

/** What `Stats` and `Dirent` both answer. */
type Kind = Pick<BigIntStats & Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

export function typeOf(kind: Kind): DescriptorType {
  if (kind.isFile()) return 'regular-file';
  if (kind.isDirectory()) return 'directory';
  if (kind.isSymbolicLink()) return 'symbolic-link';
  if (kind.isFIFO()) return 'fifo';
  if (kind.isSocket()) return 'socket';
  if (kind.isCharacterDevice()) return 'character-device';
  if (kind.isBlockDevice()) return 'block-device';
  return 'unknown';
}

const datetime = (ns: bigint): Datetime => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });

export function descriptorStat(stat: BigIntStats): DescriptorStat {
  return {
    type: typeOf(stat),
    linkCount: stat.nlink,
    size: stat.size,
    dataAccessTimestamp: datetime(stat.atimeNs),
    dataModificationTimestamp: datetime(stat.mtimeNs),
    statusChangeTimestamp: datetime(stat.ctimeNs),
  };
}

/** A file offset as Node takes it. @throws FsError `file-too-large` beyond 2^53 (no host file gets there) */
export function filePosition(offset: bigint): number {
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) fail('file-too-large');
  return Number(offset);
}

const secret = randomBytes(32);

export function metadataHash(stat: BigIntStats): { lower: bigint; upper: bigint } {
  const digest = createHmac('sha256', secret).update(`${stat.dev}:${stat.ino}`).digest();
  return { lower: digest.readBigUInt64LE(0), upper: digest.readBigUInt64LE(8) };
}

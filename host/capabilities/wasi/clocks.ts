/**
 * `wasi:clocks`. Granted (`clocks: true`): the monotonic clock counts nanoseconds from the
 * plugin's start, the wall clock is the host's, and waiting on a clock's pollable blocks
 * the calling thread (inline: the host's own thread). Ungranted, time does not pass: the
 * monotonic clock stays at 0, the wall clock reads the Unix epoch, and every clock
 * pollable is ready at once, so a plugin that sleeps never waits.
 *
 * `wasi:clocks/timezone` (unstable in WASI 0.2) always answers UTC: the host's time zone
 * is not the plugin's business.
 */
import { Pollable } from './io/poll.js';

interface Datetime { seconds: bigint; nanoseconds: number }

const EPOCH: Datetime = { seconds: 0n, nanoseconds: 0 };

export function clockInterfaces(granted: boolean): Record<string, object> {
  return {
    'wasi:clocks/monotonic-clock': granted ? grantedMonotonic() : deniedMonotonic,
    'wasi:clocks/wall-clock': granted ? grantedWall : deniedWall,
    'wasi:clocks/timezone': timezone,
  };
}

function grantedMonotonic() {
  const start = process.hrtime.bigint();
  return {
    now: (): bigint => process.hrtime.bigint() - start,
    resolution: (): bigint => 1n,
    subscribeInstant: (when: bigint): Pollable => new Pollable(start + when),
    subscribeDuration: (duration: bigint): Pollable => new Pollable(process.hrtime.bigint() + duration),
  };
}

const deniedMonotonic = {
  now: (): bigint => 0n,
  resolution: (): bigint => 1n,
  subscribeInstant: (): Pollable => new Pollable(0n),
  subscribeDuration: (): Pollable => new Pollable(0n),
};

const grantedWall = {
  now: (): Datetime => {
    const ns = BigInt(Date.now()) * 1_000_000n;
    return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
  },
  resolution: (): Datetime => ({ seconds: 0n, nanoseconds: 1_000_000 }),
};

const deniedWall = {
  now: (): Datetime => ({ ...EPOCH }),
  resolution: (): Datetime => ({ seconds: 0n, nanoseconds: 1_000_000 }),
};

const timezone = {
  display: (): { utcOffset: number; name: string; inDaylightSavingTime: boolean } => ({ utcOffset: 0, name: 'UTC', inDaylightSavingTime: false }),
  utcOffset: (): number => 0,
};

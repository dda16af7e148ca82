/**
 * `wasi:io/poll`. A pollable here is either always ready (streams: every host stream is
 * synchronous, so a read or write never has to wait) or ready from a point in time on
 * (clocks). Waiting blocks the calling thread: guests call `block` and `poll` from inside a
 * synchronous wasm call, so there is no event loop to return to.
 */

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** `wasi:io/poll.pollable`: ready once `readyAt` (a `process.hrtime.bigint()` time) has passed. */
export class Pollable {
  constructor(private readonly readyAt: bigint = 0n) {}

  ready(): boolean {
    return this.readyAt === 0n || process.hrtime.bigint() >= this.readyAt;
  }

  block(): void {
    for (;;) {
      const wait = this.readyAt - process.hrtime.bigint();
      if (this.readyAt === 0n || wait <= 0n) return;
      // Atomics.wait takes milliseconds; round up so a wake-up is never early.
      Atomics.wait(sleeper, 0, 0, Number((wait + 999_999n) / 1_000_000n));
    }
  }

  /** When it becomes ready (0n: already). */
  get deadline(): bigint {
    return this.readyAt;
  }
}

/** A pollable that is ready now (what every stream's `subscribe` returns). */
export function readyPollable(): Pollable {
  return new Pollable(0n);
}

/** `poll`: the indices of the ready pollables, waiting for the earliest one if none is. */
export function poll(list: Pollable[]): Uint32Array {
  if (list.length === 0) throw new TypeError('wasi:io/poll.poll needs at least one pollable');
  const readyNow = () => list.flatMap((p, i) => (p.ready() ? [i] : []));
  let ready = readyNow();
  if (ready.length === 0) {
    let earliest = list[0]!;
    for (const p of list) if (p.deadline < earliest.deadline) earliest = p;
    earliest.block();
    ready = readyNow();
  }
  return Uint32Array.from(ready);
}

/** The import object of `wasi:io/poll`. */
export const pollInterface = { Pollable, poll };

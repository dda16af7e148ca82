// Streams bound what a guest can make the host allocate: reads are capped whatever length
// is asked, writes beyond what check-write permits fail instead of being taken.
import { describe, expect, it } from 'vitest';
import { IoError } from '../../../../../host/capabilities/wasi/io/error.js';
import { InputStream, MAX_READ_BYTES, OutputStream, WRITE_PERMIT_BYTES, type ByteSource } from '../../../../../host/capabilities/wasi/io/streams.js';

const payload = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { payload: unknown }).payload;
  }
};

describe('InputStream', () => {
  it('asks its source for at most MAX_READ_BYTES however much the guest wants', () => {
    const asked: number[] = [];
    const source: ByteSource = { read: (max) => (asked.push(max), new Uint8Array(1)) };
    new InputStream(source).read(2n ** 64n - 1n);
    expect(asked).toEqual([MAX_READ_BYTES]);
  });

  it('reports the end as closed, and runs its release once when dropped', () => {
    let released = 0;
    const stream = new InputStream({ read: () => undefined }, () => released++);
    expect(payload(() => stream.read(1n))).toEqual({ tag: 'closed' });
    stream[Symbol.dispose]();
    stream[Symbol.dispose]();
    expect(released).toBe(1);
  });
});

describe('OutputStream', () => {
  it('refuses writes, zeroes and splices beyond check-write', () => {
    const taken: number[] = [];
    const out = new OutputStream({ write: (b) => taken.push(b.length) });
    expect(out.checkWrite()).toBe(BigInt(WRITE_PERMIT_BYTES));
    const tooMuch = payload(() => out.write(new Uint8Array(WRITE_PERMIT_BYTES + 1)));
    expect(tooMuch).toMatchObject({ tag: 'last-operation-failed' });
    expect((tooMuch as { val: IoError }).val.toDebugString()).toMatch(/exceeds/);
    expect(payload(() => out.writeZeroes(2n ** 63n))).toMatchObject({ tag: 'last-operation-failed' });
    expect(out.splice(new InputStream({ read: (max) => new Uint8Array(max) }), 2n ** 63n)).toBe(BigInt(WRITE_PERMIT_BYTES));
    expect(taken).toEqual([WRITE_PERMIT_BYTES]);
  });
});

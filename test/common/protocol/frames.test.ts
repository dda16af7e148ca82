import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from '../../../common/protocol/frames.js';

describe('FrameDecoder', () => {
  it('reassembles frames from any chunking (random splits)', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
      (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map(encodeFrame));
        const decoder = new FrameDecoder();
        const out: Uint8Array[] = [];
        let pos = 0;
        let i = 0;
        while (pos < stream.length) {
          const n = cuts[i++ % cuts.length]!;
          out.push(...decoder.push(stream.subarray(pos, pos + n)));
          pos += n;
        }
        expect(out.map((f) => Buffer.from(f).toString('hex'))).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
        expect(decoder.pending).toBe(false);
      },
    ), { numRuns: 300 });
  });

  it('returns independent copies (later input does not change earlier frames)', () => {
    const decoder = new FrameDecoder();
    const chunk = Buffer.from(encodeFrame(new Uint8Array([1, 2, 3])));
    const [frame] = decoder.push(chunk);
    chunk.fill(9);
    expect([...frame!]).toEqual([1, 2, 3]);
  });

  it('.each() hands over views in place, whole frames only, across chunks', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
      (payloads, cuts) => {
        const stream = Buffer.concat(payloads.map(encodeFrame));
        const decoder = new FrameDecoder();
        const seen: string[] = [];
        let pos = 0;
        let i = 0;
        while (pos < stream.length) {
          const n = cuts[i++ % cuts.length]!;
          const chunk = stream.subarray(pos, pos + n);
          decoder.each(chunk, (payload) => { seen.push(Buffer.from(payload).toString('hex')); });
          pos += n;
        }
        expect(seen).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
        expect(decoder.pending).toBe(false);
      },
    ), { numRuns: 300 });
  });

  it('.each() does not copy a frame that arrived whole, and stops when told to', () => {
    const decoder = new FrameDecoder();
    const chunk = Buffer.concat([encodeFrame(new Uint8Array([1, 2])), encodeFrame(new Uint8Array([3])), encodeFrame(new Uint8Array([4]))]);
    const views: Uint8Array[] = [];
    const visited = decoder.each(chunk, (payload) => { views.push(payload); return views.length < 2; });
    expect(visited).toBe(2);
    expect(views[0]!.buffer).toBe(chunk.buffer);
    expect([...views[0]!, ...views[1]!]).toEqual([1, 2, 3]);
    expect(decoder.pending).toBe(false);
  });

  it('refuses a frame above the limit from its header alone', () => {
    const decoder = new FrameDecoder(1024);
    expect(() => decoder.push(new Uint8Array([0x01, 0x04, 0, 0]))).toThrow(FrameTooLargeError);
  });

  it('reports a partial frame as pending', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new Uint8Array([5, 0, 0, 0, 1]))).toEqual([]);
    expect(decoder.pending).toBe(true);
  });

  it('.encodeFrame() - length prefix is little-endian u32', () => {
    expect([...encodeFrame(new Uint8Array(258)).subarray(0, 4)]).toEqual([2, 1, 0, 0]);
  });
});

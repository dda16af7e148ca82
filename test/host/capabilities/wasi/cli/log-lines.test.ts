// A guest's stdout and stderr become one log record per line, whatever the write and
// flush boundaries, with one cap on a record's size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogLineSink } from '../../../../../host/capabilities/wasi/cli/log-lines.js';
import { MAX_LOG_RECORD_CHARS } from '../../../../../host/capabilities/host-log.js';
import { OutputStream } from '../../../../../host/capabilities/wasi/io/streams.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function sink() {
  const records: string[] = [];
  return { records, sink: new LogLineSink((r) => records.push(r)) };
}

describe('LogLineSink', () => {
  it('emits "x\\n" as one record "x", and nothing at a flush', () => {
    const { records, sink: s } = sink();
    const out = new OutputStream(s);
    out.blockingWriteAndFlush(bytes('x'));
    out.blockingWriteAndFlush(bytes('\n'));
    expect(records).toEqual(['x']);
    s.end();
    expect(records).toEqual(['x']);
  });

  it('keeps a line split across writes and flushes, and a multi-byte character split across writes', () => {
    const { records, sink: s } = sink();
    const out = new OutputStream(s);
    const line = bytes('grüße, 日本\r\nnext');
    for (const b of line) {
      out.write(new Uint8Array([b]));
      out.flush();
    }
    expect(records).toEqual(['grüße, 日本']);
    s.end();
    expect(records).toEqual(['grüße, 日本', 'next']);
  });

  it('gives the same records for any split of the same output', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
      const text = lines.map((l) => `${l.replace(/[\r\n]/g, '')}\n`).join('');
      const all = bytes(text);
      const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
      const { records, sink: s } = sink();
      let at = 0;
      for (const p of [...points, all.length]) {
        s.write(all.subarray(at, p));
        s.flush();
        at = p;
      }
      s.end();
      expect(records).toEqual(lines.map((l) => l.replace(/[\r\n]/g, '')));
    }));
  });

  it(`cuts a record at ${MAX_LOG_RECORD_CHARS} characters and says how much was dropped, holding no more`, () => {
    const { records, sink: s } = sink();
    const chunk = bytes('a'.repeat(10_000));
    for (let i = 0; i < 100; i++) s.write(chunk);
    s.write(bytes('\nshort\n'));
    expect(records).toHaveLength(2);
    expect(records[0]!.startsWith('a'.repeat(MAX_LOG_RECORD_CHARS))).toBe(true);
    expect(records[0]).toMatch(new RegExp(`cut at ${MAX_LOG_RECORD_CHARS} characters; ${1_000_000 - MAX_LOG_RECORD_CHARS} more dropped`));
    expect(records[1]).toBe('short');
  });

  it('emits an unterminated last line when the plugin ends', () => {
    const { records, sink: s } = sink();
    s.write(bytes('no newline'));
    expect(records).toEqual([]);
    s.end();
    expect(records).toEqual(['no newline']);
  });
});

// The byte examples in docs/protocol.md are what the implementation produces.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../common/codec/bytes.js';
import { compileCodec } from '../../../common/codec/value-codec.js';
import { encodeFrame } from '../../../common/protocol/frames.js';
import { beginMessage, Kind } from '../../../common/protocol/messages.js';
import { root } from '../../helpers.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)/g, '$1 ').trim();
const noResources = { encode: () => 0, decode: () => undefined };

describe('docs/protocol.md examples', () => {
  it('greet("world") call and its answer', async () => {
    const doc = await readFile(root('docs/protocol.md'), 'utf8');
    const call = new ByteWriter();
    beginMessage(call, Kind.CALL, 1);
    call.uleb(0);
    compileCodec({ kind: 'string' }, noResources).encode(call, 'world');
    const reply = new ByteWriter();
    beginMessage(reply, Kind.RETURN, 1);
    compileCodec({ kind: 'string' }, noResources).encode(reply, 'Hello, world!');
    expect(hex(encodeFrame(call.view_()))).toBe('09 00 00 00 10 01 00 05 77 6f 72 6c 64');
    expect(doc).toContain('09 00 00 00            frame length 9');
    expect(doc).toContain('05 77 6f 72 6c 64      "world"');
    expect(doc).toContain(hex(encodeFrame(reply.view_())));
  });
});

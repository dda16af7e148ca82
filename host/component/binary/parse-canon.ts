/**
 * Decoding of canonical definitions (Binary.md "Canonical Definitions"): lift, lower, the
 * resource built-ins, and the immediates of every other built-in, which are recorded as
 * unsupported (async, streams, futures, error contexts, threads) so that the validator
 * can name the feature.
 */
import type { Canon, CanonOptions } from './ast.js';
import { coreValType } from './parse-core-types.js';
import { valType } from './parse-types.js';
import type { Reader } from './reader.js';

type Written = NonNullable<CanonOptions['written']>[number];

function canonOptions(r: Reader): CanonOptions {
  const options: CanonOptions = { stringEncoding: 'utf8', async: false, written: [] };
  const written = options.written!;
  const n = r.u32();
  if (n > r.end - r.pos) r.fail(`a vector of ${n} options cannot fit in the remaining bytes`);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const tag = r.u8();
    const note = (kind: Written['kind'], what?: string) => written.push({ kind, at, ...(what ? { what } : {}) });
    switch (tag) {
      case 0x00: options.stringEncoding = 'utf8'; note('string-encoding'); break;
      case 0x01: options.stringEncoding = 'utf16'; note('string-encoding'); break;
      case 0x02: options.stringEncoding = 'latin1+utf16'; note('string-encoding'); break;
      case 0x03: options.memory = r.u32(); note('memory'); break;
      case 0x04: options.realloc = r.u32(); note('realloc'); break;
      case 0x05: options.postReturn = r.u32(); note('post-return'); break;
      case 0x06: options.async = true; note('async'); break;
      case 0x07: options.callback = r.u32(); note('callback'); break;
      case 0x08: r.u32(); note('unsupported', 'the `core-type` canonical option (GC ABI)'); break;
      case 0x09: note('unsupported', 'the `gc` canonical option (GC ABI)'); break;
      default: r.fail(`unknown canonical option 0x${tag.toString(16)}`, at);
    }
  }
  return options;
}

const UNSUPPORTED_BUILTINS: Record<number, string> = {
  0x05: 'task.cancel', 0x06: 'subtask.cancel', 0x09: 'task.return', 0x0a: 'context.get', 0x0b: 'context.set',
  0x0c: 'thread.yield', 0x0d: 'subtask.drop', 0x0e: 'stream.new', 0x0f: 'stream.read', 0x10: 'stream.write',
  0x11: 'stream.cancel-read', 0x12: 'stream.cancel-write', 0x13: 'stream.drop-readable', 0x14: 'stream.drop-writable',
  0x15: 'future.new', 0x16: 'future.read', 0x17: 'future.write', 0x18: 'future.cancel-read', 0x19: 'future.cancel-write',
  0x1a: 'future.drop-readable', 0x1b: 'future.drop-writable', 0x1c: 'error-context.new', 0x1d: 'error-context.debug-message',
  0x1e: 'error-context.drop', 0x1f: 'waitable-set.new', 0x20: 'waitable-set.wait', 0x21: 'waitable-set.poll',
  0x22: 'waitable-set.drop', 0x23: 'waitable.join', 0x24: 'backpressure.inc', 0x25: 'backpressure.dec',
  0x26: 'thread.index', 0x27: 'thread.new-indirect', 0x28: 'thread.resume-later', 0x29: 'thread.suspend',
  0x2a: 'thread.suspend-then-resume', 0x2b: 'thread.yield-then-resume', 0x2c: 'thread.suspend-then-promote',
  0x2d: 'thread.yield-then-promote', 0x40: 'thread.spawn-ref', 0x41: 'thread.spawn-indirect', 0x42: 'thread.available-parallelism',
};

export function canon(r: Reader): Canon {
  const at = r.pos;
  const op = r.u8();
  switch (op) {
    case 0x00: {
      if (r.u8() !== 0x00) r.fail('canon lift expects a core func', r.pos - 1);
      const coreFunc = r.u32();
      const options = canonOptions(r);
      return { kind: 'lift', coreFunc, options, type: r.u32() };
    }
    case 0x01: {
      if (r.u8() !== 0x00) r.fail('canon lower expects a func', r.pos - 1);
      const func = r.u32();
      return { kind: 'lower', func, options: canonOptions(r) };
    }
    case 0x02: return { kind: 'resource.new', type: r.u32() };
    case 0x03: return { kind: 'resource.drop', type: r.u32() };
    case 0x07: return { kind: 'resource.drop', type: r.u32() }; // the async form: the same for synchronous destructors
    case 0x04: return { kind: 'resource.rep', type: r.u32() };
    default: {
      const name = UNSUPPORTED_BUILTINS[op];
      if (!name) return r.fail(`unknown canonical built-in 0x${op.toString(16)}`, at);
      skipImmediates(r, op);
      return { kind: 'unsupported', what: `the canonical built-in ${name} (async, threads, streams or error contexts)` };
    }
  }
}

/** Steps over the immediates of the built-ins this host does not implement. */
function skipImmediates(r: Reader, op: number): void {
  switch (op) {
    case 0x09: { if (r.u8() === 0x00) valType(r); else r.u8(); canonOptions(r); return; }
    case 0x0a: case 0x0b: coreValType(r); r.u32(); return;
    case 0x06: case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x42: r.u8(); return;
    case 0x0e: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x1b: r.u32(); return;
    case 0x0f: case 0x10: case 0x16: case 0x17: r.u32(); canonOptions(r); return;
    case 0x11: case 0x12: case 0x18: case 0x19: r.u32(); r.u8(); return;
    case 0x1c: case 0x1d: canonOptions(r); return;
    case 0x20: case 0x21: r.u8(); r.u32(); return;
    case 0x27: r.u32(); r.u32(); return;
    case 0x40: r.u8(); r.u32(); return;
    case 0x41: r.u8(); r.u32(); r.u32(); return;
    default: return;
  }
}

// A component whose core module is corrupt (an opcode no engine knows) is reported as
// invalid, not as an unsupported feature, although the fuel rewrite is the first to read
// it: "unsupported" would let a manifest's process fallback run in its place.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { recordingLogger, root } from '../helpers.js';
import { componentFromWat } from '../support/wat-component.js';

let corrupt: Uint8Array;
let system: ActorSystem | undefined;
beforeAll(async () => {
  const bytes = await componentFromWat(root('test/fixtures/security/hog.wat'), root('test/fixtures/security/hog.wit'), 'hog');
  // `then` returns (i32.const 42): 41 2a 0b; 0xff is no opcode.
  const at = bytes.findIndex((b, i) => b === 0x41 && bytes[i + 1] === 0x2a && bytes[i + 2] === 0x0b);
  expect(at).toBeGreaterThan(0);
  corrupt = bytes.slice();
  corrupt[at] = 0xff;
});
afterEach(async () => { await system?.close(); system = undefined; });

it.each([true, false])('is refused with ERR_COMPONENT_INVALID (interruptible: %s)', async (interruptible) => {
  system = new ActorSystem({ logger: recordingLogger() });
  await expect(system.load({ name: 'corrupt', wasm: corrupt, interruptible })).rejects.toMatchObject({ code: 'ERR_COMPONENT_INVALID' });
});

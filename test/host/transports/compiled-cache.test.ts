// The in-memory compiled cache finds components by content: a cheap hash to look, the bytes
// themselves to confirm, a copy of its own so the caller's array may change afterwards.
import { describe, expect, it } from 'vitest';
import { clearCompiledCache, compileCached, compiledInMemory, sha256 } from '../../../host/transports/component/compiled-cache.js';
import { wat } from '../../support/components.js';

const component = (n: number) => wat(`(component
  (core module $m (func (export "f") (result i32) i32.const ${n}))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))`);

describe('the compiled cache', () => {
  it('compiles the same content once, whatever array it comes in', async () => {
    clearCompiledCache();
    const bytes = await component(1);
    const first = compileCached(bytes);
    expect(compileCached(bytes.slice())).toBe(first);
    expect(compiledInMemory(new Uint8Array(bytes))).toBe(first);
    await first;
  });

  it('tells different content apart, of the same length too', async () => {
    clearCompiledCache();
    const [a, b] = await Promise.all([component(1), component(2)]);
    expect(a.length).toBe(b.length);
    expect(compileCached(a)).not.toBe(compileCached(b));
    expect(compiledInMemory(a)).not.toBe(compiledInMemory(b));
  });

  it('keeps the same content compiled with and without fuel checks apart', async () => {
    clearCompiledCache();
    const bytes = await component(3);
    const plain = compileCached(bytes);
    const fueled = compileCached(bytes, undefined, { interruptible: true });
    expect(fueled).not.toBe(plain);
    expect(compiledInMemory(bytes, { interruptible: true })).toBe(fueled);
    expect(compiledInMemory(bytes)).toBe(plain);
    const [p, f] = await Promise.all([plain, fueled]);
    const imports = (c: typeof p) => [...c.modules.values()].flatMap((m) => WebAssembly.Module.imports(m).map((i) => i.module));
    expect(imports(f)).toContain('plugin-actors:fuel');
    expect(imports(p)).not.toContain('plugin-actors:fuel');
  });

  it('keeps its own copy: the caller overwriting its array changes nothing cached', async () => {
    clearCompiledCache();
    const bytes = await component(3);
    const pristine = bytes.slice();
    const first = compileCached(bytes);
    await first;
    bytes.fill(0);
    expect(compiledInMemory(pristine)).toBe(first);
    expect(compiledInMemory(bytes)).toBeUndefined();
    await expect(compileCached(bytes)).rejects.toThrow();
  });

  it('does not keep a failure', async () => {
    clearCompiledCache();
    const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 2, 3]);
    await expect(compileCached(junk)).rejects.toThrow();
    expect(compiledInMemory(junk)).toBeUndefined();
  });

  it('still gives the sha256 the persistent cache names entries by', () => {
    expect(sha256(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

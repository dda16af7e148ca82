// Corrupt components must fail with a typed error, never crash the host or hang.
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPluginHostError } from '../../../common/errors.js';
import { hostImportResolver } from '../../../host/component/host-imports.js';
import { compileComponent, instantiateComponent } from '../../../host/component/instantiate.js';
import { greeterSpecs } from '../../helpers.js';

describe('component loading robustness', () => {
  it('fails corrupted bytes with ERR_COMPONENT_* or ERR_LOAD_FAILED only', async () => {
    const good = new Uint8Array(await readFile(greeterSpecs.wasm.wasm));
    const imports = { 'plugin-actors:host/log': { log() {} } };
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.option(fc.nat(good.length)),
      async (edits, cut) => {
        const bytes = good.slice(0, cut ?? good.length);
        for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
        try {
          const compiled = await compileComponent(bytes);
          instantiateComponent(compiled, hostImportResolver(imports, 'fuzz'));
        } catch (e) {
          if (!isPluginHostError(e)) throw e;
          expect(['ERR_COMPONENT_INVALID', 'ERR_COMPONENT_UNSUPPORTED', 'ERR_LOAD_FAILED', 'ERR_IMPORT_MISSING']).toContain(e.code);
        }
      },
    ), { numRuns: 200 });
  });
});

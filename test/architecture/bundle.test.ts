// The package's entry points are bundles (scripts/bundle.mjs): they must work as the
// sources do, including the scripts the library starts by path (the worker's entry).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { greeterSpecs, root } from '../helpers.js';

const run = promisify(execFile);

describe('the bundle', () => {
  it('is what the package exports, and runs inline, worker and process plugins', async () => {
    const manifest = JSON.parse(await readFile(root('package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(manifest.exports['.']!.default).toBe('./dist/bundle/index.js');
    const { stdout } = await run(process.execPath, [root('test/fixtures/bundle-host.mjs'), greeterSpecs.wasm.wasm, greeterSpecs.process.command[1]]);
    expect(JSON.parse(stdout)).toEqual(['Hello, bundle!', 'Hello, bundle!', 'Hello, bundle!', 1]);
  });

  // The transports load on first use (registry.ts): an inline-only host never starts the
  // worker or process machinery. Node's own module list tells which built-ins came in.
  it('loads no transport on import, and only the inline one for an inline plugin', async () => {
    const { stdout } = await run(process.execPath, [root('test/fixtures/bundle-lazy.mjs'), greeterSpecs.wasm.wasm]);
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], greeting: 'Hello, lazy!', afterInline: [] });
  });
});

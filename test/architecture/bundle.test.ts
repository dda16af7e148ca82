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
  // worker or process machinery, and finds compiled components without sha256 (node:crypto
  // alone costs a fresh process 10-18 ms). Node's own module list tells which built-ins came in.
  it('loads no transport on import, and only the inline one (without node:crypto) for an inline plugin', async () => {
    const { stdout } = await run(process.execPath, [root('test/fixtures/bundle-lazy.mjs'), greeterSpecs.wasm.wasm]);
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], greeting: 'Hello, lazy!', afterInline: [] });
  });

  // A worker instantiates what the host parsed, validated and compiled (prepared-component.ts):
  // its entry is a build of its own that carries neither the parser nor the validator.
  it('gives the worker an entry without the component parser or validator', async () => {
    const entry = await readFile(root('dist/bundle/worker-entry.js'), 'utf8');
    const chunks = [...entry.matchAll(/from "\.\/(chunks\/[^"]+)"/g)].map((m) => m[1]!);
    const code = [entry, ...(await Promise.all(chunks.map((c) => readFile(root(`dist/bundle/${c}`), 'utf8'))))].join('\n');
    expect(code).toContain('function instantiateComponent(');
    expect(code).not.toContain('function parseComponent(');
    expect(code).not.toContain('function validateComponent(');
  });
});

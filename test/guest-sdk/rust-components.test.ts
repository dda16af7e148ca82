// Rust components are committed so `npm test` runs on machines without Rust. These checks
// fail when a committed component is stale: its bindings differ from what the generator
// makes now, or any input of its build (sources, Cargo files, the SDK crate, the WIT)
// changed since it was built. Rebuild with `npx plugin-actors build <project>` and commit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readManifest } from '../../guest-sdk/build/manifest.js';
import { loadPluginWorld } from '../../guest-sdk/build/plugin-world.js';
import { BINDINGS_FILE, rustBuildInputs } from '../../guest-sdk/build/rust.js';
import { generateRust } from '../../guest-sdk/codegen/rust/generate.js';
import { RUST_PROJECTS } from '../support/rust-projects.js';

describe.each(RUST_PROJECTS)('committed Rust component of %s', (dir) => {
  it('has the bindings the generator makes now', async () => {
    const manifest = await readManifest(dir);
    const plugin = await loadPluginWorld(manifest.wit, manifest.world);
    expect(await readFile(join(manifest.dir, BINDINGS_FILE), 'utf8'), `${dir}/${BINDINGS_FILE} is stale: run plugin-actors build ${dir}`)
      .toBe(generateRust({ world: plugin.world }));
  });

  it('was built from the current sources', async () => {
    const manifest = await readManifest(dir);
    const plugin = await loadPluginWorld(manifest.wit, manifest.world);
    const recorded = JSON.parse(await readFile(`${manifest.output}.inputs`, 'utf8')) as Record<string, string>;
    expect(recorded, `${manifest.output} is stale: run plugin-actors build ${dir} and commit the result`)
      .toEqual(await rustBuildInputs(manifest.dir, plugin.witSource));
  });

  it('is what the tests load, or was rebuilt from source for them', async () => {
    const loaded = inject('rustComponents')[dir]!;
    const committed = (await readManifest(dir)).output;
    if (inject('rustBuiltFromSource')) expect(loaded).not.toBe(committed);
    else expect(loaded).toBe(committed);
  });
});

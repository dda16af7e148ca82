// docs/guest-rust.md walks a newcomer from nothing to a running plugin: build and run
// exactly the files it shows, and compare the output it promises. Without a Rust toolchain
// the build must stop with ERR_TOOLCHAIN_MISSING instead.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildPlugin, silentReporter } from '../../guest-sdk/build/index.js';
import { findRustToolchain } from '../../guest-sdk/build/rust-toolchain.js';
import { root } from '../helpers.js';

describe('docs/guest-rust.md', () => {
  it('its walkthrough builds a plugin that prints what the guide says', async () => {
    const guide = await readFile(root('docs/guest-rust.md'), 'utf8');
    const files = [...guide.matchAll(/File `([^`]+)`:\s*\n\s*```[a-z]*\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(files.map(([path]) => path)).toEqual(['wit/hello.wit', 'plugin/Cargo.toml', 'plugin/plugin-actors.json', 'plugin/src/lib.rs', 'host.mjs']);
    // Inside the repository, so `plugin-actors` resolves as after `npm install`; the crate's
    // path dependency points where npm would have put the package.
    const dir = root('.cache/guide-rust');
    await rm(join(dir, 'plugin', 'build'), { recursive: true, force: true });
    for (const [path, text] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), path.endsWith('Cargo.toml') ? text.replace('../node_modules/plugin-actors/guest-sdk/rust', root('guest-sdk/rust')) : text);
    }
    const toolchain = await findRustToolchain();
    const build = buildPlugin(join(dir, 'plugin'), { reporter: silentReporter });
    if (!toolchain) {
      await expect(build).rejects.toMatchObject({ code: 'ERR_TOOLCHAIN_MISSING' });
      return;
    }
    await build;
    const { stdout } = await promisify(execFile)(process.execPath, ['host.mjs'], { cwd: dir });
    const expected = /```sh\nnode host\.mjs\n```\s*```\n([\s\S]*?)```/.exec(guide)![1]!;
    expect(stdout).toBe(expected);
  }, 120_000);
});

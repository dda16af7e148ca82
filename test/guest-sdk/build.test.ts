// `plugin-actors build`: one progress line per step; a failure names the step and shows its output.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildPlugin, silentReporter } from '../../guest-sdk/build/index.js';
import { findRustToolchain } from '../../guest-sdk/build/rust-toolchain.js';
import { root } from '../helpers.js';

const run = promisify(execFile);

async function project(name: string, api: string): Promise<string> {
  const dir = root(`.cache/build-test/${name}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  await cp(root('examples/greeter/wit'), join(dir, 'wit'), { recursive: true });
  await writeFile(join(dir, 'plugin-actors.json'), JSON.stringify({ language: 'assemblyscript', wit: 'wit', output: 'out/p.wasm' }));
  await writeFile(join(dir, 'src/api.ts'), api);
  return dir;
}

describe('plugin-actors build', () => {
  it('prints one line per step from the command line', async () => {
    const { stderr } = await run(process.execPath, [root('dist/cli/main.js'), 'build', root('test/fixtures/world-functions/assemblyscript')]);
    expect(stderr.split('\n').filter(Boolean).map((l) => l.slice(0, 16))).toEqual(['[1/4] wit       ', '[2/4] bindings  ', '[3/4] asc       ', '[4/4] component ']);
  });

  it('reports a compile error with the failing step and the compiler output', async () => {
    const dir = await project('type-error', 'export function greet(name: string): string { return 42; }\n');
    await expect(buildPlugin(dir, { reporter: silentReporter })).rejects.toMatchObject({
      code: 'ERR_BUILD_FAILED', message: expect.stringMatching(/step 3\/4 "asc" failed[\s\S]*src\/api\.ts/),
    });
  });

  it('names the exports an author module lacks, with the declarations to write, before asc runs', async () => {
    const dir = await project('missing-export', 'export function greet(name: string): string { return name; }\nexport { sum } from "./other";\n');
    const error = await buildPlugin(dir, { reporter: silentReporter }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/step 3\/4 "asc" failed: src\/api\.ts does not export greetWith \(example:greeter\/api@0\.1\.0#greet-with\), getStats \(.*\), words \(.*\), Counter \(.*\)\. Write:/);
    expect(error?.message).toContain('/** Greets with a delivery style. */\nexport function greetWith(name: string, delivery: Delivery): string');
    expect(error?.message).not.toMatch(/bindings\/exports\.ts/);
  });

  it('reports WIT errors at step 1 with file:line:col', async () => {
    const dir = await project('bad-wit', '');
    await writeFile(join(dir, 'wit/greeter.wit'), 'package example:greeter;\ninterface api {\n  f: func() -> nope;\n}\nworld w { export api; }\n');
    await expect(buildPlugin(dir, { reporter: silentReporter })).rejects.toMatchObject({
      code: 'ERR_BUILD_FAILED', message: expect.stringMatching(/step 1\/4 "wit" failed: .*greeter\.wit:3:16: type `nope` is not defined/),
    });
  });

  it('rejects a bad manifest naming the field', async () => {
    const dir = await project('bad-manifest', '');
    await writeFile(join(dir, 'plugin-actors.json'), JSON.stringify({ language: 'cobol', wit: 'wit', output: 'x.wasm' }));
    await expect(buildPlugin(dir, { reporter: silentReporter })).rejects.toMatchObject({ code: 'ERR_BUILD_FAILED', message: expect.stringMatching(/"language" must be/) });
  });

  it('exits non-zero from the command line on failure', async () => {
    const dir = await project('cli-failure', 'export function greet(name: string): string { return 42; }\n');
    await expect(run(process.execPath, [root('dist/cli/main.js'), 'build', dir])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/ERR_BUILD_FAILED/) });
  });

  it('names the Debian packages when no Rust toolchain can build wasm32', async () => {
    const saved = { cargo: process.env.PLUGIN_ACTORS_CARGO, rustc: process.env.PLUGIN_ACTORS_RUSTC };
    process.env.PLUGIN_ACTORS_CARGO = '/nonexistent/cargo';
    process.env.PLUGIN_ACTORS_RUSTC = '/nonexistent/rustc';
    try {
      await expect(buildPlugin(root('examples/greeter/rust'), { reporter: silentReporter, output: root('.cache/build-test/no-rust/p.wasm') })).rejects.toMatchObject({
        code: 'ERR_TOOLCHAIN_MISSING', message: expect.stringMatching(/apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14/),
      });
    } finally {
      for (const [key, value] of [['PLUGIN_ACTORS_CARGO', saved.cargo], ['PLUGIN_ACTORS_RUSTC', saved.rustc]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('reports a Rust compile error with the failing step and the compiler output', async () => {
    const dir = root('.cache/build-test/rust-error');
    await rm(dir, { recursive: true, force: true });
    await cp(root('examples/greeter/rust'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.includes('/build') });
    await writeFile(join(dir, 'plugin-actors.json'), JSON.stringify({ language: 'rust', wit: root('examples/greeter/wit'), output: 'out/p.wasm' }));
    await writeFile(join(dir, 'Cargo.toml'), (await readFile(join(dir, 'Cargo.toml'), 'utf8')).replace('../../../guest-sdk/rust', root('guest-sdk/rust')));
    await writeFile(join(dir, 'src/lib.rs'), (await readFile(join(dir, 'src/lib.rs'), 'utf8')).replace('format!("Hello, {}!", name)', '42'));
    const toolchain = await findRustToolchain();
    const failure = buildPlugin(dir, { reporter: silentReporter });
    if (toolchain) {
      await expect(failure).rejects.toMatchObject({ code: 'ERR_BUILD_FAILED', message: expect.stringMatching(/step 3\/4 "cargo" failed[\s\S]*mismatched types[\s\S]*src\/lib\.rs/) });
    } else {
      await expect(failure).rejects.toMatchObject({ code: 'ERR_TOOLCHAIN_MISSING' });
    }
  });
});

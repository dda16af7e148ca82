// `plugin-actors build`: one progress line per step; a failure names the step and shows its output.
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildPlugin, silentReporter } from '../../guest-sdk/build/index.js';
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
    const { stderr } = await run(process.execPath, [root('dist/host/src/cli/main.js'), 'build', root('test/fixtures/world-functions/assemblyscript')]);
    expect(stderr.split('\n').filter(Boolean).map((l) => l.slice(0, 16))).toEqual(['[1/4] wit       ', '[2/4] bindings  ', '[3/4] asc       ', '[4/4] component ']);
  });

  it('reports a compile error with the failing step and the compiler output', async () => {
    const dir = await project('type-error', 'export function greet(name: string): string { return 42; }\n');
    await expect(buildPlugin(dir, { reporter: silentReporter })).rejects.toMatchObject({
      code: 'ERR_BUILD_FAILED', message: expect.stringMatching(/step 3\/4 "asc" failed[\s\S]*src\/api\.ts/),
    });
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
    await expect(run(process.execPath, [root('dist/host/src/cli/main.js'), 'build', dir])).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/ERR_BUILD_FAILED/) });
  });
});

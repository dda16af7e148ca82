// docs/guest-assemblyscript.md walks a newcomer from nothing to a running plugin: build and
// run exactly the files it shows, and compare the output it promises.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildPlugin, silentReporter } from '../../guest-sdk/build/index.js';
import { root } from '../helpers.js';

describe('docs/guest-assemblyscript.md', () => {
  it('its walkthrough builds a plugin that prints what the guide says', async () => {
    const guide = await readFile(root('docs/guest-assemblyscript.md'), 'utf8');
    const files = [...guide.matchAll(/File `([^`]+)`:\s*\n\s*```[a-z]*\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(files.map(([path]) => path)).toEqual(['wit/hello.wit', 'plugin/plugin-actors.json', 'plugin/src/greeter.ts', 'host.mjs']);
    // Inside the repository, so `plugin-actors` and `assemblyscript` resolve as after `npm install`.
    const dir = root('.cache/guide-assemblyscript');
    await rm(dir, { recursive: true, force: true });
    for (const [path, text] of files) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await buildPlugin(join(dir, 'plugin'), { reporter: silentReporter });
    const { stdout } = await promisify(execFile)(process.execPath, ['host.mjs'], { cwd: dir });
    const expected = /```sh\nnode host\.mjs\n```\s*```\n([\s\S]*?)```/.exec(guide)![1]!;
    expect(stdout).toBe(expected);
  }, 60_000);
});

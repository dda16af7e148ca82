// What npm users get: `npm pack`, installed into an empty directory, then the README's
// TypeScript example (app.ts hosting a wasm and a Node plugin, plugin.ts the Node plugin)
// compiled with tsc --strict against the installed declarations (skipLibCheck false, no
// DOM library) and run.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../helpers.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let installed: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugin-actors-pack-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root('.'), maxBuffer: 64 << 20 });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'readme-app', private: true, type: 'module' }));
  await run(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename)], { cwd: dir, maxBuffer: 64 << 20 });
  installed = join(dir, 'node_modules', 'plugin-actors');
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships docs, examples, the repository field and a working binary', async () => {
    const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { repository?: { url?: string } };
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
    expect(await readdir(join(installed, 'docs'))).toEqual(expect.arrayContaining(['architecture.md', 'host-api.md', 'cli.md']));
    expect(await readdir(join(installed, 'examples', 'greeter'))).toEqual(expect.arrayContaining(['wit', 'assemblyscript', 'node']));
    // Every relative link of the installed README leads to a file that is there.
    const readme = await readFile(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?:docs|examples|common)\/[^)#]+)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) await expect(stat(join(installed, link)).then(() => link, () => `missing ${link}`)).resolves.toBe(link);
    const { stdout } = await run(join(dir, 'node_modules', '.bin', 'plugin-actors'), ['--version']);
    expect(stdout.trim()).toBe((JSON.parse(await readFile(root('package.json'), 'utf8')) as { version: string }).version);
  });

  it("runs the README's TypeScript example, compiled with tsc --strict", async () => {
    const readme = await readFile(join(installed, 'README.md'), 'utf8');
    const block = (file: string) => new RegExp(`\`\`\`ts\\n(// ${file.replace('.', '\\.')}\\n[\\s\\S]*?)\`\`\``).exec(readme)?.[1];
    const app = block('app.ts');
    const plugin = block('plugin.ts');
    expect(app && plugin).toBeTruthy();
    await writeFile(join(dir, 'app.ts'), app!);
    await writeFile(join(dir, 'plugin.ts'), plugin!);
    await cp(join(installed, 'examples/greeter/wit'), join(dir, 'wit'), { recursive: true });
    await cp(join(installed, 'examples/greeter/assemblyscript/build/greeter.wasm'), join(dir, 'greeter.wasm'));
    await run(join(dir, 'node_modules', '.bin', 'plugin-actors'), ['types', './wit', '-o', 'types'], { cwd: dir });
    await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false,
        types: ['node'], typeRoots: [root('node_modules/@types')], outDir: '.',
      },
      files: ['app.ts', 'plugin.ts'],
    }));
    const tsc = await run(process.execPath, [root('node_modules/typescript/bin/tsc'), '-p', dir]).then(() => '', (e: { stdout: string }) => e.stdout);
    expect(tsc).toBe('');
    const { stdout } = await run(process.execPath, ['app.js'], { cwd: dir });
    expect(stdout).toContain('Hello, world!');
    expect(stdout).toMatch(/greeter@1\/\d+ ended: stopped/);
    expect(stdout).toContain('plugin said no: empty');
  }, 120_000);
});

/** `plugin-actors new <dir> --lang …`: a plugin project that builds and loads as it is. */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { hostWitDir, packageRoot } from '../../common/package-files.js';
import { loadWit, selectWorld } from '../../common/wit/load.js';
import { worldId } from '../../common/wit/model.js';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import type { Output } from '../output.js';
import { templateFiles, type Language } from '../templates.js';

const LANGUAGES: readonly Language[] = ['assemblyscript', 'rust', 'node', 'python'];

export const command: Command = {
  name: 'new',
  summary: 'create a plugin project (assemblyscript, rust, node or python) that builds and loads at once',
  help: `usage: plugin-actors new <dir> --lang assemblyscript|rust|node|python [--wit <path> [--world <name>]] [--json]

Creates <dir> with a plugin implementing a small greeter world (wit/), ready to build
(assemblyscript, rust: plugin-actors build <dir>) and load. With --wit, the project
implements that WIT's world instead (node, python: every function is a stub that
throws until you write it). The directory must not exist or be empty.

options:
  --lang <language>   assemblyscript, rust, node or python
  --wit <path>        a WIT file or directory to implement (node, python)
  --world <name>      which world of --wit (needed when it defines several)
  --json              print { dir, lang, files, next }`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { lang: { type: 'string' }, wit: { type: 'string' }, world: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one directory');
    const lang = values.lang as Language | undefined;
    if (!lang || !LANGUAGES.includes(lang)) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}`);
    if (values.world !== undefined && values.wit === undefined) throw new UsageError('--world needs --wit');
    if (values.wit !== undefined && lang !== 'node' && lang !== 'python') throw new UsageError(`--wit is supported for --lang node and python only (for ${lang}, start from the template and replace wit/)`);
    const dir = resolve(positionals[0]!);
    if (existsSync(dir) && (await readdir(dir)).length > 0) throw new UsageError(`${positionals[0]} exists and is not empty`);
    const name = basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(\d)/, 'p$1') || 'plugin';
    let custom: Parameters<typeof templateFiles>[0]['custom'];
    if (values.wit !== undefined) {
      const world = selectWorld(await loadWit(values.wit, { deps: [hostWitDir()] }), values.world);
      custom = { world, witDir: values.wit };
    }
    const files = templateFiles({ lang, name, dir, packageRoot: packageRoot(), ...(custom ? { custom } : {}) });
    await mkdir(dir, { recursive: true });
    for (const [path, text] of files) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    if (custom) {
      const isFile = (await stat(custom.witDir)).isFile();
      await cp(custom.witDir, isFile ? join(dir, 'wit', basename(custom.witDir)) : join(dir, 'wit'), { recursive: true });
    }
    const rel = relative(process.cwd(), dir) || '.';
    const next = lang === 'node'
      ? `load it: system.load({ name: '${name}', command: [process.execPath, '${join(rel, 'plugin.mjs')}'] })`
      : lang === 'python'
        ? `load it: system.load({ name: '${name}', command: ['python3', '${join(rel, 'plugin.py')}'] })`
        : `build it: npx plugin-actors build ${rel}   then load build/${name}.wasm`;
    if (values.json) out.json({ dir, lang, world: custom ? worldId(custom.world) : `${name}:plugin/plugin`, files: [...files.keys()], next });
    else {
      out.line(`created ${rel} (${lang}${custom ? `, world ${worldId(custom.world)}` : ''})`);
      out.line(next);
    }
    return EXIT.OK;
  },
};


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
import { loadPluginWorld } from '../../guest-sdk/build/plugin-world.js';
import { PluginHostError } from '../../common/errors.js';
import type { World } from '../../common/wit/model.js';

const LANGUAGES: readonly Language[] = ['assemblyscript', 'rust', 'node', 'python'];

export const command: Command = {
  name: 'new',
  summary: 'create a plugin project (assemblyscript, rust, node or python) that builds and loads at once',
  help: `usage: plugin-actors new <dir> --lang assemblyscript|rust|node|python [--wit <path> [--world <name>]] [--json]

Creates <dir> with a plugin implementing a small greeter world (wit/), ready to build
(assemblyscript, rust: plugin-actors build <dir>) and load. With --wit, the project
implements that WIT's world instead (copied into wit/): every exported function and
resource is a stub with its signature and doc comment. Node and Python stubs throw until
you write them; AssemblyScript and Rust stubs build at once and return a placeholder
(0, "", an empty list, none, a record of those) or, for any other result, trap with an
error naming the function. The directory must not exist or be empty.

options:
  --lang <language>   assemblyscript, rust, node or python
  --wit <path>        a WIT file or directory to implement
  --world <name>      which world of --wit (needed when it defines several)
  --json              print { dir, lang, files, next }`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { lang: { type: 'string' }, wit: { type: 'string' }, world: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one directory');
    const lang = values.lang as Language | undefined;
    if (!lang || !LANGUAGES.includes(lang)) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}`);
    if (values.world !== undefined && values.wit === undefined) throw new UsageError('--world needs --wit');
    const dir = resolve(positionals[0]!);
    if (existsSync(dir) && (await readdir(dir)).length > 0) throw new UsageError(`${positionals[0]} exists and is not empty`);
    const name = basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(\d)/, 'p$1') || 'plugin';
    let custom: Parameters<typeof templateFiles>[0]['custom'];
    if (values.wit !== undefined) {
      // A compiled plugin's world is the one its build will see (with the host's log import).
      const world = lang === 'assemblyscript' || lang === 'rust'
        ? (await loadPluginWorld(values.wit, values.world)).world
        : selectWorld(await loadWit(values.wit, { deps: [hostWitDir()] }), values.world);
      custom = { world, witDir: values.wit };
    }
    const files = stubsOrRefusal(() => templateFiles({ lang, name, dir, packageRoot: packageRoot(), ...(custom ? { custom } : {}) }), lang, custom?.world);
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


/** The bindings generators refuse what a language cannot express (with a plain Error): say so before anything is written. */
function stubsOrRefusal<T>(make: () => T, lang: Language, world: World | undefined): T {
  try {
    return make();
  } catch (cause) {
    if (cause instanceof PluginHostError || !world) throw cause;
    throw new PluginHostError('ERR_UNSUPPORTED', `--lang ${lang} cannot implement world ${worldId(world)}: ${(cause as Error).message}`, { cause });
  }
}

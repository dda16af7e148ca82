/**
 * The Python project `plugin-actors new --lang python` writes: `plugin.py` on the Python
 * guest SDK (guest-sdk/python, standard library only), the greeter or, for a given world,
 * a stub per exported function and resource that raises until it is written.
 */
import { join } from 'node:path';
import type { World } from '../../common/wit/model.js';
import { worldId } from '../../common/wit/model.js';
import { pascalCase, stripVersion } from '../../common/wit/names.js';

/**
 * The SDK is found where npm installs it (node_modules/plugin-actors above the project),
 * else where `new` ran from: a project works both beside an installed package and in a
 * scratch folder, without a Python package of its own to install.
 */
function prelude(packageRoot: string): string {
  return `import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _sdk_dir():
    for d in (HERE, *HERE.parents):
        candidate = d / 'node_modules' / 'plugin-actors' / 'guest-sdk' / 'python'
        if candidate.is_dir():
            return candidate
    return Path(${JSON.stringify(join(packageRoot, 'guest-sdk', 'python'))})


sys.path.insert(0, str(_sdk_dir()))

from plugin_actors import ResultError, call_host, serve  # noqa: E402,F401
`;
}

export function pythonGreeter(name: string, packageRoot: string): string {
  return `# A plugin-actors plugin in Python: the host starts it as a subprocess
# (command: ['python3', 'plugin.py']).
${prelude(packageRoot)}

def greet(name):
    """Returns a greeting for \`name\`."""
    call_host('plugin-actors:host/log@0.1.0#log', 'debug', f'greeting {name}')
    return f'Hello, {name}!'


serve(
    wit=HERE / 'wit',
    world='${name}:plugin/plugin',
    exports={
        '${name}:plugin/api': {
            'greet': greet,
        },
    },
)
`;
}

// WIT names that are Python keywords (\`from\`, \`in\`, …) get a trailing underscore.
const KEYWORDS = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const py = (name: string) => { const n = name.replace(/-/g, '_'); return KEYWORDS.has(n) ? `${n}_` : n; };

/** Stubs for every export of `world`: each raises NotImplementedError naming itself. */
export function pythonStubs(world: World, packageRoot: string): string {
  const lines = [
    `# Implements ${worldId(world)} as a plugin-actors Python plugin. Every function raises`,
    '# until you write it (values: docs/guest-python.md).',
    prelude(packageRoot),
    '',
    'def todo(what):',
    "    raise NotImplementedError(f'{what} is not implemented yet')",
    '',
    '',
  ];
  const entries: string[] = [];
  for (const [key, item] of world.exports) {
    if (item.kind === 'function') {
      lines.push(`def ${py(item.func.name)}(${item.func.params.map((p) => py(p.name)).join(', ')}):`, `    return todo('${item.func.name}')`, '', '');
      entries.push(`        '${item.func.name}': ${py(item.func.name)},`);
      continue;
    }
    if (item.kind !== 'interface') continue;
    const members: string[] = [];
    for (const fn of item.iface.functions.values()) {
      if (fn.kind !== 'freestanding') continue;
      members.push(`            '${fn.name}': lambda ${fn.params.map((p) => py(p.name)).join(', ')}: todo('${key}#${fn.name}'),`.replace('lambda :', 'lambda:'));
    }
    for (const t of item.iface.types.values()) {
      if (t.kind !== 'resource' || t.owner.kind !== 'interface' || t.owner.iface !== item.iface) continue;
      const cls = pascalCase(t.name);
      lines.push(`class ${cls}:`);
      if (t.ctor) lines.push(`    def __init__(self${t.ctor.params.map((p) => `, ${py(p.name)}`).join('')}):`, `        todo('${t.name} constructor')`, '');
      for (const m of t.methods) lines.push(`    def ${py(m.shortName)}(self${m.params.slice(1).map((p) => `, ${py(p.name)}`).join('')}):`, `        return todo('${t.name}.${m.shortName}')`, '');
      for (const m of t.statics) lines.push('    @staticmethod', `    def ${py(m.shortName)}(${m.params.map((p) => py(p.name)).join(', ')}):`, `        return todo('${t.name}.${m.shortName}')`, '');
      if (!t.ctor && t.methods.length === 0 && t.statics.length === 0) lines.push('    pass', '');
      lines.push('');
      members.push(`            '${cls}': ${cls},`);
    }
    entries.push(`        '${stripVersion(key)}': {`, ...members, '        },');
  }
  lines.push('serve(', "    wit=HERE / 'wit',", `    world='${stripVersion(worldId(world))}',`, '    exports={', ...entries, '    },', ')', '');
  return lines.join('\n');
}

/**
 * One generated AssemblyScript module: its body and the imports its body needs, with local
 * aliases when two modules export the same name.
 */
import { SourceWriter } from '../core/source-writer.js';
import { relativeImport } from './names.js';

export class ModuleFile {
  /** Module-level declarations (`@external` imports), written before the body. */
  readonly decls = new SourceWriter();
  readonly body = new SourceWriter();
  private readonly imports = new Map<string, Map<string, string>>();
  private readonly localNames = new Set<string>();

  /** `path` is relative to the project root, without extension (e.g. `bindings/example/greeter/api`). */
  constructor(readonly path: string, readonly what: string) {}

  /** Declares a name this module defines itself. */
  define(name: string): string {
    this.localNames.add(name);
    return name;
  }

  /** The local name for `name` exported by module `from`; adds the import. */
  use(from: string, name: string): string {
    if (from === this.path) return name;
    let names = this.imports.get(from);
    if (!names) this.imports.set(from, (names = new Map()));
    const existing = names.get(name);
    if (existing) return existing;
    let local = name;
    for (let i = 1; this.localNames.has(local); i++) local = `${name}$${i}`;
    this.localNames.add(local);
    names.set(name, local);
    return local;
  }

  /** `import * as alias from …` for an author module. */
  useNamespace(from: string, alias: string): string {
    this.use(from, `*${alias}`);
    return alias;
  }

  /** The module's text; `header` replaces the generated-file preamble (for a file the author owns). */
  render(header?: readonly string[]): string {
    const head = header ? new SourceWriter() : new SourceWriter().preamble('//', this.what);
    if (header) { for (const l of header) head.line(l); head.blank(); }
    for (const [from, names] of [...this.imports].sort(([a], [b]) => a.localeCompare(b))) {
      const spec = relativeImport(this.path, from);
      const star = [...names.keys()].find((n) => n.startsWith('*'));
      if (star) head.line(`import * as ${star.slice(1)} from "${spec}";`);
      const named = [...names].filter(([n]) => !n.startsWith('*')).sort(([a], [b]) => a.localeCompare(b));
      if (named.length > 0) head.line(`import { ${named.map(([n, l]) => (n === l ? n : `${n} as ${l}`)).join(', ')} } from "${spec}";`);
    }
    const decls = this.decls.toString();
    return `${head.toString()}\n${decls.trim() ? `${decls}\n` : ''}${this.body.toString()}`;
  }
}

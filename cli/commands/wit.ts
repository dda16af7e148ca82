/** `plugin-actors wit <plugin.wasm>`: the WIT a component carries in its types. */
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import { readComponent } from '../component-wit.js';
import type { Output } from '../output.js';

export const command: Command = {
  name: 'wit',
  summary: 'print the WIT world a component implements',
  help: `usage: plugin-actors wit <plugin.wasm> [--json]

Prints the WIT of a WebAssembly component (any toolchain's), read from its types: the root
world, then each imported and exported interface in full (types, resources, functions) in
package blocks.

options:
  --json    print the WIT as data:
              { world: { name, imports: [name…], exports: [name…] },
                interfaces: { imports: [item…], exports: [item…] },
                wit: "the whole text" }
            where an item is { kind: "interface", name: "ns:pkg/iface@1.0.0", wit: "interface iface { … }" },
            { kind: "function", name, wit: "f: func(…) -> …;" } (a world-level function), or
            { kind: "opaque", name, why } (encoded in a way the reader does not know)`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, {});
    if (positionals.length !== 1) throw new UsageError('expected one component file');
    const facts = await readComponent(positionals[0]!);
    if (values.json) out.json({ world: facts.world, interfaces: facts.interfaces, wit: facts.wit });
    else out.line(facts.wit.trimEnd());
    return EXIT.OK;
  },
};

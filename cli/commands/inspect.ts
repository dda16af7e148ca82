/** `plugin-actors inspect <plugin.wasm>`: what a component is, imports, exports, digest and signature. */
import { verifyPluginBytes } from '../../host/integrity/index.js';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import { readComponent } from '../component-wit.js';
import type { Output } from '../output.js';
import { findSignature, readKey } from '../signature-source.js';

export const command: Command = {
  name: 'inspect',
  summary: 'show a component\'s world, imports, exports, size, sha256 and signature status',
  help: `usage: plugin-actors inspect <plugin.wasm> [--key <public-key>]… [--signature <file|base64>] [--json]

Describes a WebAssembly component built by any toolchain: the world it implements, its
imports and exports (as WIT), its size, its sha256 (for a plugin spec's integrity.sha256),
and whether it is signed. The signature is --signature, else <plugin.wasm>.sig, else the
signature in a plugin.json beside it; with --key (PEM file or base64 SPKI, repeatable) it
is checked.

options:
  --key <key>          a trusted ed25519 public key (repeatable)
  --signature <sig>    the detached signature (a file, or base64)
  --json               print { file, size, sha256, world: { name, imports, exports }, interfaces, wit, signature }
                       (world, interfaces and wit as plugin-actors wit --json prints them)`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { key: { type: 'string', multiple: true }, signature: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one component file');
    const facts = await readComponent(positionals[0]!);
    const found = await findSignature(facts.file, values.signature);
    const keys = await Promise.all((values.key ?? []).map(readKey));
    const status = !found ? 'unsigned' : keys.length === 0 ? 'signed (not checked: no --key given)' : verifyPluginBytes(facts.bytes, found.signature, keys) ? 'valid' : 'invalid';
    if (values.json) {
      out.json({
        file: facts.file, size: facts.size, sha256: facts.sha256, world: facts.world, interfaces: facts.interfaces, wit: facts.wit,
        signature: { status: status.split(' ')[0], ...(found ? { from: found.from } : {}) },
      });
      return EXIT.OK;
    }
    const head = (t: string) => out.paint('bold', t);
    out.line(`${head('file')}       ${facts.file}`);
    out.line(`${head('size')}       ${facts.size} bytes`);
    out.line(`${head('sha256')}     ${facts.sha256}`);
    const paintStatus = status === 'valid' ? out.paint('green', status) : status === 'invalid' ? out.paint('red', status) : out.paint('yellow', status);
    out.line(`${head('signature')}  ${paintStatus}${found ? out.paint('dim', ` (${found.from})`) : ''}`);
    out.line(`${head('imports')}    ${facts.world.imports.length === 0 ? 'none' : ''}`);
    for (const i of facts.world.imports) out.line(`  import ${i};`);
    out.line(`${head('exports')}    ${facts.world.exports.length === 0 ? 'none' : ''}`);
    for (const e of facts.world.exports) out.line(`  export ${e};`);
    out.line('');
    out.line(head('wit'));
    out.line(facts.wit.trimEnd());
    return EXIT.OK;
  },
};

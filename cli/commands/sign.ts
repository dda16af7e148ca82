/** `plugin-actors sign <plugin> --key <private-key>`: a detached signature for a plugin file. */
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import { signPluginBytes } from '../../host/integrity/index.js';
import type { Output } from '../output.js';
import { readKey } from '../signature-source.js';

export const command: Command = {
  name: 'sign',
  summary: 'sign a plugin file (writes <file>.sig)',
  help: `usage: plugin-actors sign <plugin-file> --key <private-key> [-o <sig-file>] [--json]

Signs the file's bytes with an ed25519 private key (PEM, from keygen) and writes the
base64 detached signature to <plugin-file>.sig (or -o). Put it in a plugin spec's
integrity.signature, or a plugin.json's signature.

options:
  --key <file>       the private key (PEM file)
  -o, --out <file>   where the signature goes (default <plugin-file>.sig; - for stdout)
  --json             print { file, sha256, signature }`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { key: { type: 'string' }, out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1 || !values.key) throw new UsageError('expected one plugin file and --key');
    const file = positionals[0]!;
    const bytes = new Uint8Array(await readFile(file));
    const signature = signPluginBytes(bytes, await readKey(values.key));
    const target = values.out ?? `${file}.sig`;
    if (target !== '-') await writeFile(target, `${signature}\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (values.json) out.json({ file, sha256, signature });
    else if (target === '-') out.line(signature);
    else out.line(`wrote ${target}`);
    return EXIT.OK;
  },
};

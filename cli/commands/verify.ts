/** `plugin-actors verify <plugin> --key <public-key>`: checks a plugin's signature (and digest). */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import { verifyPluginBytes } from '../../host/integrity/index.js';
import type { Output } from '../output.js';
import { findSignature, readKey } from '../signature-source.js';

export const command: Command = {
  name: 'verify',
  summary: 'check a plugin file\'s signature against trusted keys',
  help: `usage: plugin-actors verify <plugin-file> --key <public-key>… [--signature <file|base64>] [--sha256 <hex>] [--json]

Checks the detached signature (--signature, else <plugin-file>.sig, else a plugin.json
beside it) against the trusted public keys, and the sha256 when given. Exit code 0 when
it holds, 3 when it does not.

options:
  --key <key>          a trusted public key: PEM file or base64 SPKI (repeatable)
  --signature <sig>    the signature (a file, or base64)
  --sha256 <hex>       the expected digest
  --json               print { file, sha256, valid, reason? }`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { key: { type: 'string', multiple: true }, signature: { type: 'string' }, sha256: { type: 'string' } });
    if (positionals.length !== 1 || !values.key?.length) throw new UsageError('expected one plugin file and at least one --key');
    const file = positionals[0]!;
    const bytes = new Uint8Array(await readFile(file));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const found = await findSignature(file, values.signature);
    const keys = await Promise.all(values.key.map(readKey));
    const reason = values.sha256 !== undefined && values.sha256.toLowerCase() !== sha256 ? `sha256 is ${sha256}, expected ${values.sha256}`
      : !found ? 'no signature found'
        : !verifyPluginBytes(bytes, found.signature, keys) ? `the signature (${found.from}) was not made by any of the given keys`
          : undefined;
    if (values.json) out.json({ file, sha256, valid: reason === undefined, ...(reason ? { reason } : {}) });
    else if (reason) out.error(`${out.paint('red', 'invalid')}: ${file}: ${reason}`);
    else out.line(`${out.paint('green', 'valid')}: ${file} (signature ${found!.from})`);
    return reason ? EXIT.REJECTED : EXIT.OK;
  },
};

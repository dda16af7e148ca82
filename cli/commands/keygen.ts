/** `plugin-actors keygen -o <name>`: an ed25519 key pair for signing plugins. */
import { writeFile } from 'node:fs/promises';
import { EXIT, parseCommandLine, UsageError, type Command } from '../command.js';
import { generateSigningKeys } from '../../host/integrity/index.js';
import type { Output } from '../output.js';

export const command: Command = {
  name: 'keygen',
  summary: 'make an ed25519 key pair for signing plugins',
  help: `usage: plugin-actors keygen -o <name> [--json]

Writes <name>.key (the private key, PEM, mode 0600: keep it secret) and <name>.pub (the
public key, PEM: give it to new ActorSystem({ trustedKeys }) or to verify --key).

options:
  -o, --out <name>   file name prefix
  --json             print { privateKey, publicKey } file names`,
  async run(args: string[], out: Output): Promise<number> {
    const { values, positionals } = parseCommandLine(args, { out: { type: 'string', short: 'o' } });
    if (!values.out || positionals.length > 0) throw new UsageError('expected -o <name>');
    const keys = generateSigningKeys();
    await writeFile(`${values.out}.key`, keys.privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(`${values.out}.pub`, keys.publicKey, { flag: 'wx' });
    if (values.json) out.json({ privateKey: `${values.out}.key`, publicKey: `${values.out}.pub` });
    else out.line(`wrote ${values.out}.key (private: keep it secret) and ${values.out}.pub (public)`);
    return EXIT.OK;
  },
};

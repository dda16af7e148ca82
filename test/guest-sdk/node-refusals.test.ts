// A Node plugin that cannot serve its world says why before the handshake, and the host's
// load error quotes it (instead of "exited with code 1 before completing its handshake").
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ActorSystem } from '../../host/index.js';
import { root } from '../helpers.js';

const DIR = root('.cache/node-refusals');

async function plugin(name: string, body: string): Promise<string> {
  await mkdir(DIR, { recursive: true });
  const file = join(DIR, `${name}.mjs`);
  await writeFile(file, `import { serve } from ${JSON.stringify(pathToFileURL(root('dist/bundle/guest.js')).href)};\n${body}`);
  return file;
}

const WIT = JSON.stringify(root('examples/greeter/wit'));

async function loadError(file: string): Promise<unknown> {
  const system = new ActorSystem({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
  try {
    return await system.load({ name: 'p', command: [process.execPath, file] }).then(() => undefined, (e: unknown) => e);
  } finally {
    await system.close();
  }
}

describe('a Node plugin refused at load', () => {
  it('names the functions of its world it does not implement', async () => {
    const file = await plugin('missing', `await serve({ wit: ${WIT}, exports: { 'example:greeter/api': { greet: (n) => n, Counter: class {} } } });\n`);
    const error = await loadError(file);
    expect(error).toMatchObject({ code: 'ERR_HANDSHAKE' });
    expect((error as Error).message).toMatch(/ERR_EXPORT_MISSING: this plugin does not implement example:greeter\/api@0\.1\.0#greet-with, example:greeter\/api@0\.1\.0#sum, .*#words of world example:greeter\/greeter@0\.1\.0/);
    expect((error as Error).message).not.toMatch(/#greet,/);
  });

  it('names a world its WIT does not define', async () => {
    const file = await plugin('wrong-world', `await serve({ wit: ${WIT}, world: 'example:greeter/nope', exports: {} });\n`);
    const error = await loadError(file);
    expect(error).toMatchObject({ code: 'ERR_HANDSHAKE' });
    expect((error as Error).message).toMatch(/before completing its handshake: plugin-actors: ERR_WIT_NOT_FOUND: world example:greeter\/nope not found/);
  });

  it('quotes the error a crashing plugin printed', async () => {
    const file = await plugin('crash', "throw new TypeError('configuration is broken');\n");
    expect(((await loadError(file)) as Error).message).toMatch(/before completing its handshake: .*TypeError: configuration is broken/);
  });
});

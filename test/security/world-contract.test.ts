// `world`/`wit` for wasm plugins: the component's exports and imports must match the
// application's WIT structurally (the comparison the process handshake makes), or the load
// is refused with ERR_WORLD_MISMATCH naming the first difference — before any guest code
// runs, and without taking anything else down.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, isPluginHostError } from '../../host/index.js';
import { faultsSpecs, greeterSpecs, recordingLogger, root } from '../helpers.js';

const faultsWit = root('test/fixtures/faults/wit/faults.wit');
const greeterWit = root('examples/greeter/wit');
let dir: string;
let faultsSource: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-'));
  faultsSource = await readFile(faultsWit, 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

/** The faults WIT with one edit, in a file of its own. */
async function variant(name: string, from: string, to: string): Promise<string> {
  expect(faultsSource).toContain(from);
  const path = join(dir, `${name}.wit`);
  await writeFile(path, faultsSource.replace(from, to));
  return path;
}

async function refusal(load: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await load.then(() => undefined, (error: unknown) => error);
  expect(isPluginHostError(e), String(e)).toBe(true);
  return e as { code: string; message: string };
}

describe.each(['inline', 'worker'] as const)('a %s wasm plugin with world and wit', (isolation) => {
  it('loads when its exports and imports match, and serves', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const node = await system.load({ name: 'g', ...greeterSpecs.wasm, isolation, wit: greeterWit, world: 'example:greeter/greeter' });
    expect(await node.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('w')).toMatch(/w/);
    const faults = await system.load({ name: 'f', ...faultsSpecs.wasm, isolation, wit: faultsWit });
    expect(await faults.exports<{ echo(s: string): Promise<string> }>('test:faults/api').echo('e')).toBe('e');
  });

  it.each([
    ['an export with other parameter types', 'echo: func(s: string) -> string;', 'echo: func(s: u32) -> string;', /test:faults\/api@0\.1\.0#echo: expected echo\(s:u32\)->string, got echo\(s:string\)->string/],
    ['a missing export function', '  print: func(line: string) -> string;\n', '  print: func(line: string) -> string;\n  extra: func();\n', /has no function extra/],
    ['an extra export function', '  print: func(line: string) -> string;\n', '', /unexpected function print/],
    ['an import declared with other types (the host function never sees them)', 'wait: func(ms: u32) -> u32;', 'wait: func(ms: string) -> string;', /slow-host@0\.1\.0#wait: expected wait\(ms:string\)->string, got wait\(ms:u32\)->u32/],
    ['an import the world does not have', '  import slow-host;\n', '', /imports test:faults\/slow-host@0\.1\.0, which the expected world does not/],
    ['another version of the package', 'package test:faults@0.1.0;', 'package test:faults@0.2.0;', /does not export test:faults\/api@0\.2\.0/],
  ])('is refused with ERR_WORLD_MISMATCH for %s', async (name, from, to, message) => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const wit = await variant(name.replace(/\W+/g, '-'), from, to);
    const calls: number[] = [];
    const imports = { 'test:faults/slow-host': { wait: (ms: number) => { calls.push(ms); return ms; } } };
    const e = await refusal(system.load({ name: 'f', ...faultsSpecs.wasm, imports, isolation, wit }));
    expect(e).toMatchObject({ code: 'ERR_WORLD_MISMATCH', message: expect.stringMatching(message) });
    expect(e.message).toMatch(/^plugin f does not match world test:faults\/faults/);
    expect(calls).toEqual([]);
    expect(system.plugin('f')).toBeUndefined();
    // The system goes on serving.
    const other = await system.load({ name: 'other', ...greeterSpecs.wasm, isolation });
    expect(await other.exports<{ greet(n: string): Promise<string> }>('example:greeter/api').greet('x')).toMatch(/x/);
  });

  it('needs wit for world, and a world wit defines', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    expect(await refusal(system.load({ name: 'g', ...greeterSpecs.wasm, isolation, world: 'example:greeter/greeter' })))
      .toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/needs wit/) });
    expect(await refusal(system.load({ name: 'g', ...greeterSpecs.wasm, isolation, wit: greeterWit, world: 'example:greeter/nope' })))
      .toMatchObject({ code: 'ERR_WIT_NOT_FOUND' });
  });
});

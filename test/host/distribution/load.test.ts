// Loading plugins from runtime manifests: a folder of plugins (broken ones reported and
// skipped), npm packages from an explicit list, grants only as the application allows, and
// the process fallback only when this host cannot load the component.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActorSystem, generateSigningKeys, sha256Hex, signPluginBytes } from '../../../host/index.js';
import { wat } from '../../support/components.js';
import { recordingLogger, root } from '../../helpers.js';

const GREETER_WASM = root('examples/greeter/assemblyscript/build/greeter.wasm');
const GREETER_NODE = root('dist/examples/greeter/node/plugin.js');
const WORLD = 'example:greeter/greeter';

let dir: string;
let logger: ReturnType<typeof recordingLogger>;
let system: ActorSystem;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plugin-actors-dist-'));
  logger = recordingLogger();
  system = new ActorSystem({ logger });
});
afterEach(async () => {
  await system.close();
  await rm(dir, { recursive: true, force: true });
});

/** A plugin folder under `dir` with a plugin.json (and a copy of the greeter component when the manifest names one). */
async function plugin(folder: string, manifest: Record<string, unknown>, file = 'plugin.json'): Promise<string> {
  const at = join(dir, folder);
  await mkdir(at, { recursive: true });
  if (JSON.stringify(manifest).includes('"greeter.wasm"')) await cp(GREETER_WASM, join(at, 'greeter.wasm'));
  await writeFile(join(at, file), JSON.stringify(manifest));
  return at;
}
const wasmManifest = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '1.0.0', world: WORLD, wasm: 'greeter.wasm', ...extra });
const processManifest = (name: string, extra: Record<string, unknown> = {}) => ({ name, version: '1.0.0', world: WORLD, command: ['node', GREETER_NODE], ...extra });
const greet = (node: { exports(i: string): unknown }) => (node.exports('example:greeter/api') as { greet(n: string): Promise<string> }).greet('dist');

describe('loadManifest', () => {
  it('loads a wasm plugin from its folder and a process plugin from its plugin.json', async () => {
    const wasm = await system.loadManifest(await plugin('a', wasmManifest('a')));
    expect({ name: wasm.name, runs: wasm.runs, version: wasm.manifest.version }).toEqual({ name: 'a', runs: 'wasm', version: '1.0.0' });
    expect(await greet(wasm.node)).toBe('Hello, dist!');
    const proc = await system.loadManifest(join(await plugin('b', processManifest('b')), 'plugin.json'), { allowGrants: ['process'] });
    expect(proc.runs).toBe('process');
    expect(await greet(proc.node)).toBe('Hello, dist!');
  });

  it('refuses a malformed or missing manifest with ERR_MANIFEST_INVALID', async () => {
    await expect(system.loadManifest(await plugin('bad', { name: 'bad' }))).rejects.toMatchObject({ code: 'ERR_MANIFEST_INVALID', message: expect.stringMatching(/`version` is required/) });
    await mkdir(join(dir, 'empty'));
    await expect(system.loadManifest(join(dir, 'empty'))).rejects.toMatchObject({ code: 'ERR_MANIFEST_INVALID', message: expect.stringMatching(/no plugin.json/) });
    await writeFile(join(dir, 'empty', 'plugin.json'), '{ nope');
    await expect(system.loadManifest(join(dir, 'empty'))).rejects.toMatchObject({ code: 'ERR_MANIFEST_INVALID', message: expect.stringMatching(/not JSON/) });
  });

  it('gives grants only as the application allows: ERR_GRANT_DENIED otherwise, and nothing runs', async () => {
    const asks = await plugin('g', wasmManifest('g', { grants: { stdio: true, clocks: true } }));
    await expect(system.loadManifest(asks)).rejects.toMatchObject({ code: 'ERR_GRANT_DENIED', message: expect.stringMatching(/asks for stdio, clocks/) });
    await expect(system.loadManifest(asks, { allowGrants: ['stdio'] })).rejects.toMatchObject({ code: 'ERR_GRANT_DENIED', message: expect.stringMatching(/asks for clocks,? which/) });
    expect(system.plugins.size).toBe(0);
    const seen: string[] = [];
    const ok = await system.loadManifest(asks, { allowGrants: (r) => { seen.push(`${r.manifest.name}:${r.grant}`); return true; } });
    expect(seen).toEqual(['g:stdio', 'g:clocks']);
    expect(ok.runs).toBe('wasm');
  });

  it('running a command is a grant of its own (process)', async () => {
    await expect(system.loadManifest(await plugin('p', processManifest('p')))).rejects.toMatchObject({ code: 'ERR_GRANT_DENIED', message: expect.stringMatching(/asks for process/) });
    expect(system.plugins.size).toBe(0);
  });

  it('refuses a plugin of another world than the application loads, and one whose exports differ from its WIT', async () => {
    await expect(system.loadManifest(await plugin('w', wasmManifest('w')), { world: 'example:other/step' })).rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH' });
    await writeFile(join(dir, 'other.wit'), 'package example:greeter@0.1.0;\ninterface api { greet: func(name: string) -> u32; }\nworld greeter { export api; }\n');
    const liar = await plugin('liar', wasmManifest('liar', { wit: 'other.wit' }));
    await cp(join(dir, 'other.wit'), join(liar, 'other.wit'));
    await expect(system.loadManifest(liar)).rejects.toMatchObject({ code: 'ERR_WORLD_MISMATCH', message: expect.stringMatching(/does not match world/) });
    expect(system.plugins.size).toBe(0);
    const honest = await plugin('honest', wasmManifest('honest', { wit: 'wit' }));
    await cp(root('examples/greeter/wit'), join(honest, 'wit'), { recursive: true });
    expect((await system.loadManifest(honest)).runs).toBe('wasm');
  });

  it('falls back to the command when the component uses a feature this host lacks, and logs why', async () => {
    const at = await plugin('fb', processManifest('fb', { wasm: 'async.wasm' }));
    await writeFile(join(at, 'async.wasm'), await wat('(component (type (func async)))'));
    const loaded = await system.loadManifest(at, { allowGrants: ['process'] });
    expect(loaded.runs).toBe('process');
    expect(loaded.fallbackReason).toMatchObject({ code: 'ERR_COMPONENT_UNSUPPORTED' });
    expect(await greet(loaded.node)).toBe('Hello, dist!');
    expect(logger.records.find((r) => /cannot load its component.*running its command instead/.test(r.message))).toMatchObject({ level: 'warn', fields: { plugin: 'fb', code: 'ERR_COMPONENT_UNSUPPORTED' } });
  });

  it('never falls back after a refusal that is not "unsupported here": invalid component, grants', async () => {
    const invalid = await plugin('inv', processManifest('inv', { wasm: 'bad.wasm' }));
    await writeFile(join(invalid, 'bad.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]));
    await expect(system.loadManifest(invalid, { allowGrants: ['process'] })).rejects.toMatchObject({ code: expect.stringMatching(/ERR_COMPONENT_INVALID|ERR_LOAD_FAILED/) });
    const granted = await plugin('gr', processManifest('gr', { wasm: 'async.wasm', grants: { random: true } }));
    await writeFile(join(granted, 'async.wasm'), await wat('(component (type (func async)))'));
    await expect(system.loadManifest(granted, { allowGrants: ['process'] })).rejects.toMatchObject({ code: 'ERR_GRANT_DENIED' });
    expect(system.plugins.size).toBe(0);
  });
});

describe('integrity through manifests', () => {
  it('checks the sha256 a manifest pins: a mismatch is ERR_INTEGRITY and never falls back to the command', async () => {
    const bytes = await readFile(GREETER_WASM);
    const good = await plugin('good', wasmManifest('good', { sha256: sha256Hex(bytes) }));
    expect((await system.loadManifest(good)).runs).toBe('wasm');
    const bad = await plugin('bad', processManifest('bad', { wasm: 'greeter.wasm', sha256: '0'.repeat(64) }));
    await expect(system.loadManifest(bad, { allowGrants: ['process'] })).rejects.toMatchObject({ code: 'ERR_INTEGRITY' });
    expect(system.plugin('bad')).toBeUndefined();
  });

  it('pins a command plugin\'s entry file', async () => {
    const at = await plugin('entry', processManifest('entry', { command: ['node', 'plugin.js'], entry: 'plugin.js', sha256: '1'.repeat(64) }));
    await cp(GREETER_NODE, join(at, 'plugin.js'));
    await expect(system.loadManifest(at, { allowGrants: ['process'] })).rejects.toMatchObject({ code: 'ERR_INTEGRITY' });
    const ok = await plugin('entry-ok', processManifest('entry-ok', { command: ['node', GREETER_NODE], entry: 'plugin.js', sha256: sha256Hex(await readFile(GREETER_NODE)) }));
    await cp(GREETER_NODE, join(ok, 'plugin.js'));
    expect((await system.loadManifest(ok, { allowGrants: ['process'] })).runs).toBe('process');
  });

  it('with trustedKeys, loads a manifest signed by a trusted key and refuses an unsigned one (ERR_SIGNATURE, no fallback)', async () => {
    const keys = generateSigningKeys();
    const bytes = await readFile(GREETER_WASM);
    await using trusting = new ActorSystem({ logger, trustedKeys: [keys.publicKey] });
    const signed = await plugin('signed', wasmManifest('signed', { signature: signPluginBytes(bytes, keys.privateKey) }));
    expect((await trusting.loadManifest(signed)).runs).toBe('wasm');
    const unsigned = await plugin('unsigned', processManifest('unsigned', { wasm: 'greeter.wasm' }));
    await expect(trusting.loadManifest(unsigned, { allowGrants: ['process'] })).rejects.toMatchObject({ code: 'ERR_SIGNATURE' });
    const other = generateSigningKeys();
    const wrong = await plugin('wrong', wasmManifest('wrong', { signature: signPluginBytes(bytes, other.privateKey) }));
    await expect(trusting.loadManifest(wrong)).rejects.toMatchObject({ code: 'ERR_SIGNATURE' });
    expect([...trusting.plugins.keys()]).toEqual(['signed']);
  });
});

describe('loadAll', () => {
  it('loads every plugin folder, reports broken ones and skips them without stopping the others', async () => {
    await plugin('1-wasm', wasmManifest('one'));
    await plugin('2-broken', { name: 'two', version: '1', world: WORLD });
    await plugin('3-process', processManifest('three'));
    await plugin('4-denied', wasmManifest('four', { grants: { random: true } }));
    await plugin('5-missing-file', { ...wasmManifest('five'), wasm: 'nowhere.wasm' });
    await plugin('.hidden', wasmManifest('hidden'));
    await writeFile(join(dir, 'README.txt'), 'not a plugin');
    const result = await system.loadAll(dir, { allowGrants: ['process'] });
    expect(result.loaded.map((p) => [p.name, p.runs])).toEqual([['one', 'wasm'], ['three', 'process']]);
    expect(result.failed.map((f) => [f.source.slice(dir.length + 1), f.name, f.error.code])).toEqual([
      ['2-broken', undefined, 'ERR_MANIFEST_INVALID'],
      ['4-denied', 'four', 'ERR_GRANT_DENIED'],
      ['5-missing-file', 'five', 'ERR_LOAD_FAILED'],
    ]);
    expect(logger.records.filter((r) => r.level === 'warn' && / skipped: /.test(r.message))).toHaveLength(3);
    for (const p of result.loaded) expect(await greet(p.node)).toBe('Hello, dist!');
  });

  it('fails typed when the folder cannot be read', async () => {
    await expect(system.loadAll(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ERR_LOAD_FAILED' });
  });
});

describe('loadPackages', () => {
  beforeEach(async () => {
    await plugin('app/node_modules/@acme/greeter', { name: '@acme/greeter', version: '2.1.0', pluginActors: { world: WORLD, wasm: 'greeter.wasm' } }, 'package.json');
    await plugin('app/node_modules/plain', { name: 'plain', version: '1.0.0' }, 'package.json');
    await plugin('app/node_modules/unlisted', { name: 'unlisted', version: '1.0.0', pluginActors: { world: WORLD, wasm: 'greeter.wasm' } }, 'package.json');
    await mkdir(join(dir, 'app', 'src'), { recursive: true });
  });

  it('loads the packages named, found from the application folder up, named and versioned by their package.json', async () => {
    const result = await system.loadPackages(['@acme/greeter', 'plain', 'absent', '../escape'], { from: join(dir, 'app', 'src') });
    expect(result.loaded.map((p) => [p.name, p.manifest.version])).toEqual([['acme.greeter', '2.1.0']]);
    expect(await greet(result.loaded[0]!.node)).toBe('Hello, dist!');
    expect(result.failed.map((f) => [f.source, f.error.code])).toEqual([['plain', 'ERR_MANIFEST_INVALID'], ['absent', 'ERR_LOAD_FAILED'], ['../escape', 'ERR_MANIFEST_INVALID']]);
    expect(system.plugin('unlisted')).toBeUndefined();
  });

  it('without names, loads the `plugins` list of the application package.json — and nothing else in node_modules', async () => {
    await writeFile(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'app', plugins: ['@acme/greeter'] }));
    const result = await system.loadPackages(undefined, { from: join(dir, 'app') });
    expect(result.loaded.map((p) => p.name)).toEqual(['acme.greeter']);
    expect([...system.plugins.keys()]).toEqual(['acme.greeter']);
    await writeFile(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'app' }));
    await expect(system.loadPackages(undefined, { from: join(dir, 'app') })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});

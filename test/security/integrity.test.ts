// Integrity: sha256 pins and ed25519 signatures, for wasm (inline and worker) and process
// plugins. A refused plugin runs no code and the system goes on serving its other plugins.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActorSystem, type PluginNode, generateSigningKeys, isPluginHostError, sha256Hex, signPluginBytes, verifyPluginBytes } from '../../host/index.js';
import { greeterSpecs, recordingLogger, root } from '../helpers.js';

const greeterWasm = greeterSpecs.wasm.wasm;
let bytes: Uint8Array;
let digest: string;
const keys = generateSigningKeys();
const otherKeys = generateSigningKeys();
let dir: string;

beforeAll(async () => {
  bytes = new Uint8Array(await readFile(greeterWasm));
  digest = sha256Hex(bytes);
  dir = await mkdtemp(join(tmpdir(), 'integrity-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let system: ActorSystem | undefined;
afterEach(async () => { await system?.close(); system = undefined; });

interface Greeter { greet(name: string): Promise<string> }
const greet = (node: PluginNode) => node.exports<Greeter>('example:greeter/api').greet('pin');

async function refusal(load: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await load.then(() => undefined, (error: unknown) => error);
  expect(isPluginHostError(e), String(e)).toBe(true);
  return e as { code: string; message: string };
}

async function stillServing(s: ActorSystem, spec: Record<string, unknown> = {}): Promise<void> {
  const name = `other-${Math.random().toString(36).slice(2, 8)}`;
  const node = await s.load({ name, ...greeterSpecs.wasm, ...spec } as never);
  expect(await greet(node)).toMatch(/pin/);
}

describe('library functions', () => {
  it('sign and verify round-trip; another key, other bytes or a mangled signature do not verify', () => {
    const signature = signPluginBytes(bytes, keys.privateKey);
    expect(verifyPluginBytes(bytes, signature, [keys.publicKey])).toBe(true);
    expect(verifyPluginBytes(bytes, signature, [otherKeys.publicKey, keys.publicKey])).toBe(true);
    expect(verifyPluginBytes(bytes, signature, [otherKeys.publicKey])).toBe(false);
    const changed = bytes.slice();
    changed[changed.length - 1]! ^= 1;
    expect(verifyPluginBytes(changed, signature, [keys.publicKey])).toBe(false);
    expect(verifyPluginBytes(bytes, `${signature.slice(0, -4)}AAA=`, [keys.publicKey])).toBe(false);
    expect(verifyPluginBytes(bytes, 'not base64!', [keys.publicKey])).toBe(false);
    expect(verifyPluginBytes(bytes, '', [keys.publicKey])).toBe(false);
  });

  it('accepts keys as PEM or base64 DER, and refuses keys that are not ed25519', async () => {
    const { createPublicKey, generateKeyPairSync } = await import('node:crypto');
    const der = createPublicKey(keys.publicKey).export({ format: 'der', type: 'spki' }).toString('base64');
    const signature = signPluginBytes(bytes, keys.privateKey);
    expect(verifyPluginBytes(bytes, signature, [der])).toBe(true);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => verifyPluginBytes(bytes, signature, [rsa])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => signPluginBytes(bytes, keys.publicKey)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(() => new ActorSystem({ trustedKeys: ['garbage'] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/trustedKeys\[0\]/) }));
    expect(() => new ActorSystem({ trustedKeys: [] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
  });

  it('sha256Hex is the lowercase hex sha256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the integrity spec key', () => {
  it.each([
    [{ sha256: 'ABC' }, /64 lowercase hex/],
    [{ sha256: digest?.toUpperCase() ?? 'X'.repeat(64) }, /64 lowercase hex/],
    [{ signature: 'not base64!' }, /base64/],
    [{ sha: 'x' }, /"sha" is not an option of integrity/],
    [{ path: 'x.wasm' }, /pinned by its own bytes/],
    ['abc', /integrity must be an object/],
  ])('refuses %j for a wasm plugin', async (integrity, message) => {
    system = new ActorSystem({ logger: recordingLogger() });
    const e = await refusal(system.load({ name: 'bad', ...greeterSpecs.wasm, integrity } as never));
    expect(e).toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) });
  });

  it('refuses a process plugin integrity without path, and a path with nothing to check', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    expect(await refusal(system.load({ name: 'p', ...greeterSpecs.process, integrity: { sha256: '0'.repeat(64) } })))
      .toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/needs path/) });
    expect(await refusal(system.load({ name: 'p', ...greeterSpecs.process, integrity: { path: 'x.js' } })))
      .toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/needs integrity.sha256 or integrity.signature/) });
  });
});

describe.each(['inline', 'worker'] as const)('a %s wasm plugin', (isolation) => {
  it('loads with the right pin, from a path or from bytes', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    expect(await greet(await system.load({ name: 'a', wasm: greeterWasm, isolation, integrity: { sha256: digest } }))).toMatch(/pin/);
    expect(await greet(await system.load({ name: 'b', wasm: bytes, isolation, integrity: { sha256: digest } }))).toMatch(/pin/);
  });

  it('is refused with ERR_INTEGRITY when its bytes were tampered with, and the system keeps serving', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const tampered = join(dir, `tampered-${isolation}.wasm`);
    const changed = bytes.slice();
    changed[changed.length - 1]! ^= 1;
    await writeFile(tampered, changed);
    const e = await refusal(system.load({ name: 't', wasm: tampered, isolation, integrity: { sha256: digest } }));
    expect(e).toMatchObject({ code: 'ERR_INTEGRITY', message: expect.stringContaining(digest) });
    expect(system.plugin('t')).toBeUndefined();
    await stillServing(system, { isolation });
  });

  it('checks the bytes it compiles: an array changed after load() is not what runs', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const mine = bytes.slice();
    const loading = system.load({ name: 'copy', wasm: mine, isolation, integrity: { sha256: digest } });
    mine.fill(0);
    expect(await greet(await loading)).toMatch(/pin/);
  });

  it('with trustedKeys: runs a plugin signed by a trusted key, refuses unsigned and wrongly signed ones', async () => {
    system = new ActorSystem({ logger: recordingLogger(), trustedKeys: [otherKeys.publicKey, keys.publicKey] });
    const signature = signPluginBytes(bytes, keys.privateKey);
    expect(await greet(await system.load({ name: 'signed', wasm: greeterWasm, isolation, integrity: { signature } }))).toMatch(/pin/);
    expect(await refusal(system.load({ name: 'unsigned', wasm: greeterWasm, isolation })))
      .toMatchObject({ code: 'ERR_SIGNATURE', message: expect.stringMatching(/not signed/) });
    const untrusted = signPluginBytes(bytes, generateSigningKeys().privateKey);
    expect(await refusal(system.load({ name: 'wrong', wasm: greeterWasm, isolation, integrity: { signature: untrusted } })))
      .toMatchObject({ code: 'ERR_SIGNATURE', message: expect.stringMatching(/not valid/) });
    const changed = join(dir, `signed-then-changed-${isolation}.wasm`);
    const altered = bytes.slice();
    altered[altered.length - 1]! ^= 1;
    await writeFile(changed, altered);
    expect(await refusal(system.load({ name: 'altered', wasm: changed, isolation, integrity: { signature } })))
      .toMatchObject({ code: 'ERR_SIGNATURE' });
    await stillServing(system, { isolation, integrity: { signature } });
  });

  it('without trustedKeys, a signature is refused rather than silently unchecked', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const signature = signPluginBytes(bytes, keys.privateKey);
    expect(await refusal(system.load({ name: 's', wasm: greeterWasm, isolation, integrity: { signature } })))
      .toMatchObject({ code: 'ERR_SIGNATURE', message: expect.stringMatching(/no trustedKeys/) });
  });
});

describe('a restart checks again', () => {
  it('a file tampered with after the first start makes the restart fail with ERR_INTEGRITY', async () => {
    const logger = recordingLogger();
    system = new ActorSystem({ logger });
    const file = join(dir, 'restart.wasm');
    await copyFile(greeterWasm, file);
    const node = await system.load({ name: 'r', wasm: file, integrity: { sha256: digest }, restart: { policy: 'permanent', intensity: 2, backoff: { initialMs: 1, maxMs: 1 } } } as never);
    const failed = new Promise<{ reason: { code: string; cause?: { code?: string } } }>((resolve) => system!.once('failed', resolve as never));
    await writeFile(file, new Uint8Array(16));
    node.kill();
    expect((await failed).reason).toMatchObject({ code: 'ERR_RESTART_INTENSITY', cause: { code: 'ERR_INTEGRITY' } });
    expect(logger.records.some((r) => r.fields?.code === 'ERR_INTEGRITY' && /failed to restart/.test(r.message))).toBe(true);
  });
});

describe('a process plugin', () => {
  const script = root('dist/examples/greeter/node/plugin.js');
  let scriptBytes: Uint8Array;
  beforeAll(async () => { scriptBytes = new Uint8Array(await readFile(script)); });

  it('is checked against integrity.path (relative to cwd) before it is spawned', async () => {
    system = new ActorSystem({ logger: recordingLogger() });
    const spec = { ...greeterSpecs.process, cwd: dirname(script) };
    const ok = await system.load({ name: 'p', ...spec, integrity: { path: basename(script), sha256: sha256Hex(scriptBytes) } });
    expect(await greet(ok)).toMatch(/pin/);
    expect(await refusal(system.load({ name: 'q', ...spec, integrity: { path: basename(script), sha256: '0'.repeat(64) } })))
      .toMatchObject({ code: 'ERR_INTEGRITY' });
    expect(await refusal(system.load({ name: 'q', ...spec, integrity: { path: 'missing.js', sha256: '0'.repeat(64) } })))
      .toMatchObject({ code: 'ERR_INTEGRITY', message: expect.stringMatching(/cannot read/) });
  });

  it('with trustedKeys: needs a signature over its pinned file', async () => {
    system = new ActorSystem({ logger: recordingLogger(), trustedKeys: [keys.publicKey] });
    const signature = signPluginBytes(scriptBytes, keys.privateKey);
    expect(await greet(await system.load({ name: 'p', ...greeterSpecs.process, integrity: { path: script, signature } }))).toMatch(/pin/);
    expect(await refusal(system.load({ name: 'q', ...greeterSpecs.process }))).toMatchObject({ code: 'ERR_SIGNATURE' });
    expect(await refusal(system.load({ name: 'q', ...greeterSpecs.process, integrity: { path: script, signature: signPluginBytes(bytes, keys.privateKey) } })))
      .toMatchObject({ code: 'ERR_SIGNATURE' });
  });
});

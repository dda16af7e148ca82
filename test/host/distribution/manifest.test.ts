// Runtime manifests are validated completely and purely: every field, unknown keys refused,
// paths kept inside the plugin's folder, typed ERR_MANIFEST_INVALID naming the source.
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../../host/index.js';
import { specsFromManifest } from '../../../host/distribution/manifest-specs.js';

const base = { name: 'upper', version: '1.0.0', world: 'example:text/step', wasm: 'upper.wasm' };
const refused = (value: unknown, message: RegExp) => {
  let error: unknown;
  try { validateManifest(value, 'plugins/upper/plugin.json'); } catch (e) { error = e; }
  expect(error).toMatchObject({ code: 'ERR_MANIFEST_INVALID', message: expect.stringMatching(message) });
  expect((error as Error).message).toContain('plugins/upper/plugin.json');
};

describe('validateManifest', () => {
  it('accepts a wasm manifest, a command manifest, and one with both', () => {
    expect(validateManifest(base, 'x')).toEqual(base);
    expect(validateManifest({ ...base, wasm: undefined, command: ['python3', 'step.py'], entry: 'step.py', sha256: 'a'.repeat(64) }, 'x').command).toEqual(['python3', 'step.py']);
    expect(validateManifest({ ...base, command: ['node', 'step.js'], entry: 'step.js', entrySha256: 'b'.repeat(64), grants: { stdio: true } }, 'x').grants).toEqual({ stdio: true });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ ...base, sha: 'x' }, /"sha" is not a manifest field/],
    [{ ...base, name: undefined }, /`name` is required/],
    [{ ...base, name: 'a/b' }, /`name` must match/],
    [{ ...base, version: 1 }, /`version` must be a non-empty string/],
    [{ ...base, world: 'greeter' }, /`world` must be ns:pkg\/world/],
    [{ ...base, wasm: undefined }, /needs `wasm`.*or `command`/],
    [{ ...base, wasm: '../other/x.wasm' }, /inside the plugin's folder/],
    [{ ...base, wasm: '/etc/x.wasm' }, /inside the plugin's folder/],
    [{ ...base, sha256: 'ABC' }, /`sha256` must be 64 lowercase hex/],
    [{ ...base, command: [] }, /`command` must be a non-empty array/],
    [{ ...base, command: ['node', 3] }, /`command` must be a non-empty array/],
    [{ ...base, isolation: 'thread' }, /`isolation` must be/],
    [{ ...base, wasm: undefined, command: ['node', 'x.js'], grants: { stdio: true } }, /`grants` needs `wasm`/],
    [{ ...base, wasm: undefined, command: ['node', 'x.js'], sha256: 'a'.repeat(64) }, /need `entry`/],
    [{ ...base, entry: 'x.js' }, /`entry` needs `command`/],
    [{ ...base, grants: 'all' }, /`grants` must be an object/],
  ])('refuses %j', (value, message) => refused(value, message));
});

describe('specs from a manifest', () => {
  it('resolves paths in the folder, maps node to this Node.js and pins integrity', () => {
    const manifest = validateManifest({ ...base, command: ['node', 'step.js'], entry: 'step.js', sha256: 'a'.repeat(64), signature: 'c2ln', entrySha256: 'b'.repeat(64), wit: 'wit' }, 'x');
    const specs = specsFromManifest(manifest, '/plugins/upper');
    expect(specs.wasm).toEqual({ name: 'upper', wasm: '/plugins/upper/upper.wasm', integrity: { sha256: 'a'.repeat(64), signature: 'c2ln' } });
    expect(specs.process).toEqual({
      name: 'upper', command: [process.execPath, 'step.js'], cwd: '/plugins/upper', world: 'example:text/step', wit: '/plugins/upper/wit',
      integrity: { sha256: 'b'.repeat(64), path: '/plugins/upper/step.js' },
    });
  });

  it('keeps preopens asked for by a manifest inside the plugin folder', () => {
    const inFolder = validateManifest({ ...base, grants: { fs: { preopens: { '/data': { path: 'data' } } } } }, 'x');
    expect(specsFromManifest(inFolder, '/p').wasm?.grants).toEqual({ fs: { preopens: { '/data': { path: '/p/data' } } } });
    const escaping = validateManifest({ ...base, grants: { fs: { preopens: { '/data': { path: '../../home' } } } } }, 'x');
    expect(() => specsFromManifest(escaping, '/p')).toThrow(expect.objectContaining({ code: 'ERR_MANIFEST_INVALID', message: expect.stringMatching(/leads out of the plugin's folder/) }));
  });
});

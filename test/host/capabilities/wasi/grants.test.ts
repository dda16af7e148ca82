// Every WASI 0.2 interface a component may import is provided, function by function
// (checked against the WASI 0.2.12 and 0.2.10 WIT that jco ships); what is not granted
// denies as documented in host/capabilities/wasi/grants.ts.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWit } from '../../../../common/wit/load.js';
import type { WitFunction } from '../../../../common/wit/model.js';
import { camelCase, pascalCase } from '../../../../common/wit/names.js';
import { isSupportedWasiImport, validateGrants, wasiImports, type WasiGrants } from '../../../../host/capabilities/wasi/grants.js';
import { MAX_RANDOM_BYTES } from '../../../../host/capabilities/wasi/random.js';
import { recordingLogger, root } from '../../../helpers.js';

const WIT = root('node_modules/@bytecodealliance/jco/lib/wit/builtin');

/** Resources of which the host never makes an instance: their methods cannot be called. */
const NEVER_CREATED = new Set([
  'terminal-input', 'terminal-output', 'resolve-address-stream', 'tcp-socket', 'udp-socket', 'incoming-datagram-stream',
  'outgoing-datagram-stream', 'incoming-request', 'incoming-response', 'incoming-body', 'future-trailers',
  'future-incoming-response', 'response-outparam',
]);

/** Interfaces a component exports, never imports. */
const EXPORT_ONLY = new Set(['wasi:cli/run', 'wasi:http/incoming-handler']);

type Host = Record<string, unknown>;
const host = (grants: WasiGrants = {}) => wasiImports(grants, 'p', recordingLogger()).imports as Record<string, Host>;

function implemented(iface: Host, f: WitFunction): boolean {
  if (f.kind === 'freestanding') return typeof iface[camelCase(f.name)] === 'function';
  const cls = iface[pascalCase(f.resource!.name)] as ((new () => unknown) & Host & { prototype: Host }) | undefined;
  if (typeof cls !== 'function') return false;
  if (f.kind === 'constructor') return true;
  if (f.kind === 'static') return typeof cls[camelCase(f.shortName)] === 'function';
  return NEVER_CREATED.has(f.resource!.name) || typeof cls.prototype[camelCase(f.shortName)] === 'function';
}

describe('wasiImports', () => {
  it.each(['0.2.12', '0.2.10'])('provides every function of every WASI %s interface a component can import', async (version) => {
    const dirs = readdirSync(join(WIT, version)).filter((n) => n.startsWith('wasi-')).sort().map((n) => join(WIT, version, n));
    const resolved = await loadWit(dirs[0]!, { deps: dirs.slice(1) });
    const imports = host();
    const missing: string[] = [];
    let checked = 0;
    for (const pkg of resolved.packages) {
      if (pkg.name.version !== version) continue;
      for (const iface of pkg.interfaces.values()) {
        const name = `${pkg.name.namespace}:${pkg.name.name}/${iface.name}`;
        if (EXPORT_ONLY.has(name)) continue;
        const impl = imports[name];
        if (!impl) {
          missing.push(name);
          continue;
        }
        const functions = [...iface.functions.values(), ...[...iface.types.values()].flatMap((t) => (t.kind === 'resource' ? [...(t.ctor ? [t.ctor] : []), ...t.methods, ...t.statics] : []))];
        for (const f of functions) {
          checked++;
          if (!implemented(impl, f)) missing.push(`${name}#${f.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(version === '0.2.12' ? 150 : 40);
  });

  it('denies what is not granted: empty environment, still clocks, zero randomness, discarded output', () => {
    const logger = recordingLogger();
    const imports = wasiImports({}, 'p', logger).imports as Record<string, Host>;
    const call = (iface: string, fn: string, ...args: unknown[]) => (imports[iface]![fn] as (...a: unknown[]) => unknown)(...args);
    expect(call('wasi:cli/environment', 'getEnvironment')).toEqual([]);
    expect(call('wasi:cli/environment', 'getArguments')).toEqual([]);
    expect(call('wasi:cli/environment', 'initialCwd')).toBeUndefined();
    expect(call('wasi:clocks/monotonic-clock', 'now')).toBe(0n);
    expect(call('wasi:clocks/wall-clock', 'now')).toEqual({ seconds: 0n, nanoseconds: 0 });
    const sleep = call('wasi:clocks/monotonic-clock', 'subscribeDuration', 10n ** 12n) as { ready(): boolean };
    expect(sleep.ready()).toBe(true);
    expect(call('wasi:random/random', 'getRandomBytes', 16n)).toEqual(new Uint8Array(16));
    expect(call('wasi:random/insecure', 'getInsecureRandomU64')).toBe(0n);
    expect(call('wasi:random/insecure-seed', 'insecureSeed')).toEqual([0n, 0n]);
    const stdout = call('wasi:cli/stdout', 'getStdout') as { blockingWriteAndFlush(b: Uint8Array): void };
    stdout.blockingWriteAndFlush(new TextEncoder().encode('nobody sees this\n'));
    expect(logger.records).toEqual([]);
    expect(call('wasi:filesystem/preopens', 'getDirectories')).toEqual([]);
    expect(call('wasi:cli/terminal-stdout', 'getTerminalStdout')).toBeUndefined();
    expect(call('wasi:clocks/timezone', 'display', { seconds: 0n, nanoseconds: 0 })).toMatchObject({ name: 'UTC', utcOffset: 0 });
  });

  it.each([false, true])('refuses more random bytes than one call returns (granted: %s), before allocating them', (granted) => {
    const imports = wasiImports({ random: granted }, 'p', recordingLogger()).imports as Record<string, Host>;
    const bytes = imports['wasi:random/random']!.getRandomBytes as (n: bigint) => Uint8Array;
    const insecure = imports['wasi:random/insecure']!.getInsecureRandomBytes as (n: bigint) => Uint8Array;
    // 2^32 once aborted Node natively inside randomFillSync; a throw from a host import traps the guest.
    for (const ask of [2n ** 32n, 2n ** 64n - 1n, BigInt(MAX_RANDOM_BYTES) + 1n]) {
      expect(() => bytes(ask)).toThrow(RangeError);
      expect(() => insecure(ask)).toThrow(RangeError);
    }
    expect(bytes(BigInt(MAX_RANDOM_BYTES)).length).toBe(MAX_RANDOM_BYTES);
  });

  it('denies every network operation, granted or not', () => {
    const imports = host({ env: {}, stdio: true, clocks: true, random: true });
    const payload = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { payload: unknown }).payload;
      }
      return 'ok';
    };
    const network = (imports['wasi:sockets/instance-network']!.instanceNetwork as () => unknown)();
    expect(payload(() => (imports['wasi:sockets/tcp-create-socket']!.createTcpSocket as (f: string) => unknown)('ipv4'))).toBe('access-denied');
    expect(payload(() => (imports['wasi:sockets/udp-create-socket']!.createUdpSocket as (f: string) => unknown)('ipv6'))).toBe('access-denied');
    expect(payload(() => (imports['wasi:sockets/ip-name-lookup']!.resolveAddresses as (n: unknown, h: string) => unknown)(network, 'example.com'))).toBe('access-denied');
    const types = imports['wasi:http/types']! as Record<string, new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>>;
    const request = new types.OutgoingRequest!(new types.Fields!());
    request.setAuthority!('example.com');
    (request.body!() as { write(): unknown }).write();
    expect(payload(() => (imports['wasi:http/outgoing-handler']!.handle as (r: unknown, o: unknown) => unknown)(request, undefined))).toEqual({ tag: 'HTTP-request-denied' });
  });

  it('gives what is granted: the named environment, running clocks, random bytes', () => {
    const imports = host({ env: { A: 'ä' }, args: ['x'], cwd: '/w', clocks: true, random: true });
    const call = (iface: string, fn: string, ...args: unknown[]) => (imports[iface]![fn] as (...a: unknown[]) => unknown)(...args);
    expect(call('wasi:cli/environment', 'getEnvironment')).toEqual([['A', 'ä']]);
    expect(call('wasi:cli/environment', 'initialCwd')).toBe('/w');
    const wall = call('wasi:clocks/wall-clock', 'now') as { seconds: bigint };
    expect(Number(wall.seconds)).toBeGreaterThan(1_600_000_000);
    expect((call('wasi:random/random', 'getRandomBytes', 32n) as Uint8Array).some((b) => b !== 0)).toBe(true);
  });

  it('bounds what a guest can make the host allocate for random bytes', () => {
    expect(() => (host({ random: true })['wasi:random/random']!.getRandomBytes as (n: bigint) => unknown)(2n ** 40n)).toThrow(RangeError);
    expect(() => (host()['wasi:random/random']!.getRandomBytes as (n: bigint) => unknown)(2n ** 40n)).toThrow(RangeError);
  });
});

describe('validateGrants', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-actors-grants-'));
  writeFileSync(join(dir, 'file'), '');

  it.each([
    [{ network: true }, /unknown grant "network"/],
    [{ stdio: 'yes' }, /grants.stdio must be a boolean/],
    [{ env: { A: 1 } }, /grants.env must be an object of strings/],
    [{ fs: { preopens: { '/d': dir }, extra: 1 } }, /unknown field "extra"/],
    [{ fs: { preopens: { '/d': dir } } }, /must be an object \{ path, readOnly\? \}/],
    [{ fs: { preopens: { '/d': { path: join(dir, 'missing') } } } }, /cannot be read \(ENOENT\)/],
    [{ fs: { preopens: { '/d': { path: join(dir, 'file') } } } }, /is not a directory/],
    [{ fs: { preopens: { '/d': { path: dir, readOnly: 'no' } } } }, /readOnly must be a boolean/],
    [{ fs: { preopens: { '../d': { path: dir } } } }, /without NUL or `..`/],
  ])('refuses %j', (grants, message) => {
    expect(() => validateGrants(grants)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(message) }));
  });

  it('accepts a preopen, read-only unless said otherwise', () => {
    expect(validateGrants({ fs: { preopens: { '/d': { path: dir }, '/w': { path: dir, readOnly: false } } } })).toBeTruthy();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('isSupportedWasiImport', () => {
  it.each([
    ['wasi:cli/environment@0.2.0', true], ['wasi:io/streams@0.2.12', true], ['wasi:http/types@0.2.0-rc-2023-12-05', true],
    ['wasi:io/streams@0.3.0', false], ['wasi:cli/environment@0.1.0', false], ['example:other/api@9.0.0', true],
  ])('%s → %s', (name, supported) => {
    expect(isSupportedWasiImport(name)).toBe(supported);
  });
});

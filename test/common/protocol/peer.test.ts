// The one peer, end to end over in-memory channels: both roles, every reply path, the
// state rules, and exactly-once settlement under random interleavings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../common/codec/bytes.js';
import { isPluginHostError, PluginHostError } from '../../../common/errors.js';
import { functionTable } from '../../../common/protocol/function-table.js';
import { createMemoryChannelPair, type Schedule } from '../../../common/protocol/memory-channel.js';
import { beginMessage, Kind } from '../../../common/protocol/messages.js';
import { Peer, type PeerHandlers } from '../../../common/protocol/peer/peer.js';
import { parseWitSource, selectWorld } from '../../../common/wit/load.js';

const world = selectWorld(parseWitSource(`package test:peer@0.1.0;
interface api {
  echo: func(s: string) -> string;
  fail: func();
  later: func(ms: u32) -> u32;
  checked: func(n: u32) -> result<u32, string>;
}
interface host {
  note: func(s: string) -> u32;
}
world w { import host; export api; }
`), 'test:peer/w');
const exports = functionTable(world, 'export');
const imports = functionTable(world, 'import');
const index = (name: string) => exports.findIndex((e) => e.wireName.endsWith(`#${name}`));
const noHandles = { encode: () => { throw new Error('no resources here'); }, decode: () => { throw new Error('no resources here'); } };

interface Pair { host: Peer; plugin: Peer; closed: { host: PluginHostError[]; plugin: PluginHostError[] }; release: Map<number, () => void> }

function handlers(closed: PluginHostError[], extra: Partial<PeerHandlers> = {}): PeerHandlers {
  return { handshake: () => {}, channelClosed: () => {}, closed: (r) => closed.push(r), ...extra };
}

/** A host peer and a plugin peer serving `api`, already open (the handshake is the transports' business). */
function pair(options: { schedule?: Schedule; maxIncomingCalls?: number } = {}): Pair {
  const [a, b] = createMemoryChannelPair(options.schedule ? { schedule: options.schedule } : {});
  const closed = { host: [] as PluginHostError[], plugin: [] as PluginHostError[] };
  const release = new Map<number, () => void>();
  const host = new Peer({ role: 'host', channel: a, remoteName: 'plugin p', errorContext: { plugin: 'p' }, handlers: handlers(closed.host) });
  const plugin = new Peer({ role: 'plugin', channel: b, remoteName: 'host', sendStacks: true, handlers: handlers(closed.plugin), ...(options.maxIncomingCalls ? { maxIncomingCalls: options.maxIncomingCalls } : {}) });
  const impl: Record<string, (...a: unknown[]) => unknown> = {
    echo: (s) => s,
    fail: () => { throw new TypeError('deliberate'); },
    later: (ms) => new Promise((resolve) => release.set(ms as number, () => resolve(ms))),
    checked: (n) => { if ((n as number) > 10) throw new Error('too big', { cause: 0 }); return n; },
  };
  host.open({ outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming: imports.map((e) => ({ name: e.wireName, func: e.func, serve: (_s, args) => (args[0] as string).length })), hooks: noHandles });
  plugin.open({
    outgoing: imports.map((e) => ({ name: e.wireName, func: e.func })),
    incoming: exports.map((e) => ({ name: e.wireName, func: e.func, serve: (_s, args) => impl[e.func.name]!(...args) })),
    hooks: noHandles,
  });
  host.start();
  plugin.start();
  return { host, plugin, closed, release };
}

describe('Peer', () => {
  it('calls both ways, with values, errors and result payloads', async () => {
    const { host, plugin } = pair();
    expect(await host.call(index('echo'), undefined, ['hé 🌍'])).toBe('hé 🌍');
    expect(await plugin.call(0, undefined, ['four'])).toBe(4);
    await expect(host.call(index('fail'), undefined, [])).rejects.toMatchObject({
      code: 'ERR_REMOTE', plugin: 'p', method: 'fail', message: 'plugin p: deliberate', remote: { name: 'TypeError', stack: expect.stringMatching(/deliberate/) },
    });
    expect(await host.call(index('checked'), undefined, [3])).toEqual({ tag: 'ok', val: 3 });
  });

  it('refuses arguments that do not match their types before sending anything', async () => {
    const [a] = createMemoryChannelPair({ record: true });
    const host = new Peer({ role: 'host', channel: a, remoteName: 'p', handlers: handlers([]) });
    host.open({ outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming: [], hooks: noHandles });
    await expect(host.call(index('echo'), undefined, [42])).rejects.toMatchObject({ code: 'ERR_BAD_ARGUMENT', method: 'echo' });
    expect(a.sent).toHaveLength(0);
    expect(host.pendingCalls).toBe(0);
  });

  it('frees a call at its deadline, sends CANCEL, and ignores the late answer', async () => {
    const { host, plugin, release, closed } = pair();
    const call = host.call(index('later'), undefined, [5], AbortSignal.timeout(10));
    await expect(call).rejects.toMatchObject({ code: 'ERR_TIMEOUT', method: 'later' });
    expect(host.pendingCalls).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(plugin.servingCalls).toBe(1);
    release.get(5)!();
    await new Promise((r) => setTimeout(r, 5));
    expect(closed.host).toEqual([]);
    expect(await host.call(index('echo'), undefined, ['after'])).toBe('after');
  });

  it('aborts the implementation\'s signal when the caller cancels', async () => {
    const [a, b] = createMemoryChannelPair();
    const host = new Peer({ role: 'host', channel: a, remoteName: 'p', handlers: handlers([]) });
    const plugin = new Peer({ role: 'plugin', channel: b, remoteName: 'host', handlers: handlers([]) });
    let seen: AbortSignal | undefined;
    host.open({ outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming: [], hooks: noHandles });
    plugin.open({ outgoing: [], incoming: exports.map((e) => ({ name: e.wireName, func: e.func, serve: (_s, _a, call) => { seen = call.signal; return new Promise(() => {}); } })), hooks: noHandles });
    host.start();
    plugin.start();
    const controller = new AbortController();
    const call = host.call(index('later'), undefined, [1], controller.signal);
    await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    await new Promise((r) => setTimeout(r, 5));
    expect(seen?.aborted).toBe(true);
  });

  it('closes with ERR_PROTOCOL on an answer to a call never made', async () => {
    const [a, b] = createMemoryChannelPair();
    const closed: PluginHostError[] = [];
    const host = new Peer({ role: 'host', channel: a, remoteName: 'plugin p', handlers: handlers(closed) });
    host.open({ outgoing: [], incoming: [], hooks: noHandles });
    host.start();
    b.start({ frame: () => {}, closed: () => {} });
    const w = ByteWriter.framed();
    beginMessage(w, Kind.RETURN, 99);
    b.send(w.frame());
    await new Promise((r) => setTimeout(r, 5));
    expect(closed).toEqual([expect.objectContaining({ code: 'ERR_PROTOCOL', message: expect.stringMatching(/call 99, which was never made/) })]);
  });

  it.each([
    ['a CALL before the handshake ended', [[Kind.CALL, 1, 0]], false, /expected HELLO first/],
    ['WELCOME sent to the host', [[Kind.WELCOME, 0x7b, 0x7d]], true, /only the host's answer/],
    ['SHUTDOWN sent to the host', [[Kind.SHUTDOWN]], true, /SHUTDOWN goes from the host/],
    ['an unknown kind', [[0x55]], true, /belongs to no feature agreed/],
    ['a kind outside every range', [[0xee]], true, /unknown message kind/],
    ['a reused call id', [[Kind.CALL, 1, 0], [Kind.CALL, 1, 0]], true, /already in flight/],
  ])('closes the host side with ERR_PROTOCOL on %s', async (_what, frames, open, message) => {
    const [a, b] = createMemoryChannelPair();
    const closed: PluginHostError[] = [];
    const host = new Peer({ role: 'host', channel: a, remoteName: 'plugin p', handlers: handlers(closed) });
    if (open) host.open({ outgoing: [], incoming: imports.map((e) => ({ name: e.wireName, func: e.func, serve: () => new Promise(() => {}) })), hooks: noHandles });
    host.start();
    b.start({ frame: () => {}, closed: () => {} });
    for (const f of frames) {
      const w = ByteWriter.framed();
      for (const x of f) w.u8(x);
      if (f[0] === Kind.CALL) w.string('x');
      b.send(w.frame());
    }
    await new Promise((r) => setTimeout(r, 5));
    expect(closed).toEqual([expect.objectContaining({ code: 'ERR_PROTOCOL', message: expect.stringMatching(message) })]);
  });

  it('refuses incoming calls above the in-flight cap with ERR_BUSY, and serves again below it', async () => {
    const { host, release } = pair({ maxIncomingCalls: 2 });
    const first = host.call(index('later'), undefined, [1]);
    const second = host.call(index('later'), undefined, [2]);
    await expect(host.call(index('later'), undefined, [3])).rejects.toMatchObject({ code: 'ERR_BUSY' });
    release.get(1)!();
    expect(await first).toBe(1);
    expect(await host.call(index('echo'), undefined, ['ok'])).toBe('ok');
    release.get(2)!();
    expect(await second).toBe(2);
  });

  it('in closing state: the plugin refuses new calls, the host still gets its answers', async () => {
    const { host, plugin, release } = pair();
    const inFlight = host.call(index('later'), undefined, [1]);
    await new Promise((r) => setTimeout(r, 5));
    host.shutdown();
    await new Promise((r) => setTimeout(r, 5));
    expect(plugin.state).toBe('closing');
    const idle = host.whenIdle();
    release.get(1)!();
    expect(await inFlight).toBe(1);
    await idle;
    await expect(plugin.whenServed()).resolves.toBeUndefined();
  });

  it('delivers messages of an agreed feature, and only after the handshake', async () => {
    const [a, b] = createMemoryChannelPair();
    const got: number[] = [];
    const host = new Peer({ role: 'host', channel: a, remoteName: 'p', handlers: handlers([]) });
    const plugin = new Peer({ role: 'plugin', channel: b, remoteName: 'host', handlers: handlers([]) });
    host.open({ outgoing: [], incoming: [], hooks: noHandles, features: [{ name: 'test@1', kinds: [0x40], receive: (_k, body) => got.push(body.uleb()) }] });
    plugin.open({ outgoing: [], incoming: [], hooks: noHandles });
    host.start();
    plugin.start();
    plugin.sendFeature(0x40, (w) => w.uleb(300));
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([300]);
  });

  it('settles every call exactly once, whatever the interleaving of answers, aborts and close', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ op: fc.constantFrom('answer', 'abort', 'fail', 'timeout'), ms: fc.integer({ min: 1, max: 1000 }) }), { minLength: 1, maxLength: 20 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 200 }),
      fc.option(fc.nat({ max: 30 })),
      async (calls, picks, closeAt) => {
        const queue: (() => void)[] = [];
        const { host, release } = pair({ schedule: (f) => queue.push(f) });
        const settled: number[] = calls.map(() => 0);
        const outcomes: unknown[] = [];
        const controllers = calls.map(() => new AbortController());
        const promises = calls.map((c, i) => {
          const fn = c.op === 'fail' ? index('fail') : index('later');
          const p = host.call(fn, undefined, c.op === 'fail' ? [] : [i + 1], controllers[i]!.signal);
          return p.then((v) => { settled[i]!++; outcomes[i] = v; }, (e: unknown) => { settled[i]!++; outcomes[i] = e; });
        });
        let step = 0;
        for (const pick of picks) {
          if (closeAt !== null && step++ === closeAt) host.close(new PluginHostError('ERR_NODE_TERMINATED', 'closed by the test'));
          const i = pick % calls.length;
          const c = calls[i]!;
          if (pick % 3 === 0 && queue.length > 0) queue.splice(pick % queue.length, 1)[0]!();
          else if (c.op === 'abort' || c.op === 'timeout') controllers[i]!.abort(c.op === 'timeout' ? new DOMException('t', 'TimeoutError') : undefined);
          else release.get(i + 1)?.();
          await Promise.resolve();
        }
        // Drain everything still in flight, then end the peer: nothing may be left unsettled.
        for (const r of release.values()) r();
        while (queue.length > 0) { queue.shift()!(); await Promise.resolve(); }
        await new Promise((r) => setTimeout(r, 0));
        while (queue.length > 0) { queue.shift()!(); await Promise.resolve(); }
        host.close(new PluginHostError('ERR_NODE_TERMINATED', 'end of test'));
        await new Promise((r) => setTimeout(r, 0));
        expect(settled).toEqual(calls.map(() => 1));
        await Promise.all(promises);
        for (const o of outcomes) if (o instanceof Error) expect(isPluginHostError(o)).toBe(true);
        expect(host.pendingCalls).toBe(0);
      },
    ), { numRuns: 150 });
  });
});

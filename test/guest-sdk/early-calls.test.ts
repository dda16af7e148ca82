// A call that reaches a Node guest before `serve()` has returned waits for it; the value it
// then returns is sent as it is, even a resource with a method named `then` (a Promise
// would adopt it and the call would never settle: found by CI under load).
import { expect, it } from 'vitest';
import { functionTable } from '../../common/protocol/function-table.js';
import { createMemoryChannelPair } from '../../common/protocol/memory-channel.js';
import { Peer, type PeerHandlers } from '../../common/protocol/peer/peer.js';
import { parseWitSource, selectWorld } from '../../common/wit/load.js';
import { guestTables } from '../../guest-sdk/node/guest-tables.js';

const world = selectWorld(parseWitSource(`package test:early@0.1.0;
interface api {
  resource thing { then: func() -> string; }
  make: func() -> thing;
  count: func() -> u32;
}
world w { export api; }
`), 'test:early/w');

const handlers: PeerHandlers = { handshake: () => {}, channelClosed: () => {}, closed: () => {} };

it('answers calls that came before serve() returned, a then-method resource included', async () => {
  const [a, b] = createMemoryChannelPair();
  const exports = functionTable(world, 'export');
  const host = new Peer({ role: 'host', channel: a, remoteName: 'plugin', errorContext: { plugin: 'early' }, handlers });
  const plugin = new Peer({ role: 'plugin', channel: b, remoteName: 'host', handlers });
  class Thing { then() { return 'thing then'; } }
  let count = 0;
  const tables = guestTables(world, { protocol: 1, codec: 'wit', exports: exports.map((e) => e.wireName), imports: [] }, {
    'test:early/api': {
      Thing,
      make: () => new Thing(),
      count: () => ++count,
    },
  }, plugin);
  host.open({ outgoing: exports.map((e) => ({ name: e.wireName, func: e.func })), incoming: [], hooks: { encode: (_r, v) => v as number, decode: (_r, h) => h } });
  plugin.open(tables.peerTables);
  host.start();
  plugin.start();
  const at = (name: string) => exports.findIndex((e) => e.wireName.endsWith(`#${name}`));
  const early = host.call(at('make'), undefined, []);
  const counted = host.call(at('count'), undefined, []);
  await new Promise((r) => setTimeout(r, 20));
  expect(count).toBe(0); // not served before release
  tables.release();
  expect(typeof await early).toBe('number');
  expect(await counted).toBe(1);
  // After release a sync implementation's value goes out directly.
  expect(typeof await host.call(at('make'), undefined, [])).toBe('number');
});

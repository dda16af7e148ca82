// The host's side of tree@1 (docs/protocol.md §12.2) against a plugin that misuses it:
// routes for handles already handed out, ids that do not parse, floods of routes ahead of
// their handles, are protocol violations; an ENDED for a handle the host dropped is ignored.
import { describe, expect, it } from 'vitest';
import { WireError } from '../../../common/codec/bytes.js';
import type { ResourceType } from '../../../common/wit/model.js';
import type { ActorId } from '../../../host/system/actor-id.js';
import type { ResourceBridge } from '../../../host/system/node-connection.js';
import { RemoteHandles } from '../../../host/transports/remote-handles.js';

const bucket = { name: 'bucket' } as unknown as ResourceType;

function handles() {
  const adopted: { handle: number; route?: string }[] = [];
  const ended: string[] = [];
  const bridge: ResourceBridge = {
    isActorType: () => true,
    adopt: (_t, local, route?: ActorId) => { adopted.push({ handle: local as number, ...(route ? { route: String(route) } : {}) }); return { handle: local }; },
    resolve: () => 0,
    ended: (value, reason) => { ended.push(`${(value as { handle: number }).handle} ${reason.code} ${reason.downAt ?? ''}`); },
  };
  return { h: new RemoteHandles(bridge), adopted, ended };
}

describe('tree@1 on the host', () => {
  it('gives the next handle its route, and ends its actor on ENDED with the route prefixed by the plugin', () => {
    const { h, adopted, ended } = handles();
    h.route(1, 'leaf@1/5');
    h.decode(bucket, 1, true);
    h.decode(bucket, 2, true);
    expect(adopted).toEqual([{ handle: 1, route: 'leaf@1/5' }, { handle: 2 }]);
    h.ended({ handle: 1, code: 'ERR_SUBTREE_DOWN', downAt: 'leaf@1', message: 'down' }, 'mid@3');
    expect(ended).toEqual(['1 ERR_SUBTREE_DOWN mid@3/leaf@1']);
    // Already dropped by the host, or ended twice: nothing more happens.
    h.dropped(2);
    h.ended({ handle: 2, code: 'ERR_ACTOR_STOPPED', downAt: '', message: 'stopped' }, 'mid@3');
    h.ended({ handle: 1, code: 'ERR_SUBTREE_DOWN', downAt: 'leaf@1', message: 'down' }, 'mid@3');
    expect(ended).toHaveLength(1);
  });

  it('refuses misuse as protocol violations', () => {
    const { h } = handles();
    h.decode(bucket, 3, true);
    expect(() => h.route(3, 'leaf@1/5')).toThrow(WireError);
    expect(() => h.route(4, 'not an id')).toThrow(WireError);
    expect(() => h.ended({ handle: 3, code: 'ERR_SUBTREE_DOWN', downAt: 'no route', message: '' }, 'mid@1')).toThrow(WireError);
    for (let i = 0; i < 1024; i++) h.route(10 + i, 'leaf@1/1');
    expect(() => h.route(5000, 'leaf@1/1')).toThrow(/more than 1024 routes/);
  });
});

// Routed entries of a node's registry (a node that hosts its own children): found by their
// id's text, and ids through an older or ended incarnation of any hop are told apart.
import { describe, expect, it } from 'vitest';
import { ActorId } from '../../../host/system/actor-id.js';
import { ActorRegistry } from '../../../host/system/registry.js';
import type { ResourceDescription } from '../../../host/system/node-description.js';

const bucket = { name: 'bucket' } as unknown as ResourceDescription;

describe('routed entries', () => {
  it('carry the route under the node, and are found by id, never by their local key', () => {
    const registry = new ActorRegistry('top', 2);
    const entry = registry.add(bucket, 1, ActorId.parse('mid@1/leaf@3/5'));
    expect(String(entry.id)).toBe('top@2/mid@1/leaf@3/5');
    expect(registry.lookup(ActorId.parse('top@2/mid@1/leaf@3/5'))).toBe(entry);
    expect(registry.get(entry.key!)).toBeUndefined();
    registry.end(entry, { cause: 'stopped' });
    expect(registry.lookup(entry.id)).toBeUndefined();
  });

  it('an id through a hop older than one seen since is stale, at whatever depth', () => {
    const registry = new ActorRegistry('top', 1);
    registry.add(bucket, 1, ActorId.parse('mid@1/leaf@1/5'));
    expect(registry.staleHop(ActorId.parse('top@1/mid@1/leaf@1/9'))).toBeUndefined();
    // The leaf restarted under mid@1: an actor of its second incarnation came up.
    registry.add(bucket, 2, ActorId.parse('mid@1/leaf@2/1'));
    expect(registry.staleHop(ActorId.parse('top@1/mid@1/leaf@1/5'))).toBe('leaf@1');
    expect(registry.staleHop(ActorId.parse('top@1/mid@1/leaf@2/7'))).toBeUndefined();
    // mid restarted: everything under mid@1 is stale, whatever the leaf's incarnation.
    registry.add(bucket, 3, ActorId.parse('mid@2/leaf@1/1'));
    expect(registry.staleHop(ActorId.parse('top@1/mid@1/leaf@2/7'))).toBe('mid@1');
    expect(registry.staleHop(ActorId.parse('top@1/mid@2/leaf@1/1'))).toBeUndefined();
  });

  it('an id through a hop that went down is stale before anything newer is seen', () => {
    const registry = new ActorRegistry('top', 1);
    registry.add(bucket, 1, ActorId.parse('mid@4/leaf@1/5'));
    registry.wentDown(ActorId.parse('mid@4/leaf@1/0').hops);
    expect(registry.staleHop(ActorId.parse('top@1/mid@4/leaf@1/5'))).toBe('leaf@1');
    expect(registry.staleHop(ActorId.parse('top@1/mid@4/other@1/5'))).toBeUndefined();
  });
});

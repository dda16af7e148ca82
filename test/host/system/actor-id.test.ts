import { describe, expect, it } from 'vitest';
import { ActorId } from '../../../host/system/actor-id.js';

describe('ActorId', () => {
  it('prints and parses node@incarnation/local', () => {
    const id = new ActorId('greeter-1.a', 3, 42);
    expect(String(id)).toBe('greeter-1.a@3/42');
    expect(ActorId.parse('greeter-1.a@3/42').equals(id)).toBe(true);
    expect(ActorId.parse('x@1/0').isRoot).toBe(true);
    expect(JSON.stringify({ id })).toBe('{"id":"greeter-1.a@3/42"}');
  });

  it.each(['', 'greeter', 'greeter@1', 'greeter@0/1', 'greeter@1/-1', '-x@1/1', 'a b@1/1', 'x@1/1/2'])('rejects %j', (text) => {
    expect(() => ActorId.parse(text)).toThrowError(expect.objectContaining({ code: 'ERR_ACTOR_ID_INVALID' }));
  });
});

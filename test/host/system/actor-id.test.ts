import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ActorId, MAX_ROUTE_HOPS, parseActorId, printActorId } from '../../../host/system/actor-id.js';

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

describe('routed ids (a tree of hosts)', () => {
  it('carry every hop with its incarnation, printable and parsable', () => {
    const id = ActorId.parse('parent@2/child@1/5');
    expect(id).toMatchObject({ node: 'parent', incarnation: 2, local: 5, route: [{ node: 'child', incarnation: 1 }] });
    expect(id.isRoot).toBe(false);
    expect(String(id)).toBe('parent@2/child@1/5');
    expect(printActorId(parseActorId('a@1/b@2/c@3/0'))).toBe('a@1/b@2/c@3/0');
    expect(String(new ActorId('child', 1, 5).under('parent', 2))).toBe('parent@2/child@1/5');
    expect(ActorId.parse('parent@2/child@1/5').equals(ActorId.parse('parent@2/child@2/5'))).toBe(false);
  });

  it.each(['a@1/b/1', 'a@1/b@0/1', 'a@1//1', '/a@1/1', 'a@1/b@1/', `${'a@1/'.repeat(MAX_ROUTE_HOPS + 1)}1`])('rejects %j', (text) => {
    expect(() => ActorId.parse(text)).toThrowError(expect.objectContaining({ code: 'ERR_ACTOR_ID_INVALID' }));
  });

  const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
  const hop = fc.record({ node: name, incarnation: fc.integer({ min: 1, max: 999_999_999 }) });
  const id = fc.tuple(fc.array(hop, { minLength: 1, maxLength: MAX_ROUTE_HOPS }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })).map(
    ([hops, local]) => new ActorId(hops[0]!.node, hops[0]!.incarnation, local, hops.slice(1)),
  );

  it('parse ∘ print is the identity (property)', () => {
    fc.assert(fc.property(id, (a) => {
      const b = parseActorId(printActorId(a));
      return b.equals(a) && b.route.length === a.route.length && b.local === a.local && printActorId(b) === printActorId(a);
    }), { numRuns: 500 });
  });

  it('print ∘ parse is the identity on valid text, and anything else is refused with a typed error (property)', () => {
    const text = fc.oneof(id.map(printActorId), fc.string({ maxLength: 60 }), fc.array(fc.oneof(name, fc.constantFrom('@', '/', '1', '0', '@1/')), { maxLength: 12 }).map((p) => p.join('')));
    fc.assert(fc.property(text, (t) => {
      try {
        const parsed = parseActorId(t);
        // Numbers with leading zeros parse to the same id and print without them.
        const canonical = !/(^|[@/])0\d/.test(t);
        return parseActorId(printActorId(parsed)).equals(parsed) && (!canonical || printActorId(parsed) === t);
      } catch (e) {
        return (e as { code?: string }).code === 'ERR_ACTOR_ID_INVALID';
      }
    }), { numRuns: 1000 });
  });
});

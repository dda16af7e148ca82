/**
 * Actor ids: which node, which incarnation of it, which actor inside it.
 * Printed as `node@incarnation/local`, e.g. `greeter@1/0` (the root actor of the first
 * incarnation of node `greeter`). Ids are values: two ids are equal when their text is.
 *
 * An actor that lives deeper in a tree of hosts (a child of a plugin that runs its own
 * ActorSystem, docs/linking.md) has a *routed* id: every hop from this system down to the
 * actor's own node, each with its incarnation, then the local id there:
 * `top@2/level1@1/leaf@3/5`. The first hop is the node loaded here (`node`, `incarnation`);
 * `route` holds the hops below it. Because every hop carries its incarnation, an id made
 * before a restart anywhere on the path no longer matches and is refused as stale.
 */
import { PluginHostError } from '../../common/errors.js';

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HOP = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})@(\d{1,9})$/;
const LOCAL = /^\d{1,16}$/;
/** Hops in one id, this system's included: a bound that keeps parsing untrusted text cheap. */
export const MAX_ROUTE_HOPS = 32;

/** One hop of a route: a node and the incarnation of it the id was made under. */
export interface Hop {
  readonly node: string;
  readonly incarnation: number;
}

export class ActorId {
  readonly node: string;
  readonly incarnation: number;
  readonly local: number;
  /** The hops below `node@incarnation`, outermost first; empty for an actor of a node loaded here. */
  readonly route: readonly Hop[];

  constructor(node: string, incarnation: number, local: number, route: readonly Hop[] = []) {
    checkHop(node, incarnation);
    if (!Number.isSafeInteger(local) || local < 0) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid local id ${local}`);
    if (route.length + 1 > MAX_ROUTE_HOPS) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `an actor id has at most ${MAX_ROUTE_HOPS} hops`);
    for (const hop of route) checkHop(hop.node, hop.incarnation);
    this.node = node;
    this.incarnation = incarnation;
    this.local = local;
    this.route = route.length === 0 ? EMPTY : Object.freeze(route.map((h) => ({ node: h.node, incarnation: h.incarnation })));
  }

  /** Parses `node@incarnation/local` or a routed id `node@incarnation/child@incarnation/…/local`. */
  static parse(text: string): ActorId {
    const parts = typeof text === 'string' && text.length <= 64 * MAX_ROUTE_HOPS ? text.split('/') : [];
    const last = parts.pop();
    const hops = parts.map((p) => HOP.exec(p));
    if (last === undefined || !LOCAL.test(last) || hops.length === 0 || hops.length > MAX_ROUTE_HOPS || hops.some((m) => m === null)) {
      throw new PluginHostError('ERR_ACTOR_ID_INVALID', `${JSON.stringify(text)} is not an actor id (expected node@incarnation/local, e.g. greeter@1/0, or a routed one, e.g. top@2/leaf@1/5)`);
    }
    const [first, ...below] = hops.map((m) => ({ node: m![1]!, incarnation: Number(m![2]) }));
    return new ActorId(first!.node, first!.incarnation, Number(last), below);
  }

  /** Every hop, this system's node first. */
  get hops(): readonly Hop[] {
    return [{ node: this.node, incarnation: this.incarnation }, ...this.route];
  }

  /** The id seen one level up: `node@incarnation` of the host below it becomes the first hop. */
  under(node: string, incarnation: number): ActorId {
    return new ActorId(node, incarnation, this.local, this.hops);
  }

  get isRoot(): boolean {
    return this.local === 0 && this.route.length === 0;
  }

  equals(other: ActorId): boolean {
    return this.toString() === other.toString();
  }

  toString(): string {
    let text = `${this.node}@${this.incarnation}/`;
    for (const hop of this.route) text += `${hop.node}@${hop.incarnation}/`;
    return text + this.local;
  }

  toJSON(): string {
    return this.toString();
  }
}

const EMPTY: readonly Hop[] = Object.freeze([]);

function checkHop(node: string, incarnation: number): void {
  if (!NODE_NAME.test(node)) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid node name ${JSON.stringify(node)}`);
  if (!Number.isSafeInteger(incarnation) || incarnation < 1 || incarnation > 999_999_999) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid incarnation ${incarnation}`);
}

/** Parses an actor id, plain or routed (the function form of `ActorId.parse`). */
export function parseActorId(text: string): ActorId {
  return ActorId.parse(text);
}

/** Prints an actor id; `parseActorId(printActorId(id))` equals `id`. */
export function printActorId(id: ActorId): string {
  return id.toString();
}

export function isValidNodeName(name: string): boolean {
  return NODE_NAME.test(name);
}

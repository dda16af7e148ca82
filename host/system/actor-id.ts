/**
 * Actor ids: which node, which incarnation of it, which actor inside it.
 * Printed as `node@incarnation/local`, e.g. `greeter@1/0` (the root actor of the first
 * incarnation of node `greeter`). Ids are values: two ids are equal when their text is.
 */
import { PluginHostError } from '../../common/errors.js';

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ID = /^([A-Za-z0-9][A-Za-z0-9._-]{0,127})@(\d{1,9})\/(\d{1,15})$/;

export class ActorId {
  readonly node: string;
  readonly incarnation: number;
  readonly local: number;

  constructor(node: string, incarnation: number, local: number) {
    if (!NODE_NAME.test(node)) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid node name ${JSON.stringify(node)}`);
    if (!Number.isSafeInteger(incarnation) || incarnation < 1) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid incarnation ${incarnation}`);
    if (!Number.isSafeInteger(local) || local < 0) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `invalid local id ${local}`);
    this.node = node;
    this.incarnation = incarnation;
    this.local = local;
  }

  /** Parses `node@incarnation/local`. */
  static parse(text: string): ActorId {
    const m = ID.exec(text);
    if (!m) throw new PluginHostError('ERR_ACTOR_ID_INVALID', `${JSON.stringify(text)} is not an actor id (expected node@incarnation/local, e.g. greeter@1/0)`);
    return new ActorId(m[1]!, Number(m[2]), Number(m[3]));
  }

  get isRoot(): boolean {
    return this.local === 0;
  }

  equals(other: ActorId): boolean {
    return this.node === other.node && this.incarnation === other.incarnation && this.local === other.local;
  }

  toString(): string {
    return `${this.node}@${this.incarnation}/${this.local}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function isValidNodeName(name: string): boolean {
  return NODE_NAME.test(name);
}

/**
 * Checks a plugin's HELLO against what the host expects: protocol version, codec, and the
 * WIT world (by name, and by structure when the host gives its own WIT).
 */
import { PluginHostError } from '../../../common/errors.js';
import { compareWorlds } from '../../../common/wit/equal.js';
import { matchesId, parseWitSource, selectWorld } from '../../../common/wit/load.js';
import type { World } from '../../../common/wit/model.js';
import { worldId } from '../../../common/wit/model.js';
import { CODEC, PROTOCOL_VERSION, type Hello } from '../../../common/protocol/messages.js';
import { PING_FEATURE } from '../../../common/protocol/features/ping.js';
import { TREE_FEATURE } from '../../../common/protocol/features/tree.js';

export interface Expectation {
  /** `ns:pkg/world[@version]` the plugin must declare. */
  readonly world?: string;
  /** The host's own definition of that world: the plugin's must match it. */
  readonly expected?: World;
}

/** The features this host speaks (docs/protocol.md §12); WELCOME lists those the plugin offered too. */
export const HOST_FEATURES: readonly string[] = [PING_FEATURE, TREE_FEATURE];

/** The features both sides speak, from HELLO's list. */
export function agreedFeatures(hello: Hello): string[] {
  return (hello.features ?? []).filter((f) => HOST_FEATURES.includes(f));
}

/** The plugin's world, or a PluginHostError (ERR_HANDSHAKE / ERR_WORLD_MISMATCH) to reject with. */
export function checkHello(plugin: string, hello: unknown, expectation: Expectation): World {
  const h = hello as Partial<Hello>;
  const fail = (message: string) => new PluginHostError('ERR_HANDSHAKE', `plugin ${plugin}: ${message}`, { plugin });
  if (!h || typeof h !== 'object') throw fail('the handshake is not an object');
  if (!Array.isArray(h.protocol) || !h.protocol.every((v) => Number.isInteger(v))) throw fail('the handshake lacks `protocol` (a list of versions)');
  if (!h.protocol.includes(PROTOCOL_VERSION)) {
    throw fail(`the plugin speaks protocol version(s) ${h.protocol.join(', ') || 'none'}; this host speaks ${PROTOCOL_VERSION}`);
  }
  if (!Array.isArray(h.codecs) || !h.codecs.includes(CODEC)) throw fail(`the plugin does not offer the ${CODEC} codec`);
  if (typeof h.world !== 'string' || typeof h.wit !== 'string') throw fail('the handshake lacks `world` and `wit`');
  if (h.features !== undefined && !(Array.isArray(h.features) && h.features.every((f) => typeof f === 'string'))) throw fail('`features` must be a list of strings');
  let world: World;
  try {
    world = selectWorld(parseWitSource(h.wit, { file: `<${plugin} handshake>` }), h.world);
  } catch (cause) {
    throw new PluginHostError('ERR_HANDSHAKE', `plugin ${plugin} sent WIT the host cannot use: ${(cause as Error).message}`, { plugin, cause });
  }
  if (expectation.world && !matchesId(worldId(world), expectation.world)) {
    throw new PluginHostError('ERR_WORLD_MISMATCH', `plugin ${plugin} implements world ${worldId(world)}, but the host expects ${expectation.world}`, { plugin });
  }
  if (expectation.expected) {
    const diff = compareWorlds(expectation.expected, world);
    if (diff) throw new PluginHostError('ERR_WORLD_MISMATCH', `plugin ${plugin} does not match world ${worldId(expectation.expected)}: ${diff}`, { plugin });
  }
  return world;
}

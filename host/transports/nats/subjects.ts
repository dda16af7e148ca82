/**
 * The NATS subjects of one actor system's remote nodes (docs/protocol.md §14). Everything
 * lives under the system's namespace, so two applications sharing a NATS server (with
 * different namespaces) never see each other's runners or sessions.
 *
 *   <namespace>.node.<node>.connect     a host asks for a session (request/reply); runners of
 *                                       the node answer as one queue group, so each new
 *                                       session goes to one of them
 *   <namespace>.session.<id>.host       frames to the host of session <id>
 *   <namespace>.session.<id>.runner     frames to the runner of session <id>
 */
import { PluginHostError } from '../../../common/errors.js';

export const DEFAULT_NAMESPACE = 'plugin-actors';

/** The queue group every runner of a node joins. */
export const RUNNER_QUEUE = 'runners';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** True for a namespace of dot-separated tokens without wildcards. */
export function isValidNamespace(namespace: string): boolean {
  return namespace.length <= 200 && namespace.split('.').every((t) => TOKEN.test(t));
}

export function connectSubject(namespace: string, node: string): string {
  return `${namespace}.node.${node}.connect`;
}

export function sessionSubjects(namespace: string, session: string): { host: string; runner: string } {
  if (!TOKEN.test(session)) throw new PluginHostError('ERR_PROTOCOL', `a session id must be one subject token, got ${JSON.stringify(session)}`);
  return { host: `${namespace}.session.${session}.host`, runner: `${namespace}.session.${session}.runner` };
}

/** What a host sends on the connect subject. */
export interface ConnectRequest {
  /** The session id the host chose (a NATS nuid). */
  readonly session: string;
  /** The world the host expects (`ns:pkg/world[@version]`), when it names one. */
  readonly world?: string;
}

/** A runner's answer: it took the session (HELLO follows on the session's host subject), or why not. */
export type ConnectReply =
  | { readonly ok: true; readonly runner: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

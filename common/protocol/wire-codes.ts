/**
 * Error codes on the wire: small integers in a reserved range, mapped to and from the
 * library's string codes. Unknown numbers map to ERR_REMOTE.
 */
import type { ErrorCode } from '../errors.js';

const TO_WIRE: Partial<Record<ErrorCode, number>> = {
  ERR_REMOTE: 1,
  ERR_BAD_ARGUMENT: 2,
  ERR_UNKNOWN_FUNCTION: 3,
  ERR_ABORTED: 4,
  ERR_ACTOR_STOPPED: 5,
  ERR_PROTOCOL: 6,
  ERR_UNSUPPORTED: 7,
  ERR_TIMEOUT: 8,
  ERR_TRAPPED: 9,
  ERR_PLUGIN_EXITED: 10,
  ERR_RESULT: 11,
  ERR_BUSY: 12,
  ERR_LINK_FAILED: 13,
  ERR_LIMIT: 14,
};

const FROM_WIRE = new Map<number, ErrorCode>(Object.entries(TO_WIRE).map(([k, v]) => [v, k as ErrorCode]));

export function toWireCode(code: ErrorCode): number {
  return TO_WIRE[code] ?? 1;
}

export function fromWireCode(n: number): ErrorCode {
  return FROM_WIRE.get(n) ?? 'ERR_REMOTE';
}

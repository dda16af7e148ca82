/**
 * The messages of the plugin protocol (docs/protocol.md): kinds, the handshake's JSON
 * bodies, and their encoders and decoder. Each frame's payload starts with its kind byte.
 * Handshake messages carry JSON; everything else is binary. Only the peer builds messages.
 */
import { ByteReader, ByteWriter, WireError } from '../codec/bytes.js';

export const PROTOCOL_VERSION = 1;
export const CODEC = 'wit-value-v1';

export const Kind = {
  HELLO: 0x01,
  WELCOME: 0x02,
  REJECT: 0x03,
  CALL: 0x10,
  RETURN: 0x11,
  ERROR: 0x12,
  CANCEL: 0x13,
  DROP: 0x14,
  LOG: 0x20,
  SHUTDOWN: 0x30,
} as const;

/** Kinds `0x40`–`0x7f` belong to features agreed in the handshake (docs/protocol.md §12). */
export const FEATURE_KINDS = { first: 0x40, last: 0x7f } as const;

/** Plugin → host, first frame. */
export interface Hello {
  /** Protocol versions the plugin speaks. */
  readonly protocol: readonly number[];
  /** Value codecs the plugin supports; `wit-value-v1` is required. */
  readonly codecs: readonly string[];
  /** The world it implements: `ns:pkg/world@version`. */
  readonly world: string;
  /** WIT text defining that world and its dependencies. */
  readonly wit: string;
  /** Free-form SDK identification, for diagnostics. */
  readonly sdk?: string;
  /** Protocol features the plugin speaks, as `name@version` (§12). Absent means none. */
  readonly features?: readonly string[];
}

/** Host → plugin: the handshake succeeded. */
export interface Welcome {
  readonly protocol: number;
  readonly codec: string;
  /** Functions the host may call, by index: `iface#name` (or `name` for world-level ones). */
  readonly exports: readonly string[];
  /** Functions the plugin may call on the host, by index. */
  readonly imports: readonly string[];
  /** The features both sides use from now on: a subset of HELLO's `features`. */
  readonly features?: readonly string[];
}

/** Host → plugin: the handshake failed; the host closes the connection. */
export interface Reject {
  readonly code: string;
  readonly message: string;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type Message =
  | { kind: typeof Kind.HELLO; hello: Hello }
  | { kind: typeof Kind.WELCOME; welcome: Welcome }
  | { kind: typeof Kind.REJECT; reject: Reject }
  /** `body` is positioned after `fn`: at the self handle of a method, else at the arguments. */
  | { kind: typeof Kind.CALL; id: number; fn: number; body: ByteReader }
  | { kind: typeof Kind.RETURN; id: number; body: ByteReader }
  | { kind: typeof Kind.ERROR; id: number; code: number; message: string; data: string }
  | { kind: typeof Kind.CANCEL; id: number }
  | { kind: typeof Kind.DROP; id: number; handle: number }
  | { kind: typeof Kind.LOG; level: LogLevel; message: string }
  | { kind: typeof Kind.SHUTDOWN };

/** A feature's message (§12): its body is the feature's business. */
export interface FeatureMessage {
  readonly kind: number;
  readonly feature: true;
  readonly body: ByteReader;
}

const jsonDecoder = new TextDecoder('utf-8', { fatal: true });

function json<T>(payload: Uint8Array): T {
  let value: unknown;
  try {
    value = JSON.parse(jsonDecoder.decode(payload.subarray(1)));
  } catch {
    throw new WireError('handshake message is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new WireError('handshake message is not a JSON object');
  return value as T;
}

/** Decodes the header of a message; CALL, RETURN and feature messages leave their body to the caller. */
export function decodeMessage(payload: Uint8Array): Message | FeatureMessage {
  if (payload.length === 0) throw new WireError('empty frame');
  const r = new ByteReader(payload, 1);
  const kind = payload[0]!;
  let m: Message;
  switch (kind) {
    case Kind.HELLO: return { kind, hello: json<Hello>(payload) };
    case Kind.WELCOME: return { kind, welcome: json<Welcome>(payload) };
    case Kind.REJECT: return { kind, reject: json<Reject>(payload) };
    case Kind.CALL: return { kind, id: r.uleb(), fn: r.uleb(), body: r };
    case Kind.RETURN: return { kind, id: r.uleb(), body: r };
    case Kind.ERROR: m = { kind, id: r.uleb(), code: r.uleb(), message: r.string(), data: r.string() }; break;
    case Kind.CANCEL: m = { kind, id: r.uleb() }; break;
    case Kind.DROP: m = { kind, id: r.uleb(), handle: r.uleb() }; break;
    case Kind.LOG: {
      const level = LOG_LEVELS[r.u8()];
      if (!level) throw new WireError('unknown log level');
      m = { kind, level, message: r.string() };
      break;
    }
    case Kind.SHUTDOWN: m = { kind }; break;
    default:
      if (kind >= FEATURE_KINDS.first && kind <= FEATURE_KINDS.last) return { kind, feature: true, body: r };
      throw new WireError(`unknown message kind 0x${kind.toString(16)}`);
  }
  if (r.remaining !== 0) throw new WireError(`${r.remaining} trailing bytes after a message of kind 0x${kind.toString(16)}`);
  return m;
}

const jsonEncoder = new TextEncoder();

/** A whole frame (length header included) holding a JSON handshake message. */
export function jsonFrame(kind: number, body: unknown): Uint8Array {
  const text = jsonEncoder.encode(JSON.stringify(body));
  const w = ByteWriter.framed(5 + text.length);
  w.u8(kind);
  w.raw(text);
  return w.frame();
}

/** Starts a framed message in `w` (from `ByteWriter.framed()`): kind byte and, for most kinds, an id. */
export function beginMessage(w: ByteWriter, kind: number, id?: number): void {
  w.u8(kind);
  if (id !== undefined) w.uleb(id);
}

export function errorFrame(id: number, code: number, message: string, data = ''): Uint8Array {
  const w = ByteWriter.framed(40 + message.length + data.length);
  beginMessage(w, Kind.ERROR, id);
  w.uleb(code);
  w.string(message);
  w.string(data);
  return w.frame();
}

/** A frame of a kind followed by LEB128 integers (CANCEL, DROP, SHUTDOWN, an empty RETURN). */
export function simpleFrame(kind: number, ...values: number[]): Uint8Array {
  const w = ByteWriter.framed(16);
  w.u8(kind);
  for (const v of values) w.uleb(v);
  return w.frame();
}

export function logFrame(level: LogLevel, message: string): Uint8Array {
  const w = ByteWriter.framed(8 + message.length);
  w.u8(Kind.LOG);
  w.u8(LOG_LEVELS.indexOf(level));
  w.string(message);
  return w.frame();
}

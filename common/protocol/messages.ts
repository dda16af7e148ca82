/**
 * The messages of the plugin protocol (docs/protocol.md). Each frame's first byte is the
 * kind. Handshake messages carry JSON; call messages are binary.
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
}

/** Host → plugin: the handshake succeeded. */
export interface Welcome {
  readonly protocol: number;
  readonly codec: string;
  /** Functions the host may call, by index: `iface#name` (or `name` for world-level ones). */
  readonly exports: readonly string[];
  /** Functions the plugin may call on the host, by index. */
  readonly imports: readonly string[];
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
  /** `body` is positioned at the encoded arguments (after the self handle, if any). */
  | { kind: typeof Kind.CALL; id: number; fn: number; body: ByteReader }
  | { kind: typeof Kind.RETURN; id: number; body: ByteReader }
  | { kind: typeof Kind.ERROR; id: number; code: number; message: string; data: string }
  | { kind: typeof Kind.CANCEL; id: number }
  | { kind: typeof Kind.DROP; id: number; handle: number }
  | { kind: typeof Kind.LOG; level: LogLevel; message: string }
  | { kind: typeof Kind.SHUTDOWN };

const jsonDecoder = new TextDecoder('utf-8', { fatal: true });

function json<T>(payload: Uint8Array): T {
  try {
    return JSON.parse(jsonDecoder.decode(payload.subarray(1))) as T;
  } catch {
    throw new WireError('handshake message is not valid JSON');
  }
}

/** Decodes the header of a message; CALL and RETURN leave their body to the caller. */
export function decodeMessage(payload: Uint8Array): Message {
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
    default: throw new WireError(`unknown message kind 0x${kind.toString(16)}`);
  }
  if (r.remaining !== 0) throw new WireError(`${r.remaining} trailing bytes after a message of kind 0x${kind.toString(16)}`);
  return m;
}

const jsonEncoder = new TextEncoder();

export function encodeJson(kind: number, body: unknown): Uint8Array {
  const text = jsonEncoder.encode(JSON.stringify(body));
  const out = new Uint8Array(1 + text.length);
  out[0] = kind;
  out.set(text, 1);
  return out;
}

/** Starts a message in `w` (which must be empty): kind byte and, for most kinds, an id. */
export function beginMessage(w: ByteWriter, kind: number, id?: number): void {
  w.u8(kind);
  if (id !== undefined) w.uleb(id);
}

export function encodeError(id: number, code: number, message: string, data = ''): Uint8Array {
  const w = new ByteWriter(32 + message.length);
  beginMessage(w, Kind.ERROR, id);
  w.uleb(code);
  w.string(message);
  w.string(data);
  return w.view_().slice();
}

export function encodeSimple(kind: number, ...values: number[]): Uint8Array {
  const w = new ByteWriter(16);
  w.u8(kind);
  for (const v of values) w.uleb(v);
  return w.view_().slice();
}

export function encodeLog(level: LogLevel, message: string): Uint8Array {
  const w = new ByteWriter(8 + message.length);
  w.u8(Kind.LOG);
  w.u8(LOG_LEVELS.indexOf(level));
  w.string(message);
  return w.view_().slice();
}

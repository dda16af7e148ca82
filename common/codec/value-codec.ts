/**
 * Encodes and decodes JS values by their WIT types for the subprocess wire protocol, with
 * the same JS mapping as the wasm side (jco's). The byte format is the component model's
 * value encoding (Binary.md, "Value Definitions"), with resources as LEB128 handles; see
 * docs/protocol.md.
 *
 * Encoding validates: a value that does not match its type throws ERR_BAD_ARGUMENT naming
 * the path, before anything is sent. Decoding validates every byte and throws `WireError`.
 * Codecs are compiled once per type into closures.
 */
import { PluginHostError } from '../errors.js';
import { describe } from './describe-value.js';
import type { ResourceType, Type } from '../wit/model.js';
import { unalias } from '../wit/model.js';
import { camelCase } from '../wit/names.js';
import { ByteReader, ByteWriter, WireError } from './bytes.js';

export interface ValueCodec {
  encode(w: ByteWriter, value: unknown): void;
  decode(r: ByteReader): unknown;
}

/** How handles cross: the transport maps values to wire handles and back. */
export interface ResourceHooks {
  encode(resource: ResourceType, value: unknown, own: boolean, path: string): number;
  decode(resource: ResourceType, handle: number, own: boolean): unknown;
  /**
   * Brackets the encoding of one call's arguments, so hooks can check the call as a whole
   * (one resource must not be both lent and given away in it) and give owned resources away
   * only once every argument encoded: `endCall(true)` commits, `endCall(false)` drops it.
   */
  beginCall?(): void;
  endCall?(commit: boolean): void;
}

const TYPED: Record<string, { ctor: new (n: number) => ArrayLike<number | bigint> & { [i: number]: number | bigint }; name: string }> = {
  u8: { ctor: Uint8Array, name: 'Uint8Array' }, s8: { ctor: Int8Array, name: 'Int8Array' },
  u16: { ctor: Uint16Array, name: 'Uint16Array' }, s16: { ctor: Int16Array, name: 'Int16Array' },
  u32: { ctor: Uint32Array, name: 'Uint32Array' }, s32: { ctor: Int32Array, name: 'Int32Array' },
  u64: { ctor: BigUint64Array as never, name: 'BigUint64Array' }, s64: { ctor: BigInt64Array as never, name: 'BigInt64Array' },
  f32: { ctor: Float32Array, name: 'Float32Array' }, f64: { ctor: Float64Array, name: 'Float64Array' },
};

function bad(path: string, expected: string, value: unknown): never {
  throw new PluginHostError('ERR_BAD_ARGUMENT', `${path}: expected ${expected}, got ${describe(value)}`);
}

function isNullableOption(t: Type): boolean {
  const u = unalias(t);
  return u.kind === 'option' && !isNullableOption(u.some);
}

function intCodec(kind: string, path: string): ValueCodec {
  switch (kind) {
    case 'u8': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) bad(path, 'an integer in u8 range [0, 255]', v); w.u8(v as number); },
      decode(r) { return r.u8(); },
    };
    case 's8': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < -128 || (v as number) > 127) bad(path, 'an integer in s8 range [-128, 127]', v); w.u8((v as number) & 0xff); },
      decode(r) { return (r.u8() << 24) >> 24; },
    };
    case 'u16': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 65535) bad(path, 'an integer in u16 range [0, 65535]', v); w.uleb(v as number); },
      decode(r) { return r.uleb(0xffff); },
    };
    case 'u32': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 4294967295) bad(path, 'an integer in u32 range [0, 4294967295]', v); w.uleb(v as number); },
      decode(r) { return r.uleb(); },
    };
    case 's16': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < -32768 || (v as number) > 32767) bad(path, 'an integer in s16 range [-32768, 32767]', v); w.sleb32(v as number); },
      decode(r) {
        const x = r.sleb32();
        if (x < -32768 || x > 32767) throw new WireError('s16 out of range');
        return x;
      },
    };
    case 's32': return {
      encode(w, v) { if (!Number.isInteger(v) || (v as number) < -2147483648 || (v as number) > 2147483647) bad(path, 'an integer in s32 range', v); w.sleb32(v as number); },
      decode(r) { return r.sleb32(); },
    };
    case 'u64': return {
      encode(w, v) { if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) bad(path, 'a bigint in u64 range', v); w.uleb64(v); },
      decode(r) { return r.uleb64(); },
    };
    case 's64': return {
      encode(w, v) { if (typeof v !== 'bigint' || v < -0x8000000000000000n || v > 0x7fffffffffffffffn) bad(path, 'a bigint in s64 range', v); w.sleb64(v); },
      decode(r) { return r.sleb64(); },
    };
    default: throw new Error(`internal: ${kind}`);
  }
}

/** Compiles the codec of one WIT type. `path` names the value in error messages. */
export function compileCodec(type: Type, hooks: ResourceHooks, path = 'value'): ValueCodec {
  const t = unalias(type);
  switch (t.kind) {
    case 'bool': return {
      encode(w, v) { if (typeof v !== 'boolean') bad(path, 'a boolean', v); w.u8(v ? 1 : 0); },
      decode(r) {
        const b = r.u8();
        if (b > 1) throw new WireError(`bool byte ${b}`);
        return b === 1;
      },
    };
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': case 'u64': case 's64':
      return intCodec(t.kind, path);
    case 'f32': return {
      encode(w, v) { if (typeof v !== 'number') bad(path, 'a number', v); w.f32(v); },
      decode(r) { return r.f32(); },
    };
    case 'f64': return {
      encode(w, v) { if (typeof v !== 'number') bad(path, 'a number', v); w.f64(v); },
      decode(r) { return r.f64(); },
    };
    case 'char': return {
      encode(w, v) {
        if (typeof v !== 'string' || v.length === 0 || v.length > 2) bad(path, 'a one-character string (char)', v);
        const cp = v.codePointAt(0)!;
        if ((cp >= 0xd800 && cp <= 0xdfff) || v.length !== (cp > 0xffff ? 2 : 1)) bad(path, 'a one-character string (char)', v);
        w.raw(new TextEncoder().encode(v));
      },
      decode(r) {
        const b0 = r.u8();
        const n = b0 < 0x80 ? 0 : b0 >= 0xf0 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc0 ? 1 : -1;
        if (n < 0) throw new WireError('char is not valid UTF-8');
        const bytes = new Uint8Array(n + 1);
        bytes[0] = b0;
        for (let i = 1; i <= n; i++) bytes[i] = r.u8();
        let s: string;
        try {
          s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {
          throw new WireError('char is not valid UTF-8');
        }
        if ([...s].length !== 1) throw new WireError('char is not one scalar value');
        return s;
      },
    };
    case 'string': return {
      encode(w, v) { if (typeof v !== 'string') bad(path, 'a string', v); w.string(v); },
      decode(r) { return r.string(); },
    };
    case 'list': return listCodec(t.element, t.length, hooks, path);
    case 'option': {
      const some = compileCodec(t.some, hooks, path);
      if (isNullableOption(t.some)) {
        return {
          encode(w, v) {
            if (v === null || typeof v !== 'object') bad(path, 'an option object { tag: "none" | "some", val }', v);
            const o = v as { tag: unknown; val: unknown };
            if (o.tag === 'none') w.u8(0);
            else if (o.tag === 'some') { w.u8(1); some.encode(w, o.val); } else bad(`${path}.tag`, 'none or some', o.tag);
          },
          decode(r) {
            const tag = r.u8();
            if (tag === 0) return { tag: 'none' };
            if (tag === 1) return { tag: 'some', val: some.decode(r) };
            throw new WireError(`option tag ${tag}`);
          },
        };
      }
      return {
        encode(w, v) {
          if (v === undefined || v === null) w.u8(0);
          else { w.u8(1); some.encode(w, v); }
        },
        decode(r) {
          const tag = r.u8();
          if (tag === 0) return undefined;
          if (tag === 1) return some.decode(r);
          throw new WireError(`option tag ${tag}`);
        },
      };
    }
    case 'result': {
      const ok = t.ok ? compileCodec(t.ok, hooks, `${path}.val`) : undefined;
      const err = t.err ? compileCodec(t.err, hooks, `${path}.val`) : undefined;
      return {
        encode(w, v) {
          if (v === null || typeof v !== 'object') bad(path, 'a result object { tag: "ok" | "err", val }', v);
          const o = v as { tag: unknown; val: unknown };
          if (o.tag === 'ok') { w.u8(0); ok?.encode(w, o.val); } else if (o.tag === 'err') { w.u8(1); err?.encode(w, o.val); } else bad(`${path}.tag`, 'ok or err', o.tag);
        },
        decode(r) {
          const tag = r.u8();
          if (tag === 0) return { tag: 'ok', val: ok?.decode(r) };
          if (tag === 1) return { tag: 'err', val: err?.decode(r) };
          throw new WireError(`result tag ${tag}`);
        },
      };
    }
    case 'tuple': {
      const parts = t.types.map((x, i) => compileCodec(x, hooks, `${path}[${i}]`));
      return {
        encode(w, v) {
          if (!Array.isArray(v) || v.length !== parts.length) bad(path, `an array of ${parts.length} elements (tuple)`, v);
          for (let i = 0; i < parts.length; i++) parts[i]!.encode(w, v[i]);
        },
        decode(r) { return parts.map((p) => p.decode(r)); },
      };
    }
    case 'record': {
      const fields = t.fields.map((f) => ({ key: camelCase(f.name), codec: compileCodec(f.type, hooks, `${path}.${camelCase(f.name)}`) }));
      return {
        encode(w, v) {
          if (v === null || typeof v !== 'object') bad(path, `a ${t.name || 'record'} object`, v);
          const o = v as Record<string, unknown>;
          for (const f of fields) f.codec.encode(w, o[f.key]);
        },
        decode(r) {
          const o: Record<string, unknown> = {};
          for (const f of fields) o[f.key] = f.codec.decode(r);
          return o;
        },
      };
    }
    case 'variant': {
      const cases = t.cases.map((c) => ({ name: c.name, codec: c.type ? compileCodec(c.type, hooks, `${path}.val`) : undefined }));
      const index = new Map(cases.map((c, i) => [c.name, i]));
      return {
        encode(w, v) {
          if (v === null || typeof v !== 'object') bad(path, `a ${t.name || 'variant'} object { tag, val }`, v);
          const o = v as { tag: string; val: unknown };
          const i = index.get(o.tag);
          if (i === undefined) bad(`${path}.tag`, `one of ${cases.map((c) => c.name).join(', ')}`, o.tag);
          w.uleb(i);
          cases[i]!.codec?.encode(w, o.val);
        },
        decode(r) {
          const i = r.uleb();
          const c = cases[i];
          if (!c) throw new WireError(`variant case ${i} of ${cases.length}`);
          return c.codec ? { tag: c.name, val: c.codec.decode(r) } : { tag: c.name };
        },
      };
    }
    case 'enum': {
      const names = t.cases.map((c) => c.name);
      const index = new Map(names.map((n, i) => [n, i]));
      return {
        encode(w, v) {
          const i = index.get(v as string);
          if (i === undefined) bad(path, `one of ${names.join(', ')}`, v);
          w.uleb(i);
        },
        decode(r) {
          const i = r.uleb();
          if (i >= names.length) throw new WireError(`enum case ${i} of ${names.length}`);
          return names[i];
        },
      };
    }
    case 'flags': {
      const keys = t.flags.map((f) => camelCase(f.name));
      const bytes = Math.ceil(keys.length / 8);
      return {
        encode(w, v) {
          if (v === null || typeof v !== 'object') bad(path, 'an object of booleans (flags)', v);
          const o = v as Record<string, unknown>;
          for (let b = 0; b < bytes; b++) {
            let byte = 0;
            for (let i = 0; i < 8 && b * 8 + i < keys.length; i++) if (o[keys[b * 8 + i]!]) byte |= 1 << i;
            w.u8(byte);
          }
        },
        decode(r) {
          const o: Record<string, boolean> = {};
          for (let b = 0; b < bytes; b++) {
            const byte = r.u8();
            const count = Math.min(8, keys.length - b * 8);
            if (byte >> count !== 0) throw new WireError('flags has bits set beyond its labels');
            for (let i = 0; i < count; i++) o[keys[b * 8 + i]!] = (byte & (1 << i)) !== 0;
          }
          return o;
        },
      };
    }
    case 'own': case 'borrow': {
      const resource = unalias(t.resource) as ResourceType;
      const own = t.kind === 'own';
      return {
        encode(w, v) { w.uleb(hooks.encode(resource, v, own, path)); },
        decode(r) { return hooks.decode(resource, r.uleb(), own); },
      };
    }
    default:
      throw new PluginHostError('ERR_UNSUPPORTED', `WIT ${t.kind} values cannot cross the process protocol yet`);
  }
}

function listCodec(element: Type, fixed: number | undefined, hooks: ResourceHooks, path: string): ValueCodec {
  const e = unalias(element);
  const typed = TYPED[e.kind];
  const item = compileCodec(element, hooks, `${path}[]`);
  const checkLength = (n: number, v: unknown) => {
    if (fixed !== undefined && n !== fixed) bad(path, `a list of exactly ${fixed} elements`, v);
  };
  if (typed) {
    return {
      encode(w, v) {
        if (v instanceof typed.ctor) {
          checkLength(v.length, v);
          if (fixed === undefined) w.uleb(v.length);
          if (e.kind === 'u8') w.raw(v as Uint8Array);
          else for (let i = 0; i < v.length; i++) item.encode(w, v[i]);
          return;
        }
        if (!Array.isArray(v)) bad(path, `a ${typed.name} or an array`, v);
        checkLength(v.length, v);
        if (fixed === undefined) w.uleb(v.length);
        for (let i = 0; i < v.length; i++) item.encode(w, v[i]);
      },
      decode(r) {
        const n = fixed ?? r.uleb(r.remaining);
        if (e.kind === 'u8') return new Uint8Array(r.take(n));
        const out = new typed.ctor(n);
        for (let i = 0; i < n; i++) out[i] = item.decode(r) as never;
        return out;
      },
    };
  }
  return {
    encode(w, v) {
      if (!Array.isArray(v)) bad(path, 'an array', v);
      checkLength(v.length, v);
      if (fixed === undefined) w.uleb(v.length);
      for (let i = 0; i < v.length; i++) item.encode(w, v[i]);
    },
    decode(r) {
      const n = fixed ?? r.uleb(r.remaining);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = item.decode(r);
      return out;
    },
  };
}

export { ByteReader, ByteWriter, WireError };

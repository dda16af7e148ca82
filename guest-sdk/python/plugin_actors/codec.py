"""The `wit-value-v1` value encoding (docs/protocol.md, section 4), by resolved WIT type.

Python values: bool, int, float; str for char, string and enum cases; bytes for list<u8>;
list and tuple; dict for records (field names as in WIT); {'tag': case, 'val': payload}
for variants; None for an option's none; set of labels for flags. A `result` travels as
{'tag': 'ok'|'err', 'val': ...} inside the codec; serve() turns it into a return or a
ResultError. Resources cross as handles, through the `handles` object of the connection.
"""
import struct

RANGES = {
    'u8': (0, 0xff), 'u16': (0, 0xffff), 'u32': (0, 0xffffffff), 'u64': (0, 0xffffffffffffffff),
    's8': (-0x80, 0x7f), 's16': (-0x8000, 0x7fff), 's32': (-0x80000000, 0x7fffffff), 's64': (-0x8000000000000000, 0x7fffffffffffffff),
}


class DecodeError(Exception):
    pass


def write_uleb(out, n):
    while True:
        byte = n & 0x7f
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def write_sleb(out, n):
    while True:
        byte = n & 0x7f
        n >>= 7
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return
        out.append(byte | 0x80)


class Reader:
    def __init__(self, data, pos=0):
        self.data = data
        self.pos = pos

    def byte(self):
        if self.pos >= len(self.data):
            raise DecodeError('value ends early')
        b = self.data[self.pos]
        self.pos += 1
        return b

    def take(self, n):
        if n > len(self.data) - self.pos:
            raise DecodeError('value ends early')
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return bytes(chunk)

    def uleb(self, bits=32):
        result, shift = 0, 0
        for _ in range((bits + 6) // 7):
            b = self.byte()
            result |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                if result >> bits:
                    raise DecodeError('integer out of range')
                return result
        raise DecodeError('LEB128 too long')

    def sleb(self, bits):
        result, shift = 0, 0
        for _ in range((bits + 6) // 7):
            b = self.byte()
            result |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
                if not lo <= result <= hi:
                    raise DecodeError('integer out of range')
                return result
        raise DecodeError('LEB128 too long')

    def string(self):
        n = self.uleb()
        try:
            return self.take(n).decode('utf-8')
        except UnicodeDecodeError as e:
            raise DecodeError('invalid UTF-8') from e

    def done(self):
        if self.pos != len(self.data):
            raise DecodeError('trailing bytes after the value')


def encode(t, value, out, handles):
    kind = t[0]
    if kind == 'prim':
        p = t[1]
        if p == 'bool':
            if not isinstance(value, bool):
                raise TypeError(f'expected bool, got {type(value).__name__}')
            out.append(1 if value else 0)
        elif p in RANGES:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f'expected an int for {p}, got {type(value).__name__}')
            lo, hi = RANGES[p]
            if not lo <= value <= hi:
                raise TypeError(f'{value} does not fit {p}')
            if p in ('u8', 's8'):
                out.append(value & 0xff)
            elif p[0] == 'u':
                write_uleb(out, value)
            else:
                write_sleb(out, value)
        elif p in ('f32', 'f64'):
            out += struct.pack('<f' if p == 'f32' else '<d', float(value))
        elif p == 'char':
            if not isinstance(value, str) or len(value) != 1:
                raise TypeError('expected a one-character str for char')
            out += value.encode('utf-8')
        elif p == 'string':
            if not isinstance(value, str):
                raise TypeError(f'expected str, got {type(value).__name__}')
            data = value.encode('utf-8')
            write_uleb(out, len(data))
            out += data
    elif kind == 'list':
        elem, size = t[1], t[2]
        if elem == ('prim', 'u8') and isinstance(value, (bytes, bytearray)):
            items = list(value)
        else:
            items = list(value)
        if size is None:
            write_uleb(out, len(items))
        elif len(items) != size:
            raise TypeError(f'expected {size} elements, got {len(items)}')
        for item in items:
            encode(elem, item, out, handles)
    elif kind == 'option':
        if value is None:
            out.append(0)
        else:
            out.append(1)
            encode(t[1], value, out, handles)
    elif kind == 'result':
        tag, val = value['tag'], value.get('val')
        out.append(0 if tag == 'ok' else 1)
        payload = t[1] if tag == 'ok' else t[2]
        if payload is not None:
            encode(payload, val, out, handles)
    elif kind == 'tuple':
        if len(value) != len(t[1]):
            raise TypeError(f'expected a tuple of {len(t[1])}')
        for elem, item in zip(t[1], value):
            encode(elem, item, out, handles)
    elif kind == 'record':
        for name, ft in t[1]:
            key = name if name in value else name.replace('-', '_')
            if key not in value:
                raise TypeError(f'record field {name} is missing')
            encode(ft, value[key], out, handles)
    elif kind == 'variant':
        names = [n for n, _ in t[1]]
        if value.get('tag') not in names:
            raise TypeError(f'variant case {value.get("tag")!r} is not one of {names}')
        index = names.index(value['tag'])
        write_uleb(out, index)
        if t[1][index][1] is not None:
            encode(t[1][index][1], value.get('val'), out, handles)
    elif kind == 'enum':
        if value not in t[1]:
            raise TypeError(f'enum case {value!r} is not one of {t[1]}')
        write_uleb(out, t[1].index(value))
    elif kind == 'flags':
        labels = t[1]
        bits = bytearray((len(labels) + 7) // 8)
        for label in value:
            if label not in labels:
                raise TypeError(f'flag {label!r} is not one of {labels}')
            i = labels.index(label)
            bits[i // 8] |= 1 << (i % 8)
        out += bits
    elif kind in ('own', 'borrow'):
        write_uleb(out, handles.lower(t, value))
    else:
        raise TypeError(f'cannot encode {kind}')


def decode(t, r, handles):
    kind = t[0]
    if kind == 'prim':
        p = t[1]
        if p == 'bool':
            b = r.byte()
            if b > 1:
                raise DecodeError('bad bool')
            return b == 1
        if p == 'u8':
            return r.byte()
        if p == 's8':
            b = r.byte()
            return b - 256 if b > 127 else b
        if p in RANGES:
            bits = int(p[1:])
            return r.uleb(bits) if p[0] == 'u' else r.sleb(bits)
        if p == 'f32':
            return struct.unpack('<f', r.take(4))[0]
        if p == 'f64':
            return struct.unpack('<d', r.take(8))[0]
        if p == 'char':
            first = r.byte()
            n = 1 if first < 0x80 else 2 if first >> 5 == 6 else 3 if first >> 4 == 14 else 4 if first >> 3 == 30 else 0
            if n == 0:
                raise DecodeError('invalid UTF-8')
            try:
                return (bytes([first]) + r.take(n - 1)).decode('utf-8')
            except UnicodeDecodeError as e:
                raise DecodeError('invalid UTF-8') from e
        if p == 'string':
            return r.string()
    if kind == 'list':
        elem, size = t[1], t[2]
        n = size if size is not None else r.uleb()
        if n > len(r.data) - r.pos and not (elem[0] == 'tuple' and not elem[1]):
            raise DecodeError('list longer than the message')
        if elem == ('prim', 'u8'):
            return r.take(n)
        return [decode(elem, r, handles) for _ in range(n)]
    if kind == 'option':
        b = r.byte()
        if b > 1:
            raise DecodeError('bad option tag')
        return None if b == 0 else decode(t[1], r, handles)
    if kind == 'result':
        b = r.byte()
        if b > 1:
            raise DecodeError('bad result tag')
        payload = t[1] if b == 0 else t[2]
        return {'tag': 'ok' if b == 0 else 'err', 'val': None if payload is None else decode(payload, r, handles)}
    if kind == 'tuple':
        return tuple(decode(e, r, handles) for e in t[1])
    if kind == 'record':
        return {name: decode(ft, r, handles) for name, ft in t[1]}
    if kind == 'variant':
        i = r.uleb()
        if i >= len(t[1]):
            raise DecodeError('variant case out of range')
        name, payload = t[1][i]
        return {'tag': name, 'val': None if payload is None else decode(payload, r, handles)}
    if kind == 'enum':
        i = r.uleb()
        if i >= len(t[1]):
            raise DecodeError('enum case out of range')
        return t[1][i]
    if kind == 'flags':
        labels = t[1]
        data = r.take((len(labels) + 7) // 8)
        out = set()
        for i in range(len(data) * 8):
            if data[i // 8] >> (i % 8) & 1:
                if i >= len(labels):
                    raise DecodeError('flag bit out of range')
                out.add(labels[i])
        return out
    if kind in ('own', 'borrow'):
        return handles.lift(t, r.uleb())
    raise DecodeError(f'cannot decode {kind}')

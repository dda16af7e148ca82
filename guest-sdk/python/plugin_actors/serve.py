"""serve(): the plugin side of the plugin-actors process protocol (docs/protocol.md), in
Python with the standard library only.

One thread reads the channel and answers what needs no plugin code (PING, CANCEL of calls
not yet started, calls refused while shutting down); one worker thread runs the plugin's
functions, one call at a time in arrival order, so plugin state needs no locks. A function
may call the host's imports (`call_host`): the worker blocks until the reader hands it the
answer.
"""
import json
import os
import queue
import socket
import struct
import sys
import threading
import traceback
from pathlib import Path

from .codec import DecodeError, Reader, decode, encode, write_uleb
from .wit import Function, Registry, WitError

HELLO, WELCOME, REJECT = 0x01, 0x02, 0x03
CALL, RETURN, ERROR, CANCEL, DROP = 0x10, 0x11, 0x12, 0x13, 0x14
LOG, SHUTDOWN, PING, PONG = 0x20, 0x30, 0x40, 0x41
PING_FEATURE = 'ping@1'
SDK = 'plugin-actors-python/0.1.0'
LEVELS = {'trace': 0, 'debug': 1, 'info': 2, 'warn': 3, 'error': 4}
WIRE_CODES = {'ERR_REMOTE': 1, 'ERR_BAD_ARGUMENT': 2, 'ERR_UNKNOWN_FUNCTION': 3, 'ERR_ABORTED': 4, 'ERR_ACTOR_STOPPED': 5,
              'ERR_PROTOCOL': 6, 'ERR_UNSUPPORTED': 7, 'ERR_TIMEOUT': 8, 'ERR_BUSY': 12}


class ResultError(Exception):
    """Raise it from a function whose WIT result is `result<T, E>`: the host receives `err(value)`."""

    def __init__(self, value=None):
        super().__init__(value)
        self.value = value


class HostError(Exception):
    """A call to the host failed: `code` is the host's error code (ERR_…), `result` the err payload of a WIT result."""

    def __init__(self, code, message, result=None):
        super().__init__(f'{code}: {message}')
        self.code = code
        self.result = result


class _WireError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class CallContext:
    """The call running now: `cancelled` is set when the host cancels it (check it in long work)."""

    def __init__(self, call_id):
        self.id = call_id
        self.cancelled = threading.Event()


_local = threading.local()
_plugin = None


def current_call():
    """The CallContext of the call this thread runs, or None."""
    return getattr(_local, 'call', None)


def call_host(function, *args):
    """Calls a host import, named `iface#name` (e.g. 'plugin-actors:host/log@0.1.0#log'); returns its value."""
    if _plugin is None:
        raise RuntimeError('call_host() needs a running serve()')
    return _plugin.call_host(function, args)


def log(level, message):
    """Writes a record to the host's logger under the plugin's name (level: trace, debug, info, warn, error)."""
    if _plugin is not None:
        out = bytearray([LOG, LEVELS[level]])
        _write_string(out, message)
        _plugin.send(out)


def _write_string(out, text):
    data = text.encode('utf-8')
    write_uleb(out, len(data))
    out += data


def _snake(name):
    return name.replace('-', '_')


def _pascal(name):
    return ''.join(part[:1].upper() + part[1:] for part in name.split('-'))


def _member(obj, name):
    for candidate in (name, _snake(name), _pascal(name)):
        if isinstance(obj, dict):
            if candidate in obj:
                return obj[candidate]
        elif hasattr(obj, candidate):
            return getattr(obj, candidate)
    return None


class _Handles:
    """Resource handles of one connection: the plugin's own resources (it numbers them) and the host's."""

    def __init__(self, owned_interfaces):
        self.owned = owned_interfaces
        self.table = {}
        self.next = 1

    def lower(self, t, value):
        kind, iface, _ = t
        if iface not in self.owned:
            return value.handle
        if kind == 'borrow':
            for h, obj in self.table.items():
                if obj is value:
                    return h
            raise TypeError('a borrowed resource the host does not hold')
        h = self.next
        self.next += 1
        self.table[h] = value
        return h

    def lift(self, t, handle):
        kind, iface, name = t
        if iface not in self.owned:
            return HostResource(handle, name, iface)
        if handle not in self.table:
            raise _WireError('ERR_ACTOR_STOPPED', f'no {name} resource with handle {handle}')
        return self.table[handle] if kind == 'borrow' else self.table.pop(handle)


class HostResource:
    """A resource the host implements, held by handle: its WIT methods are attributes
    (snake_case or the WIT name through `call`), `drop()` gives it back to the host."""

    def __init__(self, handle, name, interface=None):
        self.handle = handle
        self.name = name
        self.interface = interface  # the id of the interface that defines the resource

    def call(self, method, *args):
        """Calls the WIT method `method` (kebab-case) on this resource in the host."""
        return _plugin.call_host(f'{self.interface}#[method]{self.name}.{method}', [self, *args])

    def drop(self):
        """Ends this resource in the host (its `Symbol.dispose` runs there); the handle is then invalid."""
        _plugin.drop_host(self.handle)

    def __getattr__(self, attr):
        if attr.startswith('_') or self.interface is None:
            raise AttributeError(attr)
        method = attr.replace('_', '-')
        if _plugin is None or f'{self.interface}#[method]{self.name}.{method}' not in _plugin.imports:
            raise AttributeError(f'host resource {self.name} has no method {method}')
        return lambda *args: self.call(method, *args)


def _read_wit(path):
    """(package name, text) of each .wit file under path (a file or folder, deps/ included)."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob('*.wit')) + sorted(path.glob('deps/**/*.wit'))
    return [(f, f.read_text(encoding='utf-8')) for f in files]


def _host_wit_dir():
    # guest-sdk/python/plugin_actors/ → the package root's wit/host
    return Path(__file__).resolve().parents[3] / 'wit' / 'host'


def _handshake_wit(sources, main_package):
    """One WIT text: the world's package with its header, every other package as a nested block."""
    import re
    header = re.compile(r'^\s*package\s+([^;{\s]+)\s*;', re.M)
    by_package = {}
    for file, text in sources:
        m = header.search(text)
        if not m:
            continue
        by_package.setdefault(m.group(1), []).append(text[:m.start()] + text[m.end():])
    if main_package not in by_package:
        raise WitError(f'no WIT file declares package {main_package}')
    parts = [f'package {main_package};\n'] + by_package.pop(main_package)
    for name, bodies in by_package.items():
        parts.append(f'\npackage {name} {{\n' + '\n'.join(bodies) + '\n}\n')
    return '\n'.join(parts)


class _Plugin:
    def __init__(self, registry, world, exports, wit_text):
        self.registry = registry
        self.world = world
        self.wit_text = wit_text
        self.sock = None
        self.write_lock = threading.Lock()
        self.pending = {}            # our calls to the host: id -> [Event, result]
        self.next_call = 1
        self.calls = queue.Queue()
        self.queued = {}             # host call id -> CallContext, until answered
        self.closing = False
        self.functions = self._bind(exports)

    def _bind(self, exports):
        """WIT function name -> (Function, interface or None, callable); refuses a world with missing implementations."""
        table, missing = {}, []
        owned = set()
        for key, item in self.world.exports:
            if not isinstance(item, Function):
                iface = self.registry.interface(item)
                owned.add(iface.id)
                impl = exports.get(iface.id) or exports.get(iface.id.split('@')[0]) or exports.get(iface.name)
                for fn in iface.functions:
                    target = None
                    if impl is not None:
                        if fn.resource is None:
                            target = _member(impl, fn.name)
                        else:
                            cls = _member(impl, fn.resource)
                            if cls is not None:
                                if fn.kind == 'constructor':
                                    target = cls
                                elif fn.kind == 'static':
                                    target = _member(cls, fn.name.split('.', 1)[1])
                                else:
                                    method = fn.name.split('.', 1)[1]
                                    target = _snake(method) if callable(_member(cls, method)) else None
                    if target is None:
                        missing.append(f'{iface.id}#{fn.name}')
                    table[f'{iface.id}#{fn.name}'] = (fn, iface, target)
            else:
                target = exports.get(key) or exports.get(_snake(key))
                if target is None:
                    missing.append(key)
                table[key] = (item, self.world.scope, target)
        if missing:
            raise WitError('the plugin does not implement ' + ', '.join(missing))
        self.handles = _Handles(owned)
        return table

    # --- channel -------------------------------------------------------------------------

    def send(self, payload):
        with self.write_lock:
            self.sock.sendall(struct.pack('<I', len(payload)) + bytes(payload))

    def frames(self):
        buf = bytearray()
        while True:
            while len(buf) >= 4:
                n = struct.unpack_from('<I', buf)[0]
                if len(buf) < 4 + n:
                    break
                frame = bytes(buf[4:4 + n])
                del buf[:4 + n]
                yield frame
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                return
            buf += chunk

    def protocol_error(self, message):
        sys.stderr.write(f'plugin-actors: the host broke the protocol ({message}); exiting\n')
        sys.stderr.flush()
        os._exit(70)

    # --- the reader ----------------------------------------------------------------------

    def run(self):
        fd = int(os.environ['PLUGIN_ACTORS_FD'])
        self.sock = socket.socket(fileno=fd)
        hello = {'protocol': [1], 'codecs': ['wit-value-v1'], 'world': self.world.id, 'wit': self.wit_text, 'sdk': SDK, 'features': [PING_FEATURE]}
        self.send(bytes([HELLO]) + json.dumps(hello).encode('utf-8'))
        frames = self.frames()
        first = next(frames, None)
        if first is None:
            os._exit(0)
        if first[0] == REJECT:
            reason = json.loads(first[1:].decode('utf-8'))
            sys.stderr.write(f'plugin-actors: the host refused the plugin: {reason.get("code")}: {reason.get("message")}\n')
            sys.stderr.flush()
            os._exit(1)
        if first[0] != WELCOME:
            self.protocol_error('expected WELCOME')
        welcome = json.loads(first[1:].decode('utf-8'))
        self.pinged = PING_FEATURE in (welcome.get('features') or [])
        self.exports = []
        for name in welcome['exports']:
            if name not in self.functions:
                self.protocol_error(f'the host lists an export {name} the world does not have')
            self.exports.append(self.functions[name])
        self.imports = {name: i for i, name in enumerate(welcome['imports'])}
        self.import_types = self._import_types()
        threading.Thread(target=self.work, daemon=True).start()
        for frame in frames:
            try:
                self.read(frame)
            except (DecodeError, IndexError, KeyError, ValueError) as e:
                self.protocol_error(str(e))
        os._exit(0)  # end-of-file: the host is gone or done with us

    def read(self, frame):
        kind, r = frame[0], Reader(frame, 1)
        if kind == CALL or kind == DROP:
            call_id = r.uleb()
            if call_id in self.queued:
                self.protocol_error(f'call id {call_id} reused while in flight')
            if self.closing and kind == CALL:
                self.answer_error(call_id, 'ERR_BUSY', 'the plugin is shutting down')
                return
            context = CallContext(call_id)
            self.queued[call_id] = context
            self.calls.put((kind, context, frame, r.pos))
        elif kind == CANCEL:
            call_id = r.uleb()
            r.done()
            context = self.queued.get(call_id)
            if context is not None:
                context.cancelled.set()
        elif kind in (RETURN, ERROR):
            call_id = r.uleb()
            if call_id >= self.next_call:
                self.protocol_error(f'an answer to call {call_id}, which was never made')
            waiter = self.pending.pop(call_id, None)
            if waiter is not None:
                waiter[1] = (kind, frame, r.pos)
                waiter[0].set()
        elif kind == SHUTDOWN:
            r.done()
            self.closing = True
            self.calls.put(None)
        elif kind == PING and self.pinged:
            seq = r.uleb()
            r.done()
            out = bytearray([PONG])
            write_uleb(out, seq)
            self.send(out)
        else:
            self.protocol_error(f'unexpected message kind 0x{kind:02x}')

    # --- the worker ----------------------------------------------------------------------

    def work(self):
        while True:
            item = self.calls.get()
            if item is None:
                self.sock.shutdown(socket.SHUT_WR)
                os._exit(0)
            kind, context, frame, pos = item
            try:
                if context.cancelled.is_set():
                    self.answer_error(context.id, 'ERR_ABORTED', 'cancelled before it ran')
                elif kind == DROP:
                    self.drop(context, Reader(frame, pos))
                else:
                    self.call(context, Reader(frame, pos))
            finally:
                self.queued.pop(context.id, None)

    def drop(self, context, r):
        handle = r.uleb()
        obj = self.handles.table.pop(handle, None)
        if obj is None:
            self.answer_error(context.id, 'ERR_ACTOR_STOPPED', f'no resource with handle {handle}')
            return
        dispose = getattr(obj, 'close', None) or getattr(obj, '__del_resource__', None)
        try:
            if callable(dispose):
                dispose()
        except Exception:
            traceback.print_exc()
        self.send(self.frame_return(context.id, b''))

    def call(self, context, r):
        index = r.uleb()
        if index >= len(self.exports):
            self.answer_error(context.id, 'ERR_UNKNOWN_FUNCTION', f'no export {index}')
            return
        fn, iface, target = self.exports[index]
        try:
            resolve = (lambda t: self.registry.resolve(iface, t)) if iface else (lambda t: t)
            this = None
            if fn.kind == 'method':
                this = self.handles.lift(('borrow', iface.id, fn.resource), r.uleb())
            args = [decode(resolve(t), r, self.handles) for _, t in fn.params]
            r.done()
        except (DecodeError, _WireError) as e:
            self.answer_error(context.id, getattr(e, 'code', 'ERR_BAD_ARGUMENT'), str(e))
            return
        result_type = resolve(fn.result) if fn.result is not None else None
        _local.call = context
        try:
            value = getattr(this, target)(*args) if this is not None else target(*args)
            if result_type is not None and result_type[0] == 'result':
                value = {'tag': 'ok', 'val': value}
        except ResultError as e:
            if result_type is None or result_type[0] != 'result':
                self.answer_error(context.id, 'ERR_REMOTE', f'ResultError from {fn.name}, whose WIT result is not a result', e)
                return
            value = {'tag': 'err', 'val': e.value}
        except Exception as e:  # the plugin's own failure: the host sees ERR_REMOTE with the Python error
            self.answer_error(context.id, 'ERR_REMOTE', str(e) or type(e).__name__, e)
            return
        finally:
            _local.call = None
        out = bytearray()
        try:
            if result_type is not None:
                encode(result_type, value, out, self.handles)
        except (TypeError, KeyError, AttributeError) as e:
            self.answer_error(context.id, 'ERR_REMOTE', f'{fn.name} returned a value that does not match its WIT type: {e}')
            return
        self.send(self.frame_return(context.id, out))

    def frame_return(self, call_id, body):
        out = bytearray([RETURN])
        write_uleb(out, call_id)
        return out + body

    def answer_error(self, call_id, code, message, exc=None):
        out = bytearray([ERROR])
        write_uleb(out, call_id)
        write_uleb(out, WIRE_CODES.get(code, 1))
        _write_string(out, message)
        data = {} if exc is None else {'name': type(exc).__name__, 'stack': ''.join(traceback.format_exception(exc))}
        _write_string(out, json.dumps(data) if data else '')
        self.send(out)

    # --- calls to the host -----------------------------------------------------------------

    def _import_types(self):
        types = {}
        for key, item in self.world.imports:
            if not isinstance(item, Function):
                iface = self.registry.interface(item)
                for fn in iface.functions:
                    types[f'{iface.id}#{fn.name}'] = (fn, iface)
            else:
                types[key] = (item, self.world.scope)
        return types

    def _request(self, kind, write_body):
        """Sends a CALL or DROP to the host and waits for its answer: (kind, frame, position)."""
        body = bytearray()
        write_body(body)  # first: a value that cannot be encoded raises before anything is pending
        out = bytearray([kind])
        waiter = [threading.Event(), None]
        with self.write_lock:
            call_id = self.next_call
            self.next_call += 1
        self.pending[call_id] = waiter
        write_uleb(out, call_id)
        self.send(out + body)
        waiter[0].wait()
        return waiter[1]

    @staticmethod
    def _raise_error(r):
        code = r.uleb()
        message = r.string()
        names = {v: k for k, v in WIRE_CODES.items()}
        raise HostError(names.get(code, 'ERR_REMOTE'), message)

    def drop_host(self, handle):
        kind, frame, pos = self._request(DROP, lambda out: write_uleb(out, handle))
        if kind == ERROR:
            self._raise_error(Reader(frame, pos))

    def call_host(self, function, args):
        if function not in self.imports:
            raise HostError('ERR_UNKNOWN_FUNCTION', f'the world imports no {function} (imports: {", ".join(self.imports)})')
        fn, iface = self.import_types[function]
        resolve = (lambda t: self.registry.resolve(iface, t)) if iface else (lambda t: t)
        args = list(args)

        def body(out):
            write_uleb(out, self.imports[function])
            rest = args
            if fn.kind == 'method':
                write_uleb(out, args[0].handle)
                rest = args[1:]
            for (_, t), value in zip(fn.params, rest):
                encode(resolve(t), value, out, self.handles)

        kind, frame, pos = self._request(CALL, body)
        r = Reader(frame, pos)
        if kind == ERROR:
            self._raise_error(r)
        if fn.result is None:
            return None
        rt = resolve(fn.result)
        value = decode(rt, r, self.handles)
        if rt[0] == 'result':
            if value['tag'] == 'err':
                raise HostError('ERR_RESULT', 'the host returned err', value['val'])
            return value['val']
        return value


def serve(*, world, exports, wit=None, wit_source=None):
    """Serves the plugin's exports to the host; never returns.

    world: the world implemented, 'ns:pkg/world[@version]'.
    exports: {interface name: dict or object of functions (kebab or snake_case names) and
    resource classes (by resource name or PascalCase)}; world-level functions by their name.
    wit: a WIT file or folder (its deps/ included; plugin-actors:host is added), or
    wit_source: WIT text.
    """
    global _plugin
    if 'PLUGIN_ACTORS_FD' not in os.environ:
        sys.stderr.write('This is a plugin-actors plugin: it is started by its host application, not by hand.\n')
        sys.exit(2)
    try:
        if wit_source is not None:
            sources = [(Path('<wit_source>'), wit_source)]
        elif wit is not None:
            sources = _read_wit(wit)
        else:
            raise WitError('serve() needs wit (a path) or wit_source (WIT text)')
        if not any('package plugin-actors:host' in text for _, text in sources) and _host_wit_dir().is_dir():
            sources += _read_wit(_host_wit_dir())
        registry = Registry()
        for file, text in sources:
            registry.read(text, str(file))
        chosen = registry.world(world)
        ns, pkg, version = chosen.package
        wit_text = _handshake_wit(sources, f'{ns}:{pkg}' + (f'@{version}' if version else ''))
        _plugin = _Plugin(registry, chosen, exports, wit_text)
    except WitError as e:
        sys.stderr.write(f'plugin-actors: {e}\n')
        sys.stderr.flush()
        sys.exit(1)
    _plugin.run()


__all__ = ['serve', 'ResultError', 'HostError', 'HostResource', 'CallContext', 'current_call', 'call_host', 'log']

"""A small WIT reader: enough of the language to type a plugin's calls.

It reads packages (a header `package ns:pkg@v;` and nested `package x:y { ... }` blocks),
interfaces (records, variants, enums, flags, type aliases, resources, functions, `use`) and
worlds (imports and exports of named and inline interfaces, world-level functions and the
types they `use` or define, `include` of other worlds with `with` renames). Feature gates
(`@since`, `@unstable`, `@deprecated`) are read and ignored. The host checks the WIT
completely in the handshake; this reader only needs the types, and says clearly what it
cannot read.
"""
import re

PRIMITIVES = {'bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'float32', 'float64', 'char', 'string'}


class WitError(Exception):
    pass


class Function:
    def __init__(self, name, params, result, kind='func', resource=None):
        self.name = name            # the component-model name: greet, [constructor]counter, [method]counter.get
        self.params = params        # [(name, type)]; a method's self is not among them
        self.result = result        # a type, or None
        self.kind = kind            # func, constructor, method, static
        self.resource = resource    # the resource's local name, for constructors, methods and statics


class Interface:
    def __init__(self, package, name, key=None):
        self.package = package      # (namespace, name, version or None)
        self.name = name
        self.key = key              # an inline interface's plain name in its world
        self.types = {}             # name -> type (uses become ('use', interface id, name))
        self.functions = []
        self.resources = set()

    @property
    def id(self):
        if self.key is not None:
            return self.key
        ns, pkg, version = self.package
        return f'{ns}:{pkg}/{self.name}' + (f'@{version}' if version else '')


class World:
    def __init__(self, package, name):
        self.package = package
        self.name = name
        self.imports = []           # [(key, interface id | inline Interface | Function)]
        self.exports = []
        self.includes = []          # [(world id, {plain name: new name})], flattened by Registry.world
        # The types world-level functions name (`use` and type definitions in the world).
        self.scope = Interface(package, name, key=f'world {name}')

    @property
    def id(self):
        ns, pkg, version = self.package
        return f'{ns}:{pkg}/{self.name}' + (f'@{version}' if version else '')


_TOKEN = re.compile(r'''
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<arrow>->)
  | (?P<id>%?[A-Za-z][A-Za-z0-9-]*)
  | (?P<num>[0-9]+(?:\.[0-9]+)*(?:[-+][0-9A-Za-z.+-]*)?)
  | (?P<punct>[{}()<>,;:=./@*])
''', re.S | re.X)


def _tokens(text, file):
    pos, out = 0, []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            line = text.count('\n', 0, pos) + 1
            raise WitError(f'{file}:{line}: unexpected character {text[pos]!r}')
        if m.lastgroup != 'space':
            out.append((m.lastgroup, m.group(m.lastgroup), text.count('\n', 0, pos) + 1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text, file, registry):
        self.toks = _tokens(text, file)
        self.i = 0
        self.file = file
        self.reg = registry

    def peek(self, k=0):
        return self.toks[self.i + k][1] if self.i + k < len(self.toks) else None

    def next(self):
        if self.i >= len(self.toks):
            raise WitError(f'{self.file}: unexpected end of file')
        tok = self.toks[self.i]
        self.i += 1
        return tok[1]

    def expect(self, value):
        got = self.next()
        if got != value:
            line = self.toks[self.i - 1][2]
            raise WitError(f'{self.file}:{line}: expected {value!r}, got {got!r}')

    def ident(self):
        kind, value, line = self.toks[self.i] if self.i < len(self.toks) else (None, None, 0)
        if kind != 'id':
            raise WitError(f'{self.file}:{line}: expected a name, got {value!r}')
        self.i += 1
        return value.lstrip('%')

    def version(self):
        # Versions may lex as numbers and dots in pieces: join until a delimiter.
        parts = []
        while self.peek() not in (None, ';', '{', '}', ',', '.', '/') or (self.peek() == '.' and parts and self.toks[self.i + 1][0] == 'num'):
            parts.append(self.next())
        return ''.join(parts)

    def gates(self):
        while self.peek() == '@':
            self.next()
            self.ident()
            if self.peek() == '(':
                depth = 0
                while True:
                    t = self.next()
                    depth += (t == '(') - (t == ')')
                    if depth == 0:
                        break

    def package_name(self):
        ns = self.ident()
        self.expect(':')
        name = self.ident()
        version = None
        if self.peek() == '@':
            self.next()
            version = self.version()
        return (ns, name, version)

    def file_(self):
        current = None
        self.gates()
        if self.peek() == 'package' and self.peek(4) != '{' and not self._nested_ahead():
            self.next()
            current = self.package_name()
            self.expect(';')
        while self.peek() is not None:
            self.gates()
            word = self.next()
            if word == 'package':
                pkg = self.package_name()
                self.expect('{')
                while self.peek() != '}':
                    self.item(pkg)
                self.expect('}')
            else:
                self.i -= 1
                if current is None:
                    raise WitError(f'{self.file}: a WIT file needs a `package` header')
                self.item(current)

    def _nested_ahead(self):
        # `package a:b@1.0.0 {` opens a block; `package a:b@1.0.0;` is a header.
        j = self.i
        while j < len(self.toks) and self.toks[j][1] not in (';', '{'):
            j += 1
        return j < len(self.toks) and self.toks[j][1] == '{'

    def item(self, pkg):
        self.gates()
        word = self.next()
        if word == 'interface':
            iface = Interface(pkg, self.ident())
            self.expect('{')
            while self.peek() != '}':
                self.iface_item(iface)
            self.expect('}')
            self.reg.interfaces[iface.id] = iface
        elif word == 'world':
            world = World(pkg, self.ident())
            self.expect('{')
            while self.peek() != '}':
                self.world_item(world)
            self.expect('}')
            self.reg.worlds[world.id] = world
        elif word == 'use':
            while self.next() != ';':
                pass
        else:
            raise WitError(f'{self.file}: expected `interface`, `world` or `package`, got {word!r}')

    def iface_item(self, iface):
        self.gates()
        word = self.next()
        if word == 'use':
            path = self.use_path(iface.package)
            self.expect('.')
            self.expect('{')
            while True:
                name = self.ident()
                alias = name
                if self.peek() == 'as':
                    self.next()
                    alias = self.ident()
                iface.types[alias] = ('use', path, name)
                if self.peek() == ',':
                    self.next()
                    if self.peek() == '}':
                        break
                    continue
                break
            self.expect('}')
            self.expect(';')
        elif word == 'type':
            name = self.ident()
            self.expect('=')
            iface.types[name] = self.type_()
            self.expect(';')
        elif word in ('record', 'variant', 'enum', 'flags'):
            name = self.ident()
            iface.types[name] = self.defined(word)
        elif word == 'resource':
            name = self.ident()
            iface.types[name] = ('resource', iface.id, name)
            iface.resources.add(name)
            if self.peek() == ';':
                self.next()
                return
            self.expect('{')
            while self.peek() != '}':
                self.gates()
                if self.peek() == 'constructor':
                    self.next()
                    params = self.params()
                    self.expect(';')
                    iface.functions.append(Function(f'[constructor]{name}', params, ('own', ('ref', name)), 'constructor', name))
                    continue
                method = self.ident()
                self.expect(':')
                static = self.peek() == 'static'
                if static:
                    self.next()
                params, result = self.func_sig()
                kind = 'static' if static else 'method'
                iface.functions.append(Function(f'[{kind}]{name}.{method}', params, result, kind, name))
            self.expect('}')
        else:
            self.i -= 1
            name = self.ident()
            self.expect(':')
            params, result = self.func_sig()
            iface.functions.append(Function(name, params, result))

    def use_path(self, pkg):
        if self.peek(1) == ':':
            ns = self.ident()
            self.expect(':')
            p = self.ident()
            self.expect('/')
            name = self.ident()
            version = None
            if self.peek() == '@':
                self.next()
                version = self.version()
            return f'{ns}:{p}/{name}' + (f'@{version}' if version else '')
        name = self.ident()
        ns, p, version = pkg
        return f'{ns}:{p}/{name}' + (f'@{version}' if version else '')

    def world_item(self, world):
        self.gates()
        word = self.next()
        if word in ('import', 'export'):
            side = world.imports if word == 'import' else world.exports
            if self.peek(1) == ':' and self.peek(2) in ('func', 'async'):
                name = self.ident()
                self.expect(':')
                params, result = self.func_sig()
                side.append((name, Function(name, params, result)))
                return
            if self.peek(1) == ':' and self.peek(2) == 'interface':
                name = self.ident()
                self.expect(':')
                self.expect('interface')
                iface = Interface(world.package, name, key=name)
                self.expect('{')
                while self.peek() != '}':
                    self.iface_item(iface)
                self.expect('}')
                side.append((name, iface))
                return
            path = self.use_path(world.package)
            self.expect(';')
            side.append((path, path))
        elif word == 'include':
            path = self.use_path(world.package)
            renames = {}
            if self.peek() == 'with':
                self.next()
                self.expect('{')
                while self.peek() != '}':
                    old = self.ident()
                    self.expect('as')
                    renames[old] = self.ident()
                    if self.peek() == ',':
                        self.next()
                self.expect('}')
            else:
                self.expect(';')
            world.includes.append((path, renames))
        elif word in ('use', 'type', 'record', 'variant', 'enum', 'flags', 'resource'):
            self.i -= 1
            self.iface_item(world.scope)
        else:
            raise WitError(f'{self.file}: unexpected {word!r} in world {world.name}')

    def func_sig(self):
        if self.peek() == 'async':
            raise WitError(f'{self.file}: async functions are not supported')
        self.expect('func')
        params = self.params()
        result = None
        if self.peek() == '->':
            self.next()
            result = self.type_()
        self.expect(';')
        return params, result

    def params(self):
        self.expect('(')
        params = []
        while self.peek() != ')':
            name = self.ident()
            self.expect(':')
            params.append((name, self.type_()))
            if self.peek() == ',':
                self.next()
        self.expect(')')
        return params

    def defined(self, word):
        self.expect('{')
        cases = []
        while self.peek() != '}':
            self.gates()
            name = self.ident()
            if word == 'record':
                self.expect(':')
                cases.append((name, self.type_()))
            elif word == 'variant':
                payload = None
                if self.peek() == '(':
                    self.next()
                    payload = self.type_()
                    self.expect(')')
                cases.append((name, payload))
            else:
                cases.append(name)
            if self.peek() == ',':
                self.next()
        self.expect('}')
        return (word, cases)

    def type_(self):
        name = self.ident()
        if name in PRIMITIVES:
            return ('prim', {'float32': 'f32', 'float64': 'f64'}.get(name, name))
        if name in ('list', 'option', 'result', 'tuple', 'own', 'borrow') and self.peek() == '<':
            self.next()
            if name == 'result':
                ok = None if self.peek() == '_' else self.type_()
                err = None
                if self.peek() == ',':
                    self.next()
                    err = self.type_()
                self.expect('>')
                return ('result', ok, err)
            args = [self.type_()]
            size = None
            while self.peek() == ',':
                self.next()
                if name == 'list':
                    size = int(self.next())
                else:
                    args.append(self.type_())
            self.expect('>')
            if name == 'list':
                return ('list', args[0], size)
            if name == 'tuple':
                return ('tuple', args)
            return (name, args[0])
        if name == 'result':
            return ('result', None, None)
        return ('ref', name)


class Registry:
    """Every interface and world read, by fully qualified id."""

    def __init__(self):
        self.interfaces = {}
        self.worlds = {}

    def read(self, text, file='<wit>'):
        _Parser(text, file, self).file_()

    def world(self, spec):
        for wid, world in self.worlds.items():
            if wid == spec or (('@' not in spec) and wid.split('@')[0] == spec):
                return self._flatten(world, ())
        raise WitError(f'no world {spec} (worlds: {", ".join(self.worlds) or "none"})')

    def _flatten(self, world, seen):
        """The world with the items of the worlds it includes (renamed as `with` says) added once."""
        if world.id in seen:
            raise WitError(f'world {world.id} includes itself')
        for path, renames in world.includes:
            other = self._flatten(self.world_by_id(path), seen + (world.id,))
            for side, theirs in ((world.imports, other.imports), (world.exports, other.exports)):
                keys = {key for key, _ in side}
                for key, item in theirs:
                    key = renames.get(key, key)
                    if isinstance(item, Function) and key != item.name:
                        item = Function(key, item.params, item.result, item.kind, item.resource)
                    if key not in keys:
                        side.append((key, item))
                        keys.add(key)
            world.scope.types = {**other.scope.types, **world.scope.types}
        world.includes = []
        return world

    def world_by_id(self, path):
        if path in self.worlds:
            return self.worlds[path]
        for wid, world in self.worlds.items():
            if '@' not in path and wid.split('@')[0] == path:
                return world
        raise WitError(f'no world {path} to include')

    def interface(self, key):
        if isinstance(key, Interface):
            return key
        if key in self.interfaces:
            return self.interfaces[key]
        for iid, iface in self.interfaces.items():
            if '@' not in key and iid.split('@')[0] == key:
                return iface
        raise WitError(f'no interface {key}')

    def resolve(self, iface, t):
        """A type with every name replaced by its definition (resources stay by reference)."""
        kind = t[0]
        if kind == 'ref':
            if t[1] not in iface.types:
                raise WitError(f'interface {iface.id}: unknown type {t[1]}')
            return self.resolve(iface, iface.types[t[1]])
        if kind == 'use':
            other = self.interface(t[1])
            if t[2] not in other.types:
                raise WitError(f'interface {other.id} has no type {t[2]}')
            return self.resolve(other, other.types[t[2]])
        if kind in ('own', 'borrow'):
            res = self.resolve(iface, t[1])  # a bare resource name resolves to its own<>
            if res[0] != 'own':
                raise WitError(f'{kind}<> of a type that is not a resource')
            return (kind, res[1], res[2])
        if kind == 'resource':
            return ('own', t[1], t[2])
        if kind == 'list':
            return ('list', self.resolve(iface, t[1]), t[2])
        if kind == 'option':
            return ('option', self.resolve(iface, t[1]))
        if kind == 'result':
            return ('result', t[1] and self.resolve(iface, t[1]), t[2] and self.resolve(iface, t[2]))
        if kind == 'tuple':
            return ('tuple', [self.resolve(iface, a) for a in t[1]])
        if kind == 'record':
            return ('record', [(n, self.resolve(iface, a)) for n, a in t[1]])
        if kind == 'variant':
            return ('variant', [(n, a and self.resolve(iface, a)) for n, a in t[1]])
        return t

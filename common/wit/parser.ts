/**
 * Recursive-descent parser from WIT text to the syntax tree in `ast.ts`.
 * Errors are `ERR_WIT_SYNTAX` with `file:line:col` and what was expected.
 */
import type {
  AliasAst, EnumAst, ExternAst, FlagsAst, FuncAst, FuncTypeAst, IncludeAst,
  InterfaceItem, NestedPackage, RecordAst, ResourceAst, ResourceMemberAst, SourceFile, TopItem,
  TypeAst, TypeDefAst, UseAst, UsePath, VariantAst, WorldAst, WorldItemAst,
} from './ast.js';
import { Lexer, type Token } from './lexer.js';
import type { Gate, PackageName } from './model.js';

const PRIMITIVES = new Set(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string']);

/** Parses one WIT file. */
export function parseWit(text: string, file = '<wit>'): SourceFile {
  return new Parser(new Lexer(text, file)).sourceFile();
}

/** How deep type expressions may nest (`list<list<…>>`), as in wit-parser. */
export const MAX_TYPE_NESTING = 100;

class Parser {
  private peeked: Token | undefined;
  private typeDepth = 0;

  constructor(private readonly lexer: Lexer) {}

  sourceFile(): SourceFile {
    const first = this.peek();
    let packageDecl: (PackageName & { at: number }) | undefined;
    const items: TopItem[] = [];
    const nested: NestedPackage[] = [];
    let docs: string | undefined;
    if (first.kind === 'package') {
      this.next();
      const name = this.packageName();
      if (this.peek().kind === '{') {
        nested.push(this.nestedBody(name, first));
      } else {
        this.expect(';');
        packageDecl = { ...name, at: first.start };
        docs = first.docs;
      }
    }
    while (this.peek().kind !== 'eof') {
      const tok = this.peek();
      if (tok.kind === 'package') {
        this.next();
        nested.push(this.nestedBody(this.packageName(), tok));
      } else {
        items.push(this.topItem());
      }
    }
    return { file: this.lexer.file, text: this.lexer.text, packageDecl, items, nested, docs };
  }

  private nestedBody(name: PackageName, start: Token): NestedPackage {
    this.expect('{');
    const items: TopItem[] = [];
    while (this.peek().kind !== '}') {
      if (this.peek().kind === 'eof') throw this.unexpected(this.peek(), '`}` to close the package');
      items.push(this.topItem());
    }
    this.next();
    return { name, items, docs: start.docs, at: start.start };
  }

  private topItem(): TopItem {
    const docs = this.peek().docs;
    const gate = this.gate();
    const tok = this.next();
    switch (tok.kind) {
      case 'use': {
        const path = this.usePath();
        let as: string | undefined;
        if (this.eat('as')) as = this.id();
        this.expect(';');
        return { kind: 'top-use', path, as, at: tok.start };
      }
      case 'interface': {
        const name = this.id();
        return { kind: 'interface', name, docs, gate, items: this.interfaceBody(), at: tok.start };
      }
      case 'world':
        return this.world(tok, docs, gate);
      default:
        throw this.unexpected(tok, '`interface`, `world`, `use` or `package`');
    }
  }

  private interfaceBody(): InterfaceItem[] {
    this.expect('{');
    const items: InterfaceItem[] = [];
    while (!this.eat('}')) items.push(this.interfaceItem());
    return items;
  }

  private interfaceItem(): InterfaceItem {
    const docs = this.peek().docs;
    const gate = this.gate();
    this.externalId();
    const tok = this.peek();
    if (tok.kind === 'use') return this.use(gate);
    const typedef = this.typedef(docs, gate);
    if (typedef) return typedef;
    if (tok.kind === 'id') return this.func(docs, gate);
    throw this.unexpected(tok, 'a type definition, function or `use`');
  }

  private func(docs: string | undefined, gate: Gate | undefined): FuncAst {
    const nameTok = this.next();
    this.expect(':');
    const type = this.funcType();
    this.expect(';');
    return { kind: 'func', name: nameTok.value, docs, gate, type, at: nameTok.start };
  }

  private funcType(): FuncTypeAst {
    const start = this.peek();
    const isAsync = this.eat('async');
    this.expect('func');
    const params = this.paramList();
    let result: TypeAst | undefined;
    if (this.eat('->')) result = this.type();
    return { async: isAsync, params, result, at: start.start };
  }

  private paramList(): FuncTypeAst['params'] {
    this.expect('(');
    const params: FuncTypeAst['params'] = [];
    while (!this.eat(')')) {
      const nameTok = this.expectId();
      this.expect(':');
      params.push({ name: nameTok.value, type: this.type(), at: nameTok.start });
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return params;
  }

  private use(gate: Gate | undefined): UseAst {
    const tok = this.expect('use');
    const path = this.usePath();
    this.expect('.');
    this.expect('{');
    const names: UseAst['names'] = [];
    do {
      if (this.peek().kind === '}') break;
      const nameTok = this.expectId();
      let as: string | undefined;
      if (this.eat('as')) as = this.id();
      names.push({ name: nameTok.value, as, at: nameTok.start });
    } while (this.eat(','));
    this.expect('}');
    this.expect(';');
    // `use i.{};` names nothing, and is still a dependency on `i` (wit-parser accepts it).
    return { kind: 'use', path, names, gate, at: tok.start };
  }

  private typedef(docs: string | undefined, gate: Gate | undefined): TypeDefAst | undefined {
    const tok = this.peek();
    switch (tok.kind) {
      case 'record': return this.record(docs, gate);
      case 'variant': return this.variant(docs, gate);
      case 'enum': return this.enumItem(docs, gate);
      case 'flags': return this.flags(docs, gate);
      case 'resource': return this.resource(docs, gate);
      case 'type': {
        this.next();
        const name = this.id();
        this.expect('=');
        const target = this.type();
        this.expect(';');
        return { kind: 'alias', name, target, docs, gate, at: tok.start } satisfies AliasAst;
      }
      default: return undefined;
    }
  }

  private record(docs: string | undefined, gate: Gate | undefined): RecordAst {
    const tok = this.next();
    const name = this.id();
    const fields = this.commaList('field', 0, () => {
      const fieldDocs = this.peek().docs;
      const nameTok = this.expectId();
      this.expect(':');
      return { name: nameTok.value, type: this.type(), docs: fieldDocs, at: nameTok.start };
    });
    return { kind: 'record', name, fields, docs, gate, at: tok.start };
  }

  private variant(docs: string | undefined, gate: Gate | undefined): VariantAst {
    const tok = this.next();
    const name = this.id();
    const cases = this.commaList('case', 1, () => {
      const caseDocs = this.peek().docs;
      const nameTok = this.expectId();
      let type: TypeAst | undefined;
      if (this.eat('(')) {
        type = this.type();
        this.expect(')');
      }
      return { name: nameTok.value, type, docs: caseDocs, at: nameTok.start };
    });
    return { kind: 'variant', name, cases, docs, gate, at: tok.start };
  }

  private enumItem(docs: string | undefined, gate: Gate | undefined): EnumAst {
    const tok = this.next();
    const name = this.id();
    const cases = this.commaList('case', 1, () => {
      const caseDocs = this.peek().docs;
      const nameTok = this.expectId();
      return { name: nameTok.value, docs: caseDocs, at: nameTok.start };
    });
    return { kind: 'enum', name, cases, docs, gate, at: tok.start };
  }

  private flags(docs: string | undefined, gate: Gate | undefined): FlagsAst {
    const tok = this.next();
    const name = this.id();
    const flags = this.commaList('flag', 0, () => {
      const flagDocs = this.peek().docs;
      const nameTok = this.expectId();
      return { name: nameTok.value, docs: flagDocs, at: nameTok.start };
    });
    return { kind: 'flags', name, flags, docs, gate, at: tok.start };
  }

  /**
   * `{ a, b, c }` with an optional trailing comma and at least `min` elements (records and
   * flags may be empty in WIT; variants and enums may not).
   */
  private commaList<T>(what: string, min: number, element: () => T): T[] {
    const open = this.expect('{');
    const out: T[] = [];
    while (this.peek().kind !== '}') {
      out.push(element());
      if (!this.eat(',')) break;
    }
    this.expect('}');
    if (out.length < min) throw this.lexer.error(open.start, `expected at least one ${what}`);
    return out;
  }

  private resource(docs: string | undefined, gate: Gate | undefined): ResourceAst {
    const tok = this.next();
    const name = this.id();
    const members: ResourceMemberAst[] = [];
    if (this.eat(';')) return { kind: 'resource', name, members, docs, gate, at: tok.start };
    this.expect('{');
    while (!this.eat('}')) {
      const memberDocs = this.peek().docs;
      const memberGate = this.gate();
      this.externalId();
      const first = this.peek();
      if (first.kind === 'constructor') {
        this.next();
        const params = this.paramList();
        let result: TypeAst | undefined;
        if (this.eat('->')) result = this.type();
        this.expect(';');
        members.push({
          kind: 'constructor', name: 'constructor', docs: memberDocs, gate: memberGate,
          type: { async: false, params, result, at: first.start }, at: first.start,
        });
        continue;
      }
      const nameTok = this.expectId();
      this.expect(':');
      const isStatic = this.eat('static');
      const type = this.funcType();
      this.expect(';');
      members.push({
        kind: isStatic ? 'static' : 'method', name: nameTok.value, docs: memberDocs, gate: memberGate,
        type, at: nameTok.start,
      });
    }
    return { kind: 'resource', name, members, docs, gate, at: tok.start };
  }

  /** A type expression; nesting is bounded (the reference caps it at 100) so recursion stays shallow. */
  private type(): TypeAst {
    if (++this.typeDepth > MAX_TYPE_NESTING) {
      throw this.lexer.error(this.peek().start, `type nesting too deep (at most ${MAX_TYPE_NESTING} levels)`);
    }
    try {
      return this.typeExpression();
    } finally {
      this.typeDepth--;
    }
  }

  private typeExpression(): TypeAst {
    const tok = this.next();
    const at = tok.start;
    if (PRIMITIVES.has(tok.kind)) return { kind: 'prim', name: tok.kind, at };
    switch (tok.kind) {
      case 'id':
        if (tok.value === 'error-context') return { kind: 'error-context', at };
        return { kind: 'named', name: tok.value, at };
      case 'list': {
        this.expect('<');
        const element = this.type();
        let length: number | undefined;
        if (this.eat(',')) {
          const n = this.expect('integer');
          length = Number(n.value);
          if (!(length > 0) || !Number.isSafeInteger(length)) throw this.lexer.error(n.start, 'fixed list length must be a positive integer');
        }
        this.expect('>');
        return { kind: 'list', element, length, at };
      }
      case 'option': {
        this.expect('<');
        const some = this.type();
        this.expect('>');
        return { kind: 'option', some, at };
      }
      case 'result': {
        if (!this.eat('<')) return { kind: 'result', at };
        let ok: TypeAst | undefined;
        if (!this.eat('_')) ok = this.type();
        let err: TypeAst | undefined;
        if (this.eat(',')) err = this.type();
        this.expect('>');
        if (!ok && !err) throw this.lexer.error(at, '`result<_>` needs an error type: write `result<_, E>` or `result`');
        return { kind: 'result', ok, err, at };
      }
      case 'tuple': {
        this.expect('<');
        const types: TypeAst[] = [];
        do {
          if (this.peek().kind === '>') break;
          types.push(this.type());
        } while (this.eat(','));
        this.expect('>');
        return { kind: 'tuple', types, at };
      }
      case 'borrow':
      case 'own': {
        this.expect('<');
        const name = this.id();
        this.expect('>');
        return { kind: tok.kind, name, at };
      }
      case 'future':
      case 'stream': {
        if (!this.eat('<')) return { kind: tok.kind, at };
        const element = this.type();
        this.expect('>');
        return { kind: tok.kind, element, at };
      }
      case 'map': {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return { kind: 'map', key, value, at };
      }
      default:
        throw this.unexpected(tok, 'a type');
    }
  }

  private world(tok: Token, docs: string | undefined, gate: Gate | undefined): WorldAst {
    const name = this.id();
    this.expect('{');
    const items: WorldItemAst[] = [];
    while (!this.eat('}')) items.push(this.worldItem());
    return { kind: 'world', name, docs, gate, items, at: tok.start };
  }

  private worldItem(): WorldItemAst {
    const docs = this.peek().docs;
    const gate = this.gate();
    this.externalId();
    const tok = this.peek();
    if (tok.kind === 'import' || tok.kind === 'export') return this.extern(docs, gate);
    if (tok.kind === 'use') return this.use(gate);
    if (tok.kind === 'include') return this.include(gate);
    const typedef = this.typedef(docs, gate);
    if (typedef) return typedef;
    throw this.unexpected(tok, '`import`, `export`, `use`, `include` or a type definition');
  }

  private extern(docs: string | undefined, gate: Gate | undefined): ExternAst {
    const kw = this.next();
    const kind = kw.kind as 'import' | 'export';
    const first = this.expectId();
    if (this.peek().kind !== ':') {
      // `import iface;` or `import iface.…` is not allowed; only a path.
      const path: UsePath = { kind: 'local', name: first.value, at: first.start };
      this.expect(';');
      return { kind, docs, gate, target: { kind: 'path', path }, at: kw.start };
    }
    this.next(); // ':'
    const after = this.peek();
    if (after.kind === 'func' || after.kind === 'async') {
      const type = this.funcType();
      this.expect(';');
      return { kind, docs, gate, name: first.value, target: { kind: 'func', type }, at: kw.start };
    }
    if (after.kind === 'interface') {
      this.next();
      return { kind, docs, gate, name: first.value, target: { kind: 'interface', items: this.interfaceBody() }, at: kw.start };
    }
    const second = this.expectId();
    if (this.peek().kind === '/') {
      // `import ns:pkg/iface@ver;` — `first` was the namespace.
      const path = this.foreignPathAfterColon(first, second);
      this.expect(';');
      return { kind, docs, gate, target: { kind: 'path', path }, at: kw.start };
    }
    // `import name: iface;` or `import name: ns:pkg/iface;`
    let path: UsePath;
    if (this.peek().kind === ':') {
      this.next();
      path = this.foreignPathAfterColon(second, this.expectId());
    } else {
      path = { kind: 'local', name: second.value, at: second.start };
    }
    this.expect(';');
    return { kind, docs, gate, name: first.value, target: { kind: 'path', path }, at: kw.start };
  }

  private include(gate: Gate | undefined): IncludeAst {
    const tok = this.expect('include');
    const path = this.usePath();
    const withNames: IncludeAst['with'] = [];
    if (this.eat('with')) {
      this.expect('{');
      do {
        if (this.peek().kind === '}') break;
        const from = this.id();
        this.expect('as');
        withNames.push({ from, to: this.id() });
      } while (this.eat(','));
      this.expect('}');
      this.eat(';');
    } else {
      this.expect(';');
    }
    return { kind: 'include', path, with: withNames, gate, at: tok.start };
  }

  /** `iface` or `ns:pkg/iface@version`. */
  private usePath(): UsePath {
    const first = this.expectId();
    if (this.peek().kind !== ':') return { kind: 'local', name: first.value, at: first.start };
    this.next();
    return this.foreignPathAfterColon(first, this.expectId());
  }

  /** Having read `ns` `:` `pkg`, reads `/iface` and an optional `@version`. */
  private foreignPathAfterColon(ns: Token, pkg: Token): UsePath {
    this.expect('/');
    const name = this.id();
    let version: string | undefined;
    if (this.peek().kind === '@') {
      this.next();
      version = this.readVersion();
    }
    return { kind: 'foreign', namespace: ns.value, package: pkg.value, name, version, at: ns.start };
  }

  private packageName(): PackageName {
    const ns = this.expectId();
    this.expect(':');
    const name = this.expectId();
    let version: string | undefined;
    if (this.peek().kind === '@') {
      this.next();
      version = this.readVersion();
    }
    return { namespace: ns.value, name: name.value, version };
  }

  private readVersion(): string {
    if (this.peeked) {
      this.lexer.reset(this.peeked.start);
      this.peeked = undefined;
    }
    return this.lexer.version().value;
  }

  /** Zero or more `@since(...)`, `@unstable(...)`, `@deprecated(...)`. */
  private gate(): Gate | undefined {
    let gate: { since?: string; unstable?: string; deprecated?: string } | undefined;
    while (this.peek().kind === '@') {
      const at = this.peek();
      // Look past `@` without consuming, to leave `@external-id` to its own parser.
      this.next();
      const name = this.expectId();
      if (name.value === 'external-id') {
        this.lexer.reset(at.start);
        this.peeked = undefined;
        return gate;
      }
      this.expect('(');
      const field = this.expectId();
      this.expect('=');
      gate ??= {};
      if (name.value === 'since' || name.value === 'deprecated') {
        if (field.value !== 'version') throw this.lexer.error(field.start, `expected \`version\` in @${name.value}`);
        gate[name.value] = this.readVersion();
      } else if (name.value === 'unstable') {
        if (field.value !== 'feature') throw this.lexer.error(field.start, 'expected `feature` in @unstable');
        gate.unstable = this.id();
      } else {
        throw this.lexer.error(name.start, `unknown annotation @${name.value}; expected @since, @unstable or @deprecated`);
      }
      this.expect(')');
    }
    return gate;
  }

  /** `@external-id("…")` is accepted and ignored: it only matters to platforms that link by it. */
  private externalId(): void {
    while (this.peek().kind === '@') {
      this.next();
      const name = this.expectId();
      if (name.value !== 'external-id') throw this.lexer.error(name.start, `unexpected annotation @${name.value} here`);
      this.expect('(');
      this.expect('string');
      this.expect(')');
    }
  }

  private id(): string {
    return this.expectId().value;
  }

  private expectId(): Token {
    const tok = this.next();
    if (tok.kind !== 'id') throw this.unexpected(tok, 'an identifier');
    return tok;
  }

  private peek(): Token {
    this.peeked ??= this.lexer.next();
    return this.peeked;
  }

  private next(): Token {
    const tok = this.peek();
    this.peeked = undefined;
    return tok;
  }

  private eat(kind: string): boolean {
    if (this.peek().kind !== kind) return false;
    this.next();
    return true;
  }

  private expect(kind: string): Token {
    const tok = this.next();
    if (tok.kind !== kind) throw this.unexpected(tok, kind === 'integer' || kind === 'string' ? `a ${kind}` : `\`${kind}\``);
    return tok;
  }

  private unexpected(tok: Token, expected: string): Error {
    const found = tok.kind === 'eof' ? 'end of file' : tok.kind === 'id' ? `identifier \`${tok.value}\`` : `\`${tok.value}\``;
    return this.lexer.error(tok.start, `expected ${expected}, found ${found}`);
  }
}

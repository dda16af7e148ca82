/**
 * WIT tokens, produced on demand. The parser pulls one token at a time, so it can ask for a
 * semver version in the raw text right after an `@` (versions such as `1.0.0-rc.1+b` are
 * not made of ordinary tokens).
 */
import { PluginHostError } from '../errors.js';

export const KEYWORDS = new Set([
  'as', 'async', 'bool', 'borrow', 'char', 'constructor', 'enum', 'export', 'f32', 'f64', 'flags',
  'from', 'func', 'future', 'import', 'include', 'interface', 'list', 'map', 'option', 'own',
  'package', 'record', 'resource', 'result', 's16', 's32', 's64', 's8', 'static', 'stream',
  'string', 'tuple', 'type', 'u16', 'u32', 'u64', 'u8', 'use', 'variant', 'with', 'world',
]);

const OPERATORS = new Set(['=', ',', ':', ';', '(', ')', '{', '}', '<', '>', '*', '/', '.', '@']);

export interface Token {
  /** `id`, `integer`, `string`, `eof`, a keyword, or an operator such as `{` or `->`. */
  readonly kind: string;
  /** Identifier text without a leading `%`; integer digits; decoded string literal. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Doc comments (`///`, `/** … *\/`) directly before this token. */
  readonly docs?: string;
}

export interface Position { line: number; column: number }

export class Lexer {
  private pos = 0;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string, readonly file: string) {
    this.checkCharacters();
  }

  /** Line and column (both 1-based) of an offset. */
  position(offset: number): Position {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  error(offset: number, message: string): PluginHostError {
    const { line, column } = this.position(offset);
    return new PluginHostError('ERR_WIT_SYNTAX', `${this.file}:${line}:${column}: ${message}`, {
      location: { file: this.file, line, column },
    });
  }

  /** Moves the cursor back to an earlier offset (used to re-read after a peek). */
  reset(offset: number): void {
    this.pos = offset;
  }

  next(): Token {
    const docs = this.skipTrivia();
    const start = this.pos;
    const text = this.text;
    if (start >= text.length) return { kind: 'eof', value: '', start, end: start, docs };
    const c = text[start]!;
    if (c === '-' && text[start + 1] === '>') {
      this.pos += 2;
      return { kind: '->', value: '->', start, end: this.pos, docs };
    }
    if (OPERATORS.has(c)) {
      this.pos++;
      return { kind: c, value: c, start, end: this.pos, docs };
    }
    if (c === '"') return this.stringLiteral(start, docs);
    if (c === '_' && !isIdChar(text.charCodeAt(start + 1))) {
      this.pos++;
      return { kind: '_', value: '_', start, end: this.pos, docs };
    }
    if (c >= '0' && c <= '9') {
      while (this.pos < text.length && isDigit(text.charCodeAt(this.pos))) this.pos++;
      return { kind: 'integer', value: text.slice(start, this.pos), start, end: this.pos, docs };
    }
    const explicit = c === '%';
    if (explicit) this.pos++;
    const idStart = this.pos;
    while (this.pos < text.length && isIdChar(text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === idStart) throw this.error(start, `unexpected character ${JSON.stringify(c)}`);
    const value = text.slice(idStart, this.pos);
    const problem = validateIdentifier(value);
    if (problem) throw this.error(start, `invalid identifier \`${value}\`: ${problem}`);
    const kind = !explicit && KEYWORDS.has(value) ? value : 'id';
    return { kind, value, start, end: this.pos, docs };
  }

  /** Reads a semantic version (`1.2.3`, `0.2.0-rc.1+build.5`) starting exactly at the cursor. */
  version(): { value: string; start: number } {
    const text = this.text;
    while (this.pos < text.length && /\s/.test(text[this.pos]!)) this.pos++;
    const start = this.pos;
    while (this.pos < text.length && /[0-9A-Za-z.+-]/.test(text[this.pos]!)) this.pos++;
    // A trailing `.` belongs to what follows (`@1.0.0.{a}` in use paths), not to the version.
    while (this.pos > start && text[this.pos - 1] === '.') this.pos--;
    const value = text.slice(start, this.pos);
    if (!isSemver(value)) throw this.error(start, `expected a semantic version such as 1.0.0, found ${JSON.stringify(value || text.slice(start, start + 1))}`);
    return { value, start };
  }

  private stringLiteral(start: number, docs: string | undefined): Token {
    const text = this.text;
    let i = start + 1;
    let out = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const n = text[i + 1];
        if (n === 'n') { out += '\n'; i += 2; }
        else if (n === 't') { out += '\t'; i += 2; }
        else if (n === 'r') { out += '\r'; i += 2; }
        else if (n === '"' || n === '\\' || n === "'") { out += n; i += 2; }
        else if (n === 'u' && text[i + 2] === '{') {
          const close = text.indexOf('}', i);
          if (close < 0) throw this.error(i, 'unterminated \\u{…} escape');
          out += String.fromCodePoint(parseInt(text.slice(i + 3, close), 16));
          i = close + 1;
        } else if (n && /[0-9a-fA-F]/.test(n) && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) {
          out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
          i += 3;
        } else throw this.error(i, 'invalid escape in string literal');
      } else if (text[i] === '\n') {
        throw this.error(i, 'unterminated string literal');
      } else out += text[i++];
    }
    if (i >= text.length) throw this.error(start, 'unterminated string literal');
    this.pos = i + 1;
    return { kind: 'string', value: out, start, end: this.pos, docs };
  }

  /** Skips whitespace and comments; returns the doc comments seen right before the next token. */
  private skipTrivia(): string | undefined {
    const text = this.text;
    let docs: string[] | undefined;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        this.pos++;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 47) {
        const end = text.indexOf('\n', this.pos);
        const line = text.slice(this.pos, end < 0 ? text.length : end);
        if (line.startsWith('///') && !line.startsWith('////')) (docs ??= []).push(stripDocLine(line.slice(3)));
        else docs = undefined;
        this.pos = end < 0 ? text.length : end + 1;
      } else if (c === 47 && text.charCodeAt(this.pos + 1) === 42) {
        const start = this.pos;
        let depth = 0;
        let i = this.pos;
        while (i < text.length) {
          if (text[i] === '/' && text[i + 1] === '*') { depth++; i += 2; }
          else if (text[i] === '*' && text[i + 1] === '/') { depth--; i += 2; if (depth === 0) break; }
          else i++;
        }
        if (depth !== 0) throw this.error(start, 'unterminated block comment');
        const body = text.slice(start, i);
        if (body.startsWith('/**') && body !== '/**/' && !body.startsWith('/***')) {
          (docs ??= []).push(...body.slice(3, -2).split('\n').map((l) => stripDocLine(l.replace(/^\s*\*?/, ''))));
        } else docs = undefined;
        this.pos = i;
      } else break;
    }
    if (!docs) return undefined;
    const joined = docs.join('\n').trim();
    return joined === '' ? undefined : joined;
  }

  private checkCharacters(): void {
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const control = (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127;
      const bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
      if (control || bidi) throw this.error(i, `forbidden character U+${c.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
}

function stripDocLine(line: string): string {
  return line.startsWith(' ') ? line.slice(1) : line;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
}

/** Kebab-case: words separated by `-`, each starting with a letter, all lower- or all upper-case. */
export function validateIdentifier(id: string): string | undefined {
  if (id === '') return 'empty';
  for (const word of id.split('-')) {
    if (word === '') return 'empty word (leading, trailing or double `-`)';
    if (!/^[A-Za-z]/.test(word)) return `word \`${word}\` must start with a letter`;
    if (/[a-z]/.test(word) && /[A-Z]/.test(word)) return `word \`${word}\` mixes upper and lower case`;
  }
  return undefined;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export function isSemver(text: string): boolean {
  return SEMVER.test(text);
}

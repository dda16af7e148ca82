// A reader for the s-expressions of .wast scripts: lists, atoms and strings, each with the
// source range it came from (so a component's own text can be handed to the WAT encoder).

/** @typedef {{ kind: 'list', items: Node[], start: number, end: number }} List */
/** @typedef {{ kind: 'atom', text: string, start: number, end: number }} Atom */
/** @typedef {{ kind: 'string', bytes: Uint8Array, start: number, end: number }} Str */
/** @typedef {List | Atom | Str} Node */

/** Reads every top-level form of a script. Throws on unbalanced input. */
export function readForms(text) {
  const forms = [];
  const stack = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === ';' && text[i + 1] === ';') { while (i < n && text[i] !== '\n') i++; continue; }
    if (c === '(' && text[i + 1] === ';') { i = skipBlockComment(text, i); continue; }
    if (c === '(') { stack.push({ kind: 'list', items: [], start: i, end: -1 }); i++; continue; }
    if (c === ')') {
      const list = stack.pop();
      if (!list) throw new Error(`unbalanced ) at ${i}`);
      list.end = ++i;
      (stack.length ? stack[stack.length - 1].items : forms).push(list);
      continue;
    }
    const node = c === '"' ? readString(text, i) : readAtom(text, i);
    i = node.end;
    if (!stack.length) throw new Error(`stray token at ${node.start}`);
    stack[stack.length - 1].items.push(node);
  }
  if (stack.length) throw new Error('unterminated list');
  return forms;
}

function skipBlockComment(text, i) {
  let depth = 0;
  while (i < text.length) {
    if (text[i] === '(' && text[i + 1] === ';') { depth++; i += 2; continue; }
    if (text[i] === ';' && text[i + 1] === ')') { depth--; i += 2; if (depth === 0) return i; continue; }
    i++;
  }
  throw new Error('unterminated block comment');
}

function readAtom(text, start) {
  let i = start;
  while (i < text.length && !' \t\n\r()";'.includes(text[i])) i++;
  return { kind: 'atom', text: text.slice(start, i), start, end: i };
}

const ESCAPES = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92 };

function readString(text, start) {
  const bytes = [];
  const encoder = new TextEncoder();
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new Error(`unterminated string at ${start}`);
    const c = text[i];
    if (c === '"') break;
    if (c !== '\\') {
      const cp = text.codePointAt(i);
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
      continue;
    }
    const e = text[i + 1];
    if (e in ESCAPES) { bytes.push(ESCAPES[e]); i += 2; continue; }
    if (e === 'u' && text[i + 2] === '{') {
      const close = text.indexOf('}', i);
      bytes.push(...encoder.encode(String.fromCodePoint(parseInt(text.slice(i + 3, close).replace(/_/g, ''), 16))));
      i = close + 1;
      continue;
    }
    bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
    i += 3;
  }
  return { kind: 'string', bytes: new Uint8Array(bytes), start, end: i + 1 };
}

/** The atom text of a node, or undefined. */
export function atom(node) {
  return node?.kind === 'atom' ? node.text : undefined;
}

/** The head keyword of a list, or undefined. */
export function head(node) {
  return node?.kind === 'list' ? atom(node.items[0]) : undefined;
}

/** A string node's text (UTF-8). */
export function stringText(node) {
  return new TextDecoder().decode(node.bytes);
}

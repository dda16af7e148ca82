/**
 * Where a command writes: data to stdout (as JSON with `--json`), messages to stderr, and
 * colour only when the stream is a terminal and NO_COLOR is unset (https://no-color.org).
 */
export interface Output {
  /** Writes a line of the command's result. */
  line(text: string): void;
  /** Writes a value as JSON (one document). */
  json(value: unknown): void;
  /** A diagnostic on stderr. */
  error(text: string): void;
  /** Colours text when stdout is a colour terminal. */
  paint(style: Style, text: string): string;
}

export type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow';

const CODES: Record<Style, [number, number]> = { bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], yellow: [33, 39] };

export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function processOutput(): Output {
  const colour = useColour(process.stdout);
  return {
    line: (text) => { process.stdout.write(`${text}\n`); },
    json: (value) => { process.stdout.write(`${toJson(value, 2)}\n`); },
    error: (text) => { process.stderr.write(`${text}\n`); },
    paint: (style, text) => (colour ? `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m` : text),
  };
}

/**
 * JSON for WIT values: `bigint`s as plain numbers (JSON numbers have no size limit),
 * typed arrays as arrays, maps as arrays of pairs, `undefined` (a `none`) as null.
 */
export function toJson(value: unknown, indent = 0, depth = 0): string {
  const pad = indent ? `\n${' '.repeat(indent * (depth + 1))}` : '';
  const end = indent ? `\n${' '.repeat(indent * depth)}` : '';
  const sep = indent ? ': ' : ':';
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return toJson(Array.from(value as unknown as ArrayLike<unknown>), indent, depth);
  if (value instanceof Map) return toJson([...value.entries()], indent, depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + toJson(v, indent, depth + 1)).join(',')}${end}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}${sep}${toJson(v, indent, depth + 1)}`).join(',')}${end}}`;
  }
  return JSON.stringify(String(value));
}

// A componentize-js component for the interop corpus. Files are read through the WASI
// filesystem imports directly (StarlingMonkey has no `fs`); the rest uses the engine's own
// globals, which it implements with WASI.
import { getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

const decoder = new TextDecoder();

/** The preopen a guest path lies in, and the path relative to it. */
function locate(path) {
  for (const [descriptor, name] of getDirectories()) {
    const prefix = name.endsWith('/') ? name : `${name}/`;
    if (path === name) return [descriptor, '.'];
    if (path.startsWith(prefix)) return [descriptor, path.slice(prefix.length)];
  }
  throw new Error(`no preopen holds ${path}`);
}

function reason(e) {
  return typeof e?.payload === 'string' ? e.payload : String(e?.payload?.tag ?? e?.message ?? e);
}

export const probe = {
  echo(text) {
    return `${text}|${[...text].length}|${[...text].reverse().join('')}`;
  },
  env() {
    return getEnvironment();
  },
  readText(path) {
    try {
      const [dir, rest] = locate(path);
      const file = dir.openAt({ symlinkFollow: true }, rest, {}, { read: true });
      const stream = file.readViaStream(0n);
      const chunks = [];
      for (;;) {
        try {
          chunks.push(stream.blockingRead(4096n));
        } catch (e) {
          if (e?.payload?.tag === 'closed') break;
          throw e;
        }
      }
      return chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode();
    } catch (e) {
      throw reason(e);
    }
  },
  listDir(path) {
    try {
      const [dir, rest] = locate(path);
      const target = rest === '.' ? dir : dir.openAt({ symlinkFollow: true }, rest, { directory: true }, { read: true });
      const entries = target.readDirectory();
      const names = [];
      for (let e = entries.readDirectoryEntry(); e; e = entries.readDirectoryEntry()) {
        names.push(e.type === 'directory' ? `${e.name}/` : e.name);
      }
      return names.sort();
    } catch (e) {
      throw reason(e);
    }
  },
  nowMillis() {
    return BigInt(Date.now());
  },
  randomBytes(n) {
    return crypto.getRandomValues(new Uint8Array(n));
  },
  log(text) {
    console.log(text);
  },
  quit(ok) {
    exit(ok ? { tag: 'ok' } : { tag: 'err' });
  },
  async fetchStatus(url) {
    try {
      return (await fetch(url)).status;
    } catch (e) {
      throw `fetch failed: ${e?.message ?? e}`;
    }
  },
};

class Counter {
  #label;
  #count = 0;

  constructor(label) {
    this.#label = label;
  }

  increment(by) {
    this.#count += by;
    return this.#count;
  }

  describe() {
    return `${this.#label}: ${this.#count}`;
  }
}

export const counters = { Counter };

/**
 * `wasi:http/types.fields`: a header (or trailer) multimap. Plugins may build requests and
 * responses even though no request is ever sent (see `index.ts`), so this is a real,
 * validating implementation: names are HTTP tokens, values hold no CR, LF or NUL, and one
 * `fields` holds at most `MAX_FIELDS_BYTES` of names and values (beyond: `forbidden`), so a
 * plugin cannot grow host memory through headers.
 */

export const MAX_FIELDS_BYTES = 64 * 1024;

type HeaderError = { tag: 'invalid-syntax' } | { tag: 'forbidden' } | { tag: 'immutable' };

/** A thrown `header-error`. */
class HeaderFailure {
  constructor(readonly payload: HeaderError) {}
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function validValue(value: Uint8Array): boolean {
  return value.every((b) => b !== 0x0a && b !== 0x0d && b !== 0x00);
}

export class Fields {
  private entriesList: [string, Uint8Array][] = [];
  private bytes = 0;
  /** Headers owned by a request or response: changes are refused with `immutable`. */
  private frozen = false;

  static fromList(entries: [string, Uint8Array][]): Fields {
    const fields = new Fields();
    for (const [name, value] of entries) fields.append(name, value);
    return fields;
  }

  /** The same entries, refusing changes (what a request's or response's `headers` returns). */
  static frozenView(of: Fields): Fields {
    const view = new Fields();
    view.entriesList = of.entriesList;
    view.frozen = true;
    return view;
  }

  /** Called when a request or response takes ownership. */
  freeze(): void {
    this.frozen = true;
  }

  get(name: string): Uint8Array[] {
    const key = name.toLowerCase();
    return this.entriesList.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v.slice());
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.entriesList.some(([n]) => n.toLowerCase() === key);
  }

  set(name: string, values: Uint8Array[]): void {
    this.checkChange(name, values);
    this.remove(name);
    for (const v of values) this.add(name, v);
  }

  delete(name: string): void {
    this.checkChange(name, []);
    this.remove(name);
  }

  append(name: string, value: Uint8Array): void {
    this.checkChange(name, [value]);
    this.add(name, value);
  }

  entries(): [string, Uint8Array][] {
    return this.entriesList.map(([n, v]) => [n, v.slice()]);
  }

  clone(): Fields {
    const copy = new Fields();
    copy.entriesList = this.entries();
    copy.bytes = this.bytes;
    return copy;
  }

  private checkChange(name: string, values: Uint8Array[]): void {
    if (this.frozen) throw new HeaderFailure({ tag: 'immutable' });
    if (!TOKEN.test(name) || !values.every(validValue)) throw new HeaderFailure({ tag: 'invalid-syntax' });
    const added = values.reduce((sum, v) => sum + name.length + v.length, 0);
    if (this.bytes + added > MAX_FIELDS_BYTES) throw new HeaderFailure({ tag: 'forbidden' });
  }

  private add(name: string, value: Uint8Array): void {
    this.entriesList.push([name, value.slice()]);
    this.bytes += name.length + value.length;
  }

  private remove(name: string): void {
    const key = name.toLowerCase();
    this.entriesList = this.entriesList.filter(([n, v]) => {
      if (n.toLowerCase() !== key) return true;
      this.bytes -= n.length + v.length;
      return false;
    });
  }
}

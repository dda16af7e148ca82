/**
 * A small code writer for generated JavaScript: fresh variable names, indentation, and
 * "helpers" (runtime values the code closes over, passed in as parameters of the factory).
 */
/** Compiled factories by source (oldest evicted first beyond the limit). */
const factories = new Map<string, (...helpers: unknown[]) => unknown>();
const MAX_FACTORIES = 20_000;

export class Emitter {
  private readonly lines: string[] = [];
  private indent = 1;
  private counter = 0;
  private readonly helperNames = new Map<unknown, string>();
  private readonly helperValues: unknown[] = [];

  /** A fresh local variable name. */
  tmp(prefix = 't'): string {
    return `${prefix}${this.counter++}`;
  }

  /** A name under which the generated code can reach `value`. */
  helper(value: unknown, hint = 'h'): string {
    let name = this.helperNames.get(value);
    if (!name) {
      name = `${hint.replace(/[^A-Za-z0-9_$]/g, '_')}$${this.helperNames.size}`;
      this.helperNames.set(value, name);
      this.helperValues.push(value);
    }
    return name;
  }

  line(text: string): void {
    this.lines.push('  '.repeat(this.indent) + text);
  }

  /** Emits `head {`, the body, and `}`. */
  block(head: string, body: () => void, tail = '}'): void {
    this.line(`${head} {`);
    this.indent++;
    body();
    this.indent--;
    this.line(tail);
  }

  /**
   * Builds `function name(params) { body }` closed over the helpers. The factory compiled
   * from a given source is shared by every instance that generates the same source, so a
   * thousand instances of one component compile their glue once.
   */
  build<F>(name: string, params: readonly string[], body: () => void): F {
    body();
    const source = `return function ${name}(${params.join(', ')}) {\n${this.lines.join('\n')}\n};`;
    const names = [...this.helperNames.values()];
    const key = `${names.join(',')}\n${source}`;
    let factory = factories.get(key);
    if (!factory) {
      try {
        factory = new Function(...names, source) as (...helpers: unknown[]) => unknown;
      } catch (e) {
        throw new Error(`internal: generated code does not compile (${String(e)}):\n${source}`);
      }
      if (factories.size >= MAX_FACTORIES) factories.delete(factories.keys().next().value!);
      factories.set(key, factory);
    }
    return factory(...this.helperValues) as F;
  }
}

/** A JS string literal for `text`. */
export function str(text: string): string {
  return JSON.stringify(text);
}

/** A property access that is valid for any key. */
export function prop(object: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${object}.${key}` : `${object}[${str(key)}]`;
}

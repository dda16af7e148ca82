/**
 * A small code writer for generated JavaScript: fresh variable names, indentation, and
 * "helpers" (runtime values the code closes over, passed in as parameters of the factory).
 */
import { factoryFor, specOf, type HelperSpec, type SiteBinding, type Template } from './templates.js';
export class Emitter {
  /** Set by `build()`: the symbolic form of what was built (when the emitter has a binding). */
  template?: Template;
  private readonly helperSpecs: { name: string; spec: HelperSpec }[] = [];
  private readonly lines: string[] = [];
  private indent = 1;
  private counter = 0;
  private readonly helperNames = new Map<unknown, string>();
  private readonly helperValues: unknown[] = [];

  /** A fresh local variable name. */
  tmp(prefix = 't'): string {
    return `${prefix}${this.counter++}`;
  }

  constructor(private readonly binding?: SiteBinding) {}

  /** A name under which the generated code can reach `value`. */
  helper(value: unknown, hint = 'h'): string {
    let name = this.helperNames.get(value);
    if (!name) {
      name = `${hint.replace(/[^A-Za-z0-9_$]/g, '_')}$${this.helperNames.size}`;
      this.helperNames.set(value, name);
      this.helperValues.push(value);
      if (this.binding) this.helperSpecs.push({ name, spec: specOf(value, this.binding) });
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
    if (this.binding) this.template = { name, params, source, helpers: this.helperSpecs };
    return factoryFor(names, source)(...this.helperValues) as F;
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

/**
 * External visibility of types (Explainer.md "External Visibility of Types"): every
 * resource, record, variant, enum and flags type used in the type of an import or export
 * must have an externally visible name — a type index introduced by an import or export
 * of this scope (or reached through an imported or exported instance). Imports may not use
 * names introduced by exports. Exported value types may not contain `borrow`.
 *
 * In a component, only what its own imports and exports registered counts as named. In a
 * component or instance *type*, what is defined inside the type must be named there;
 * types aliased from outer scopes are names already.
 */
import type { Type } from '../../../common/wit/model.js';
import { containsBorrow } from './defined-types.js';
import { invalid } from './errors.js';
import type { Scope } from './scope.js';
import type { ExternT, InstanceType, TypeEntry } from './types.js';

const NEEDS_NAME = new Set(['record', 'variant', 'enum', 'flags', 'resource']);

class Visibility {
  constructor(
    private readonly scope: Scope,
    private readonly context: 'import' | 'export',
    private readonly extra: ReadonlySet<object>,
  ) {}

  /** A type used by reference (a parameter, a field, a payload). */
  reference(t: Type): void {
    if (this.extra.has(t) || this.scope.named.has(t)) {
      if (this.context === 'import' && this.scope.exportNamed.has(t)) throw new Misuse(`the ${t.kind === 'alias' ? 'type' : t.kind} named by an export (imports may only use imported names)`);
      return;
    }
    if (t.kind === 'alias') return this.reference(t.target);
    if (NEEDS_NAME.has(t.kind)) {
      // In a type, what comes from an enclosing scope is named there.
      if (this.scope.kind !== 'component' && !this.scope.definedHere.has(t) && t.kind !== 'resource') return;
      throw new Misuse(`a ${t.kind} type without an exported or imported name`);
    }
    this.contents(t);
  }

  /** The parts of a type (an exported type's own definition need not be named, its parts must). */
  contents(t: Type): void {
    switch (t.kind) {
      case 'alias': return this.contents(t.target);
      case 'list': return this.reference(t.element);
      case 'option': return this.reference(t.some);
      case 'result': { if (t.ok) this.reference(t.ok); if (t.err) this.reference(t.err); return; }
      case 'tuple': return t.types.forEach((x) => this.reference(x));
      case 'record': return t.fields.forEach((f) => this.reference(f.type));
      case 'variant': return t.cases.forEach((c) => { if (c.type) this.reference(c.type); });
      case 'own': case 'borrow': return this.reference(t.resource);
      default: return;
    }
  }

  entry(e: TypeEntry): void {
    switch (e.kind) {
      case 'value': return this.contents(e.type);
      case 'resource': return;
      case 'func': return this.func(e.type);
      case 'instance': return this.instance(e.type);
      case 'component': return;
    }
  }

  func(f: { params: readonly { type: Type }[]; result?: Type }): void {
    for (const p of f.params) this.reference(p.type);
    if (f.result) this.reference(f.result);
  }

  instance(t: InstanceType): void {
    const inner = new Visibility(this.scope, this.context, new Set([...this.extra, ...typesOf(t)]));
    for (const x of t.exports.values()) inner.extern(x);
  }

  extern(x: ExternT): void {
    switch (x.sort) {
      case 'func': return this.func(x.type);
      case 'type': return this.entry(x.entry);
      case 'instance': return this.instance(x.type);
      default: return;
    }
  }
}

class Misuse extends Error {}

/** The type objects an instance type exports, nested instances included. */
export function typesOf(t: InstanceType, out = new Set<object>()): Set<object> {
  for (const x of t.exports.values()) {
    if (x.sort === 'type' && (x.entry.kind === 'value' || x.entry.kind === 'resource')) out.add(x.entry.type);
    else if (x.sort === 'instance') typesOf(x.type, out);
  }
  return out;
}

/** Refuses an import or export whose type uses unnamed types (rules `visibility/…`). */
export function checkVisible(item: ExternT, scope: Scope, context: 'import' | 'export', name: string, at: number | undefined): void {
  try {
    new Visibility(scope, context, new Set()).extern(item);
  } catch (e) {
    if (!(e instanceof Misuse)) throw e;
    throw invalid(`visibility/${context}`, at, `${item.sort} not valid to be used as ${context} (\`${name}\`): it uses ${e.message}`);
  }
  if (context === 'export' && usesBorrowInValue(item)) {
    throw invalid('visibility/export-borrow', at, `export \`${name}\` is a value type that contains a \`borrow\` handle`);
  }
}

function usesBorrowInValue(item: ExternT): boolean {
  if (item.sort === 'type' && item.entry.kind === 'value') return containsBorrow(item.entry.type);
  if (item.sort === 'instance') return [...item.type.exports.values()].some(usesBorrowInValue);
  return false;
}

/** Makes the types an imported or exported item carries count as named in `scope`. */
export function registerNames(item: ExternT, scope: Scope, context: 'import' | 'export'): void {
  const add = (o: object) => {
    scope.named.add(o);
    if (context === 'export') scope.exportNamed.add(o);
  };
  if (item.sort === 'type' && (item.entry.kind === 'value' || item.entry.kind === 'resource')) add(item.entry.type);
  else if (item.sort === 'instance') for (const o of typesOf(item.type)) add(o);
}

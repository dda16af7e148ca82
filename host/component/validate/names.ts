/**
 * Names (Explainer.md "Import and Export Definitions", "Name Uniqueness"): kebab-case
 * labels, the `externname` grammar (plain names with `[constructor]`, `[method]`,
 * `[static]` annotations, and interface names `ns:pkg/iface@semver`), and strong
 * uniqueness within a scope.
 */
import type { NameAttribute } from '../binary/ast.js';
import { invalid, unsupported } from './errors.js';
import { isLegacyName, legacyNameProblem, NESTED } from './legacy-names.js';

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Fragments separated by `-`, each all lowercase or all uppercase (digits allowed), the
 * first starting with a letter. `lowercase` also refuses uppercase fragments.
 */
function isKebab(name: string, lowercase: boolean): boolean {
  const n = name.length;
  if (n === 0 || !(isLower(name.charCodeAt(0)) || (!lowercase && isUpper(name.charCodeAt(0))))) return false;
  let lower = false;
  let upper = false;
  let empty = true;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 45) {
      if (empty) return false;
      lower = upper = false;
      empty = true;
      continue;
    }
    empty = false;
    if (isLower(c)) lower = true;
    else if (isUpper(c) && !lowercase) upper = true;
    else if (!isDigit(c)) return false;
    if (lower && upper) return false;
  }
  return !empty;
}

/** `a`, `a-b-c`, `A1-2-3`, `is-XML`; not `1-a`, `aB`, `a--b`. */
export function isLabel(name: string): boolean {
  return isKebab(name, false);
}

/** Lowercase words joined by hyphens, starting with a letter (namespaces, packages). */
function isWords(s: string): boolean {
  return isKebab(s, true);
}

// Semantic Versioning 2.0: no leading zeros in numeric identifiers.
const NUM = '(0|[1-9][0-9]*)';
const PRE_ID = '(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)';
const SEMVER = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(-${PRE_ID}(\\.${PRE_ID})*)?(\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*)?$`);
const CANON_VERSION = /^([1-9][0-9]*|0\.[1-9][0-9]*|0\.0\.[1-9][0-9]*|0\.0\.0)$/;

export function isSemver(v: string): boolean {
  return SEMVER.test(v);
}

export type ParsedName =
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'constructor'; readonly resource: string }
  | { readonly kind: 'method' | 'static'; readonly resource: string; readonly label: string }
  | { readonly kind: 'interface'; readonly version?: string }
  | { readonly kind: 'legacy' };

/** Parses an import or export name, or refuses it (rule `names/extern-name`). */
export function parseExternName(name: string, at: number | undefined, what: string): ParsedName {
  const bad = (why: string): never => {
    throw invalid('names/extern-name', at, `${what} name \`${name}\` is not valid: ${why}`);
  };
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    const annotation = name.slice(1, close);
    const rest = name.slice(close + 1);
    if (annotation === 'constructor') {
      if (!isLabel(rest)) bad(`\`${rest}\` is not in kebab case`);
      return { kind: 'constructor', resource: rest };
    }
    if (annotation === 'method' || annotation === 'static') {
      const dot = rest.indexOf('.');
      if (dot < 0) bad(`a [${annotation}] name needs \`resource.name\``);
      const resource = rest.slice(0, dot);
      const label = rest.slice(dot + 1);
      if (!isLabel(resource)) bad(`\`${resource}\` is not in kebab case`);
      if (!isLabel(label)) bad(`\`${label}\` is not in kebab case`);
      return { kind: annotation, resource, label };
    }
    return bad(`unknown annotation \`[${annotation}]\``);
  }
  if (isLegacyName(name)) {
    if (what !== 'import') bad(`not a valid ${what} name (\`url=\`, \`integrity=\` and dependency names are only for imports)`);
    const why = legacyNameProblem(name);
    if (why === NESTED) throw unsupported(`the nested package name \`${name}\` (nested namespaces and packages)`, at);
    if (why) bad(why);
    return { kind: 'legacy' };
  }
  if (name.includes(':')) return parseInterfaceName(name, bad, at);
  if (!isLabel(name)) bad(`\`${name}\` is not in kebab case`);
  return { kind: 'label', label: name };
}

/** `ns:pkg/iface@1.2.3`. Nested namespaces and projections (`a:b:c/d/e`, 🪺) are a proposal this host does not implement. */
function parseInterfaceName(name: string, bad: (why: string) => never, at: number | undefined): ParsedName {
  let body = name;
  let version: string | undefined;
  const atSign = name.indexOf('@');
  if (atSign >= 0) {
    version = name.slice(atSign + 1);
    body = name.slice(0, atSign);
    if (!isSemver(version) && !CANON_VERSION.test(version)) bad(`\`${version}\` is not a valid semver version`);
  }
  const slash = body.indexOf('/');
  if (slash < 0) bad('an interface name needs `namespace:package/interface`');
  const path = body.slice(0, slash).split(':');
  if (path.length < 2) bad('an interface name needs `namespace:package/interface`');
  for (const p of path) if (!isWords(p)) bad(`\`${p}\` must be lowercase words separated by hyphens (package name/namespace)`);
  const projections = body.slice(slash + 1).split('/');
  for (const projection of projections) if (!isLabel(projection)) bad(`\`${projection}\` is not in kebab case`);
  if (path.length > 2 || projections.length > 1) throw unsupported(`the nested interface name \`${name}\` (nested namespaces and packages)`, at);
  return { kind: 'interface', ...(version === undefined ? {} : { version }) };
}

/** Attributes may appear once each; `implements` names an interface. */
export function checkAttributes(attributes: readonly NameAttribute[] | undefined, at: number | undefined, sort: string, parsed: ParsedName): void {
  if (!attributes) return;
  const seen = new Set<string>();
  for (const a of attributes) {
    if (seen.has(a.kind)) throw invalid('names/attribute-repeated', at, `the \`${a.kind}\` attribute is given twice`);
    seen.add(a.kind);
    if (a.kind === 'implements') {
      if (sort !== 'instance') throw invalid('names/implements', at, '`implements` is only allowed on instance imports and exports');
      if (parsed.kind !== 'label') throw invalid('names/implements', at, '`implements` needs a plain name');
      const inner = parseExternName(a.value, at, 'implemented interface');
      if (inner.kind !== 'interface') throw invalid('names/implements', at, `\`${a.value}\` is not an interface name`);
    }
    if (a.kind === 'versionsuffix') {
      if (sort !== 'instance') throw invalid('names/versionsuffix', at, 'only instances can have a `versionsuffix`');
      if (parsed.kind !== 'interface' || parsed.version === undefined || !CANON_VERSION.test(parsed.version)) {
        throw invalid('names/versionsuffix', at, 'a `versionsuffix` needs an interface name with a canonical version');
      }
      if (!/^[0-9A-Za-z.+-]*$/.test(a.value) || !isSemver(parsed.version + a.value)) {
        throw invalid('names/versionsuffix', at, `\`${parsed.version}${a.value}\` is not a valid semver version`);
      }
    }
  }
}

/** The canonical form strong uniqueness compares (Explainer.md "Name Uniqueness"). */
export function uniquenessKey(name: string): string {
  if (isLegacyName(name)) return name;
  const lower = name.toLowerCase();
  if (lower.startsWith('[method]') || lower.startsWith('[static]')) {
    const rest = lower.slice(8);
    const dot = rest.indexOf('.');
    if (dot >= 0) {
      const resource = rest.slice(0, dot);
      return resource === rest.slice(dot + 1) ? resource : rest;
    }
  }
  return lower;
}

/** The names already used in one scope (its imports, or its exports). */
export class NameSet {
  private readonly keys = new Map<string, string>();

  /** Adds `name` or refuses it when it is not strongly unique (rule `names/unique`). */
  add(name: string, at: number | undefined, what: string): void {
    const key = uniquenessKey(name);
    const previous = this.keys.get(key);
    if (previous !== undefined) {
      throw invalid('names/unique', at, previous === name
        ? `${what} name \`${name}\` is used twice`
        : `${what} name \`${name}\` conflicts with previous name \`${previous}\``);
    }
    this.keys.set(key, name);
  }

  has(name: string): boolean {
    return this.keys.has(uniquenessKey(name));
  }
}

/** Labels of record fields, variant cases, flags, enums and parameters: kebab case, unique. */
export function checkLabels(labels: readonly string[], at: number | undefined, what: string): void {
  const seen = new Map<string, string>();
  for (const l of labels) {
    if (!isLabel(l)) throw invalid('names/label', at, `${what} name \`${l}\` is not in kebab case`);
    const key = l.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) throw invalid('names/label-unique', at, `${what} name \`${l}\` conflicts with previous name \`${previous}\``);
    seen.set(key, l);
  }
}

/**
 * The resources of one scope that have a name (from a resource import or export), for the
 * rules of annotated function names. A function must refer to the resource through the
 * very type index the name introduced, not another index of the same resource.
 */
export class ResourceNames {
  private readonly byEntry = new Map<object, string>();
  private readonly all = new Set<string>();

  register(entry: object, name: string): void {
    if (!this.byEntry.has(entry)) this.byEntry.set(entry, name);
    this.all.add(name);
  }

  nameOf(entry: object): string | undefined {
    return this.byEntry.get(entry);
  }

  has(name: string): boolean {
    return this.all.has(name);
  }
}

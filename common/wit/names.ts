/**
 * How WIT's kebab-case names appear in JavaScript (jco's convention): functions, fields
 * and flags in lowerCamelCase, resources in UpperCamelCase; variant and enum case names
 * stay kebab-case because they are string values, not identifiers.
 */

function words(kebab: string): string[] {
  return kebab.split('-').filter((w) => w !== '');
}

/** `get-stdout` → `getStdout`, `HTTP-error` → `httpError`. */
export function camelCase(kebab: string): string {
  return words(kebab)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

/**
 * The name of a WIT function on a proxy (an actor's methods, an interface's functions, a
 * resource's statics): `camelCase`, except names JavaScript itself looks up on any object
 * get a trailing `_` — `then` (awaiting a value with a callable `then` calls it, so a proxy
 * must never have one) and `Object.prototype`'s members (`toString`, `valueOf`,
 * `constructor`, …, which conversions and libraries call implicitly). WIT identifiers have
 * no `_`, so the result never collides with another function's name. The WIT name always
 * works in `remoteCall`. Typed bindings must name members with this function too.
 */
export function proxyMemberName(kebab: string): string {
  const name = camelCase(kebab);
  return name === 'then' || name in Object.prototype ? `${name}_` : name;
}

/** `output-stream` → `OutputStream`. */
export function pascalCase(kebab: string): string {
  return words(kebab).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
}

/** `ns:pkg/iface@1.0.0` → `ns:pkg/iface`. */
export function stripVersion(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/** The interface part of an id (`ns:pkg/iface@1.0.0` → `iface`), or the name itself. */
export function shortInterfaceName(id: string): string {
  const slash = id.lastIndexOf('/');
  return stripVersion(slash < 0 ? id : id.slice(slash + 1));
}

/**
 * Splits a component-model function name: `[method]r.get` → { kind: 'method',
 * resource: 'r', name: 'get' }; `greet` → { kind: 'freestanding', name: 'greet' }.
 */
export function parseFunctionName(name: string): { kind: 'freestanding' | 'method' | 'static' | 'constructor'; resource?: string; name: string } {
  if (name.startsWith('[constructor]')) return { kind: 'constructor', resource: name.slice(13), name: 'constructor' };
  for (const kind of ['method', 'static'] as const) {
    const prefix = `[${kind}]`;
    if (name.startsWith(prefix)) {
      const rest = name.slice(prefix.length);
      const dot = rest.indexOf('.');
      return { kind, resource: rest.slice(0, dot), name: rest.slice(dot + 1) };
    }
  }
  return { kind: 'freestanding', name };
}

/**
 * The name among `existing` that `name` collides with: kebab-case identifiers are
 * case-insensitive (`get-user` and `GET-USER` are one name), as wit-parser has them.
 */
export function collidingName(existing: Iterable<string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const e of existing) if (e.toLowerCase() === lower) return e;
  return undefined;
}

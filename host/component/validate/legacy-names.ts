/**
 * Extern names of earlier versions of the component model that toolchains still accept
 * (wasm-tools does): `url=<…>`, `integrity=<…>`, `locked-dep=<ns:pkg@1.2.3>` and
 * `unlocked-dep=<ns:pkg@{>=1.0.0 <2.0.0}>`, optionally followed by `,integrity=<…>`.
 * They name dependencies; this host treats them as opaque names once they parse.
 */
import { isSemver } from './names.js';

const LEGACY = /^(url|relative-url|integrity|locked-dep|unlocked-dep)=/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isLegacyName(name: string): boolean {
  return name.includes('=') && LEGACY.test(name);
}

/** `<inner>` at the start of `rest`: the inner text and what follows, or why not. */
function bracketed(rest: string): { inner: string; after: string } | string {
  if (!rest.startsWith('<')) return `expected \`<\` at \`${rest}\``;
  const close = rest.indexOf('>');
  if (close < 0) return 'failed to find `>`';
  return { inner: rest.slice(1, close), after: rest.slice(close + 1) };
}

function integrity(metadata: string): string | undefined {
  const hashes = metadata.trim().split(/\s+/).filter((h) => h !== '');
  if (hashes.length === 0) return 'integrity hash cannot be empty';
  for (const h of hashes) {
    const dash = h.indexOf('-');
    if (dash < 0) return 'expected `-` after hash algorithm';
    const alg = h.slice(0, dash);
    if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') return `unrecognized hash algorithm \`${alg}\``;
    const value = h.slice(dash + 1).split('?')[0]!;
    if (value === '' || !BASE64.test(value)) return `\`${value}\` is not valid base64`;
  }
  return undefined;
}

/** Package path `ns:pkg` of a dependency name; nested paths (`a:b:c/d`) are reported as `nested`. */
function packagePath(path: string): string | undefined {
  const parts = path.split(/[:/]/);
  if (parts.length < 2 || !path.includes(':')) return `\`${path}\` is not \`namespace:package\``;
  if (parts.length > 2) return NESTED;
  for (const p of parts) if (!/^[a-z][0-9a-z]*(-[0-9a-z]+)*$/.test(p)) return `\`${p}\` is not in kebab case`;
  return undefined;
}

/** What `legacyNameProblem` returns for nested package paths (a proposal this host does not implement). */
export const NESTED = 'nested';

function versionRange(range: string): string | undefined {
  if (range === '*') return undefined;
  if (!range.startsWith('{') || !range.endsWith('}')) return `expected \`{\` at \`${range}\``;
  const parts = range.slice(1, -1).split(' ');
  if (parts.length > 2) return `\`${range.slice(1, -1)}\` is not a valid version range`;
  for (const [i, p] of parts.entries()) {
    const lower = p.startsWith('>=');
    if (!lower && !p.startsWith('<')) return 'expected `>=` or `<` at start of version range';
    if (parts.length === 2 && (i === 0) !== lower) return `\`${parts.slice(i).join(' ')}\` is not a valid semver`;
    const v = p.slice(lower ? 2 : 1);
    if (!isSemver(v)) return `\`${v}\` is not a valid semver`;
  }
  return undefined;
}

/** Why a legacy name is malformed, or undefined when it is well formed. */
export function legacyNameProblem(name: string): string | undefined {
  const eq = name.indexOf('=');
  const kind = name.slice(0, eq);
  // A version range (`@{>=1.0.0 <2.0.0}`) holds `>` itself: only the last one closes it.
  const b = kind === 'unlocked-dep' && name.endsWith('>')
    ? { inner: name.slice(eq + 2, -1), after: '' }
    : bracketed(name.slice(eq + 1));
  if (typeof b === 'string') return b;
  let tail = b.after;
  switch (kind) {
    case 'relative-url': return 'not a valid extern name';
    case 'integrity': {
      const why = integrity(b.inner);
      if (why) return why;
      break;
    }
    case 'url':
      if (b.inner.includes('<')) return 'url cannot contain `<`';
      break;
    case 'locked-dep': case 'unlocked-dep': {
      const at = b.inner.indexOf('@');
      const why = packagePath(at < 0 ? b.inner : b.inner.slice(0, at));
      if (why) return why;
      if (at >= 0) {
        const v = b.inner.slice(at + 1);
        const bad = kind === 'locked-dep' ? (isSemver(v) ? undefined : `\`${v}\` is not a valid semver`) : versionRange(v);
        if (bad) return bad;
      }
      break;
    }
    default: return 'not a valid extern name';
  }
  if (kind !== 'integrity' && kind !== 'unlocked-dep' && tail.startsWith(',')) {
    tail = tail.slice(1);
    if (!tail.startsWith('integrity=')) return 'expected `integrity=<`';
    const h = bracketed(tail.slice('integrity='.length));
    if (typeof h === 'string') return h;
    const why = integrity(h.inner);
    if (why) return why;
    tail = h.after;
  }
  return tail === '' ? undefined : `trailing characters found: \`${tail}\``;
}

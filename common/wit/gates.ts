/**
 * Feature-gate rules, checked on the syntax tree of each package before names are resolved
 * (wit-parser's rules):
 *
 * - `@since(version = v)` needs the package to have a version, and `v` may not be newer
 *   than it (an item cannot be stable since a release that has not happened);
 * - everything inside an item excluded by an inactive `@unstable` feature must itself be
 *   excluded: an excluded interface cannot hold a type that would be kept.
 *
 * References from kept items to excluded ones fail during resolution (the excluded item is
 * simply not there).
 */
import type { InterfaceItem, SourceFile, TopItem, TypeDefAst, WorldItemAst } from './ast.js';
import type { Gate, PackageName } from './model.js';
import { packageId } from './model.js';
import type { ResolveContext } from './resolve.js';

/** Semantic Versioning precedence: negative when a < b. */
export function compareSemver(a: string, b: string): number {
  const split = (v: string) => {
    const [core, pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { nums: core!.split('.').map(Number), pre: pre === undefined ? [] : pre.split('.') };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i]!;
    const q = y.pre[i]!;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}

interface Walk {
  readonly cx: ResolveContext;
  readonly pkg: PackageName;
  readonly file: SourceFile;
}

function check(w: Walk, gate: Gate | undefined, at: number, what: string, excludedParent: string | undefined): boolean {
  const origin = { file: w.file, at };
  if (gate?.since !== undefined) {
    const version = w.pkg.version;
    if (version === undefined) {
      throw w.cx.error(origin, `package [${packageId(w.pkg)}] contains a feature gate with a version specifier, so it must have a version`);
    }
    if (compareSemver(gate.since, version) > 0) {
      throw w.cx.error(origin, `feature gate cannot reference unreleased version ${gate.since} of package [${packageId(w.pkg)}] (current version ${version})`);
    }
  }
  const kept = w.cx.enabled(gate);
  if (excludedParent !== undefined && kept) {
    throw w.cx.error(origin, `found a ${what} inside a ${excludedParent} which is excluded due to its feature not being activated; this ${what} is not gated by a feature but its ${excludedParent} is`);
  }
  return kept;
}

function typeDef(w: Walk, item: TypeDefAst, excluded: string | undefined): void {
  const kept = check(w, item.gate, item.at, 'type', excluded);
  if (item.kind !== 'resource') return;
  for (const m of item.members) check(w, m.gate, m.at, 'function', kept ? excluded : 'type');
}

function interfaceItems(w: Walk, items: readonly InterfaceItem[], excluded: string | undefined): void {
  for (const item of items) {
    if (item.kind === 'use') check(w, item.gate, item.at, 'use', excluded);
    else if (item.kind === 'func') check(w, item.gate, item.at, 'function', excluded);
    else typeDef(w, item, excluded);
  }
}

function worldItems(w: Walk, items: readonly WorldItemAst[], excluded: string | undefined): void {
  for (const item of items) {
    switch (item.kind) {
      case 'import': case 'export': {
        const kept = check(w, item.gate, item.at, item.kind, excluded);
        if (item.target.kind === 'interface') interfaceItems(w, item.target.items, kept ? excluded : 'interface');
        break;
      }
      case 'use': check(w, item.gate, item.at, 'use', excluded); break;
      case 'include': check(w, item.gate, item.at, 'include', excluded); break;
      default: typeDef(w, item, excluded);
    }
  }
}

/** Checks the gates of the items one file (or nested package block) gives to package `pkg`. */
export function checkGates(cx: ResolveContext, pkg: PackageName, file: SourceFile, items: readonly TopItem[]): void {
  const w: Walk = { cx, pkg, file };
  for (const item of items) {
    if (item.kind === 'interface') {
      const kept = check(w, item.gate, item.at, 'interface', undefined);
      interfaceItems(w, item.items, kept ? undefined : 'interface');
    } else if (item.kind === 'world') {
      const kept = check(w, item.gate, item.at, 'world', undefined);
      worldItems(w, item.items, kept ? undefined : 'world');
    }
  }
}

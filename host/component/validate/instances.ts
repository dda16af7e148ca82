/**
 * Instance definitions (Binary.md "Instance Definitions"): instantiating a component with
 * named arguments, each of which must be a subtype of the import of that name (after the
 * resources supplied to earlier imports are substituted in); or bundling items as the
 * exports of a new instance. The instance's type is the component's exports with its
 * imported resources replaced by the arguments' and its own resources made fresh.
 */
import type { Definition, NameAttribute, Sort } from '../binary/ast.js';
import { checkExternBounds } from './bounds.js';
import { invalid } from './errors.js';
import { checkNameShape, namedEntry } from './externs.js';
import { checkAttributes, NameSet, parseExternName, ResourceNames } from './names.js';
import { item, type Scope } from './scope.js';
import { externSubtype, type Matcher } from './subtype.js';
import { freshen, substituteExtern, substituteExterns, type Substitution } from './substitute.js';
import type { ComponentType, ExternT, InstanceType } from './types.js';

/** The type of the item `sort index` as an import, export or instantiation argument. */
export function externOf(scope: Scope, sort: Sort, index: number, at: number | undefined): ExternT {
  switch (sort) {
    case 'func': return { sort, type: item(scope.funcs, index, 'func', at) };
    case 'type': return { sort, entry: scope.typeAt(index, at) };
    case 'instance': return { sort, type: item(scope.instances, index, 'instance', at) };
    case 'component': return { sort, type: item(scope.components, index, 'component', at) };
    case 'core module': return { sort, type: item(scope.coreModules, index, 'core module', at) };
    case 'value': throw invalid('externs/value', at, 'values are not supported');
    default: throw invalid('externs/core-sort', at, `a ${sort} cannot be exported or passed to a component (only core modules can)`);
  }
}

/** Type-checks an instantiation and returns the new instance's type. */
export function instantiate(ct: ComponentType, args: ReadonlyMap<string, ExternT>, at: number | undefined): InstanceType {
  const substitution: Substitution = new Map();
  for (const [name, declared] of ct.imports) {
    const arg = args.get(name);
    if (!arg) throw invalid('instantiate/missing-argument', at, `missing instantiation argument for import \`${name}\``);
    const expected = substituteExtern(declared, substitution);
    const m: Matcher = { bindable: new Set(ct.importBound.filter((r) => !substitution.has(r))), bound: new Map(), entries: new Map() };
    const why = externSubtype(arg, expected, m);
    if (why) throw invalid('instantiate/argument-type', at, `type mismatch for import \`${name}\`: ${why}`);
    // From here on the component's view of this import is the argument itself.
    for (const [r, actual] of m.bound) if (ct.importBound.includes(r)) substitution.set(r, actual);
    for (const [entry, actual] of m.entries!) substitution.set(entry, actual);
  }
  freshen(ct.exportBound, substitution);
  return { exports: substituteExterns(ct.exports, substitution), bound: [] };
}

type InstanceExpr = Extract<Definition, { kind: 'instance' }>['expr'];

export function validateInstance(scope: Scope, expr: InstanceExpr, at: number | undefined): InstanceType {
  if (expr.kind === 'instantiate') {
    const ct = item(scope.components, expr.component, 'component', at);
    const args = new Map<string, ExternT>();
    for (const a of expr.args) {
      if (args.has(a.name)) throw invalid('instantiate/argument-repeated', at, `instantiation argument \`${a.name}\` is given twice`);
      args.set(a.name, externOf(scope, a.sort, a.index, at));
    }
    const type = instantiate(ct, args, at);
    checkExternBounds({ sort: 'instance', type }, at);
    return type;
  }
  const type = inlineInstance(scope, expr.exports, at);
  checkExternBounds({ sort: 'instance', type }, at);
  return type;
}

/** An instance of exports: each type export is a new named index, as in an instance type. */
function inlineInstance(scope: Scope, list: readonly { name: string; attributes?: NameAttribute[]; sort: Sort; index: number }[], at: number | undefined): InstanceType {
  const names = new NameSet();
  const resources = new ResourceNames();
  const exports = new Map<string, ExternT>();
  for (const x of list) {
    const parsed = parseExternName(x.name, at, 'instance export');
    let t = externOf(scope, x.sort, x.index, at);
    if (t.sort === 'type') t = { sort: 'type', entry: namedEntry(t.entry, x.name) };
    checkAttributes(x.attributes, at, t.sort, parsed);
    names.add(x.name, at, 'instance export');
    checkNameShape(resources, parsed, t, x.name, at);
    if (t.sort === 'type' && t.entry.kind === 'resource' && parsed.kind === 'label') resources.register(t.entry.type, x.name);
    exports.set(x.name, t);
  }
  return { exports, bound: [] };
}

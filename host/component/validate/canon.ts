/**
 * Canonical definitions (CanonicalABI.md "Canonical Definitions"): options given at most
 * once, options each lifting or lowering needs (`memory` for pointers and spilled values,
 * `realloc` to allocate in the guest), the types of `realloc` and `post-return`, and —
 * most importantly — the core function behind `canon lift` must have exactly the core
 * signature the component function type flattens to. `canon lower` and the resource
 * built-ins add core functions of known signatures.
 */
import { flattenSignature } from '../../../common/abi/layout.js';
import type { Type } from '../../../common/wit/model.js';
import { typeInfo } from './type-info.js';
import type { Canon, CanonOptions } from '../binary/ast.js';
import type { CoreFuncType } from '../binary/core-module.js';
import { invalid, unsupported } from './errors.js';
import { item, type Scope } from './scope.js';
import { coreFuncTypesEqual, formatCoreFunc, resourceOf } from './subtype.js';
import type { FuncType } from './types.js';

const I32 = 'i32' as const;

/** Whether lowering or lifting a value of `type` touches linear memory through a pointer. */
export function containsPointer(type: Type): boolean {
  return typeInfo(type).pointer;
}

function checkWritten(options: CanonOptions, at: number | undefined, context: 'lift' | 'lower'): void {
  const seen = new Set<string>();
  for (const o of options.written ?? []) {
    if (o.kind === 'unsupported') throw unsupported(o.what!, o.at);
    if (seen.has(o.kind)) throw invalid('canon/option-repeated', o.at, `canonical option \`${o.kind}\` is given more than once`);
    seen.add(o.kind);
  }
  if (options.async) throw unsupported(`async ${context === 'lift' ? 'lifting' : 'lowering'} (the async canonical option)`, at);
  if (options.callback !== undefined) throw unsupported('the callback canonical option (async lifting)', at);
  if (context === 'lower' && options.postReturn !== undefined) throw invalid('canon/post-return-on-lower', at, 'canonical option `post-return` is only allowed on `canon lift`');
}

function coreFuncAt(scope: Scope, index: number, at: number | undefined, role: string): CoreFuncType {
  return item(scope.coreFuncs, index, `core func (${role})`, at);
}

/** Checks the options of a lift or lower of `ft`. */
function checkOptions(scope: Scope, options: CanonOptions, ft: FuncType, at: number | undefined, context: 'lift' | 'lower'): void {
  checkWritten(options, at, context);
  const flat = flattenSignature(ft, context);
  const paramsPoint = ft.params.some((p) => containsPointer(p.type));
  const resultPoints = ft.result !== undefined && containsPointer(ft.result);
  // The side that receives lists and strings allocates them with its realloc.
  const needsRealloc = context === 'lift' ? paramsPoint || flat.paramsInMemory : resultPoints;
  const needsMemory = needsRealloc || paramsPoint || resultPoints || flat.paramsInMemory || flat.resultsInMemory;
  if (options.memory !== undefined) {
    const memory = item(scope.coreMemories, options.memory, 'core memory', at);
    if (memory.shared) throw invalid('canon/memory-shared', at, 'canonical option `memory` must be an unshared memory');
  } else if (needsMemory || options.realloc !== undefined) {
    throw invalid('canon/memory-required', at, 'canonical option `memory` is required');
  }
  if (options.realloc !== undefined) {
    const t = coreFuncAt(scope, options.realloc, at, 'realloc');
    const want = { params: [I32, I32, I32, I32], results: [I32] };
    if (!coreFuncTypesEqual(t, want)) throw invalid('canon/realloc-type', at, `canonical option \`realloc\` must have type ${formatCoreFunc(want)}, found ${formatCoreFunc(t)}`);
  } else if (needsRealloc) {
    throw invalid('canon/realloc-required', at, 'canonical option `realloc` is required');
  }
  if (options.postReturn !== undefined) {
    const t = coreFuncAt(scope, options.postReturn, at, 'post-return');
    const want = { params: flat.results, results: [] };
    if (!coreFuncTypesEqual(t, want)) throw invalid('canon/post-return-type', at, `canonical option \`post-return\` must have type ${formatCoreFunc(want)}, found ${formatCoreFunc(t)}`);
  }
}

/** Validates one canonical definition, adding what it defines to `scope`. */
export function validateCanon(scope: Scope, c: Canon, at: number | undefined): void {
  switch (c.kind) {
    case 'unsupported': throw unsupported(c.what, at);
    case 'lift': {
      const core = coreFuncAt(scope, c.coreFunc, at, 'lifted');
      const entry = scope.typeAt(c.type, at);
      if (entry.kind !== 'func') throw invalid('canon/lift-type', at, `canon lift needs a function type, type index ${c.type} is a ${entry.kind} type`);
      checkOptions(scope, c.options, entry.type, at, 'lift');
      const flat = flattenSignature(entry.type, 'lift');
      const want = { params: flat.params, results: flat.results };
      if (!coreFuncTypesEqual(core, want)) {
        throw invalid('canon/lift-signature', at, `the lifted core function has type ${formatCoreFunc(core)}, but the component function type needs ${formatCoreFunc(want)}`);
      }
      scope.funcs.push(entry.type);
      return;
    }
    case 'lower': {
      const ft = item(scope.funcs, c.func, 'func', at);
      checkOptions(scope, c.options, ft, at, 'lower');
      const flat = flattenSignature(ft, 'lower');
      scope.coreFuncs.push({ params: flat.params, results: flat.results });
      return;
    }
    default: {
      const entry = scope.typeAt(c.type, at);
      if (entry.kind !== 'resource') throw invalid('canon/resource-type', at, `canon ${c.kind} needs a resource type, type index ${c.type} is a ${entry.kind} type`);
      if (c.kind !== 'resource.drop' && !scope.localResources.has(resourceOf(entry.type))) {
        throw invalid('canon/resource-not-local', at, `canon ${c.kind} needs a resource type defined in this component, not an imported one`);
      }
      scope.coreFuncs.push(c.kind === 'resource.drop' ? { params: [I32], results: [] } : { params: [I32], results: [I32] });
    }
  }
}

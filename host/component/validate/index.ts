/**
 * The component validator: checks a decoded component against the rules of the component
 * model (Binary.md, Explainer.md, CanonicalABI.md) before anything is instantiated, so that
 * a component the host accepts is one whose every index, type, name and canonical
 * definition is consistent — and the glue generated for it can trust them.
 *
 * Every refusal is a `PluginHostError` with code `ERR_COMPONENT_INVALID`, a stable `rule`
 * (`canon/lift-signature`, `names/unique`, …) and the byte `offset` of the definition; a
 * feature this host does not implement is `ERR_COMPONENT_UNSUPPORTED` with its `feature`.
 *
 * Rule families, one file each: `names.ts` (extern names, labels, uniqueness),
 * `defined-types.ts` and `bounds.ts` (type definitions and their size limits), `decls.ts`
 * (component and instance types), `aliases.ts`, `core.ts` (core instances and types),
 * `canon.ts` (options and core signatures), `instances.ts` (instantiation and argument
 * subtyping, with `subtype.ts` and `substitute.ts`), `externs.ts` and `visibility.ts`
 * (imports, exports, externally visible names).
 *
 * Example:
 *   const definitions = parseComponent(bytes);
 *   validateComponent(definitions, bytes);   // throws ERR_COMPONENT_INVALID / _UNSUPPORTED
 */
import type { Definition } from '../binary/ast.js';
import { validateBody } from './component.js';
import { Scope } from './scope.js';

/**
 * Validates a whole component. `bytes` are the binary the definitions were decoded from
 * (core modules are read from it for their import and export types).
 * @throws PluginHostError ERR_COMPONENT_INVALID, ERR_COMPONENT_UNSUPPORTED
 */
export function validateComponent(definitions: readonly Definition[], bytes: Uint8Array): void {
  validateBody(new Scope('component', undefined, 0), definitions, bytes);
}

/**
 * Checks a Rust plugin's core module before it becomes a component: the generated
 * bindings define the world's exports only inside `bindings::export!(…)`, so a crate that
 * never invokes the macro compiles to a module exporting nothing, and wasm-tools then
 * fails with "failed to decode world". The check names what is missing instead.
 */
import type { World } from '../../common/wit/model.js';
import { bindWorld } from '../codegen/core/world.js';

/** Why the core module cannot implement `world`, or undefined when it exports what the world needs. */
export function missingRustExports(core: Uint8Array, world: World): string | undefined {
  const needed = bindWorld(world).exports.flatMap((b) => b.functions.map((f) => f.coreName));
  if (needed.length === 0) return undefined;
  // Compiling the module reads its export section (the build just produced it, it is valid wasm).
  const present = new Set(WebAssembly.Module.exports(new WebAssembly.Module(new Uint8Array(core))).map((e) => e.name));
  const missing = needed.filter((n) => !present.has(n));
  if (missing.length === 0) return undefined;
  if (missing.length === needed.length) {
    return 'the compiled crate exports none of the world\'s functions: `bindings::export!(…)` is missing. '
      + 'Add `bindings::export!(Plugin);` to src/lib.rs, where `Plugin` is the type implementing the exported interfaces\' Guest traits '
      + `(the world exports ${needed.join(', ')})`;
  }
  return `the compiled crate does not export ${missing.join(', ')} (is src/bindings.rs out of date, or the crate's own #[export_name]s in conflict?)`;
}

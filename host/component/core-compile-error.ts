/**
 * What a failed `WebAssembly.compile` of a core module means. The engine also refuses
 * valid modules that use proposals it does not implement (it names the flag that would
 * enable them); those are unsupported features, not invalid components.
 */
import { PluginHostError } from '../../common/errors.js';

/** Engine messages for proposals V8 has behind a flag, or does not know yet. */
const ENGINE_FEATURES: readonly [RegExp, string][] = [
  [/--experimental-wasm-([a-z0-9_-]+)/, 'the core WebAssembly proposal `$1`'],
  [/Invalid opcode 0x1f\b/, 'exception handling with `try_table` (exnref)'],
  [/Invalid opcode 0x0a\b/, 'exception handling with `throw_ref` (exnref)'],
  [/At most one memory is supported|memory count of \d+ exceeds internal limit/, 'multiple memories in one core module (multi-memory)'],
];

export function coreCompileError(cause: unknown, at: number): PluginHostError {
  const message = cause instanceof Error ? cause.message : String(cause);
  for (const [pattern, feature] of ENGINE_FEATURES) {
    const m = pattern.exec(message);
    if (m) {
      const name = feature.replace('$1', m[1] ?? '');
      return new PluginHostError('ERR_COMPONENT_UNSUPPORTED', `a core module at byte ${at} uses ${name}, which this host's WebAssembly engine does not run: ${message}`, {
        cause, feature: name, offset: at,
      });
    }
  }
  return new PluginHostError('ERR_COMPONENT_INVALID', `a core module at byte ${at} does not compile: ${message}`, { cause, rule: 'core/module', offset: at });
}

/**
 * The core WebAssembly objects as the runtime's exported types name them. The DOM library
 * declares the `WebAssembly` namespace, and an application compiling for Node has none, so
 * the published declarations use these instead (any `WebAssembly.Memory` or `Module` fits).
 */

/** A core module's linear memory (a `WebAssembly.Memory`). */
export interface CoreMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled core module (a `WebAssembly.Module`). */
export type CoreModule = object;

// The plugin-actors runtime for AssemblyScript guests. Generated bindings import it;
// plugin code usually needs only `Option`, `Result` and `Unit`.
export { cabi_realloc, allocTracked, freeTracked, trackedMark, freeHostBuffer } from "./memory";
export { liftString, lowerString, lastLength } from "./strings";
export { liftTypedArray, lowerTypedArray } from "./lists";
export { Option, Result, Unit, defaultValue } from "./types";
export { ResourceTable } from "./resources";

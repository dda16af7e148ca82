// asc transform for plugin-actors bindings. AssemblyScript cannot spell export names such as
// `example:greeter/api@0.1.0#greet`, so the generated glue exports `__cm_<escaped name>` and
// this transform renames each export to its component-model name (`$XX` is a hex-escaped
// byte). Every other export except `memory` and `cabi_realloc` is removed, so helper
// functions and enums do not leak into the component's core interface.
import { Transform } from "assemblyscript/transform";
import binaryen from "assemblyscript/binaryen";

const PREFIX = "__cm_";
const KEEP = new Set(["memory", "cabi_realloc"]);

export function decodeExportName(name) {
  return name.slice(PREFIX.length).replace(/\$([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

export default class ComponentExportNames extends Transform {
  afterCompile(module) {
    const infos = [];
    for (let i = 0; i < module.getNumExports(); i++) infos.push(binaryen.getExportInfo(module.getExportByIndex(i)));
    for (const info of infos) {
      if (KEEP.has(info.name)) continue;
      module.removeExport(info.name);
      if (!info.name.startsWith(PREFIX)) continue;
      if (info.kind !== binaryen.ExternalFunction) throw new Error(`plugin-actors: ${info.name} must be a function`);
      module.addFunctionExport(info.value, decodeExportName(info.name));
    }
  }
}

// The notes plugin: everything it keeps goes through the kv capability it imports.
import { Option } from "../bindings/runtime";
import * as kv from "../bindings/example/pipeline/kv";

const PREFIX = "note:";

export function save(title: string, body: string): u32 {
  kv.set_(PREFIX + title, body);
  return <u32>kv.keys(PREFIX).length;
}

export function read(title: string): Option<string> {
  return kv.get_(PREFIX + title);
}

export function titles(): Array<string> {
  const keys = kv.keys(PREFIX);
  const out = new Array<string>();
  for (let i = 0; i < keys.length; i++) out.push(keys[i].substring(PREFIX.length));
  return out;
}

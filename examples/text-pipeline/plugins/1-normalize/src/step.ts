// Step 1, in AssemblyScript: trims every line and collapses runs of spaces and tabs.
import { Result } from "../bindings/runtime";

export function describe(): string {
  return "trims lines and collapses runs of spaces";
}

export function run(text: string): Result<string, string> {
  const lines = text.split("\n");
  const out = new Array<string>();
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i].replaceAll("\t", " ").split(" ");
    const kept = new Array<string>();
    for (let j = 0; j < words.length; j++) if (words[j].length > 0) kept.push(words[j]);
    out.push(kept.join(" "));
  }
  return Result.ok<string, string>(out.join("\n"));
}

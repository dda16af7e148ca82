// Runs wit-parser's UI tests against the built WIT front end (same line protocol as
// run-file.mjs). Arguments: the staged `tests/ui` folder, and the index to start from.
// Entries directly in `ui/` must load; entries of `ui/parse-fail/` must be refused with a
// typed WIT error. Like wit-parser's own runner, the feature `active` is enabled.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rt } from './runtime.mjs';

const [dir, from = '0'] = process.argv.slice(2);
const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const describe = (e) => (rt.isPluginHostError(e) ? `${e.code}: ${e.message}` : `${e?.name}: ${e?.message}`).slice(0, 300);

async function entries(folder, kind) {
  const out = [];
  for (const e of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name === 'parse-fail') continue;
    if (e.isDirectory() || e.name.endsWith('.wit')) out.push({ path: join(folder, e.name), kind });
    else if (/\.(wat|wasm|md)$/.test(e.name)) out.push({ path: join(folder, e.name), kind, skip: 'binary or markdown WIT is not read by this host' });
  }
  return out;
}

const tests = [...await entries(dir, 'wit-valid'), ...await entries(join(dir, 'parse-fail'), 'wit-invalid')];
for (let i = Number(from); i < tests.length; i++) {
  const t = tests[i];
  emit({ start: i });
  const name = t.path.slice(dir.length + 1);
  if (t.skip) {
    emit({ i, kind: t.kind, name, result: 'skip', detail: t.skip });
    continue;
  }
  let error;
  try {
    await rt.loadWit(t.path, { features: ['active'] });
  } catch (e) {
    error = e;
  }
  let result;
  if (error !== undefined && !rt.isPluginHostError(error)) result = 'crash';
  else if (t.kind === 'wit-valid') result = error ? 'fail' : 'pass';
  else result = error ? 'pass' : 'fail';
  emit({ i, kind: t.kind, name, result, ...(error ? { detail: describe(error) } : {}) });
}

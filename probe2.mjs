import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
const { parseComponent } = await import('./dist/host/src/component/binary/parse.js');
const { compileComponent } = await import('./dist/host/src/component/instantiate.js');
const bytes = await readFile('bench/plugins/assemblyscript/build/bench.wasm');
const mode = process.argv[2];
let t = performance.now();
if (mode === 'parse') parseComponent(bytes);
if (mode === 'compile') { const d = parseComponent(bytes); const t1 = performance.now(); await Promise.all(d.filter(x => x.kind === 'core module').map(x => WebAssembly.compile(x.bytes))); console.log('wasm only', (performance.now()-t1).toFixed(2)); }
if (mode === 'full') await compileComponent(bytes);
console.log(mode, (performance.now() - t).toFixed(2));

// Bundles the published entry points into single ESM files in dist/bundle (the package's
// exports point there; type declarations stay the ones tsc writes to dist/). A fresh
// process then loads a handful of files instead of walking ~150 modules. The worker's and
// the reaper's entry scripts are bundles of their own, beside the library, because the
// library starts them by path.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const entryPoints = {
  index: 'host/index.ts',
  wit: 'host/wit.ts',
  guest: 'guest-sdk/node/index.ts',
  'reaper-main': 'host/transports/process/reaper-main.ts',
  cli: 'cli/main.ts',
};

// Chunk names carry content hashes: chunks of an earlier build would pile up.
rmSync('dist/bundle', { recursive: true, force: true });

const common = {
  outdir: 'dist/bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Only `plugin-actors build` (the CLI) uses the WebAssembly tooling; it stays a dependency.
  external: ['@bytecodealliance/jco-transpile', 'assemblyscript', 'assemblyscript/*'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { PLUGIN_ACTORS_BUNDLE: 'true' },
  logLevel: 'warning',
};

// Shared code goes into chunks once, instead of into every entry.
await build({ ...common, entryPoints, splitting: true, chunkNames: 'chunks/[name]-[hash]' });

// The worker's entry is a build of its own, sharing no chunk with the library: tree-shaken
// to what a worker runs (it instantiates what the host parsed, validated and compiled), it
// loads no parser, no validator and no transport, which is most of a worker's start after
// Node's own; WASI is a chunk it loads only for a component that imports WASI.
await build({ ...common, entryPoints: { 'worker-entry': 'host/transports/worker/worker-entry.ts' }, splitting: true, chunkNames: 'chunks/worker-[name]-[hash]' });

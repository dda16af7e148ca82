// Bundles the published entry points into single ESM files in dist/bundle (the package's
// exports point there; type declarations stay the ones tsc writes to dist/). A fresh
// process then loads a handful of files instead of walking ~150 modules. The worker's and
// the reaper's entry scripts are bundles of their own, beside the library, because the
// library starts them by path.
import { build } from 'esbuild';

const entryPoints = {
  index: 'host/index.ts',
  wit: 'host/wit.ts',
  guest: 'guest-sdk/node/index.ts',
  testing: 'host/testing/index.ts',
  'worker-entry': 'host/transports/worker/worker-entry.ts',
  'reaper-main': 'host/transports/process/reaper-main.ts',
  cli: 'cli/main.ts',
};

await build({
  entryPoints,
  outdir: 'dist/bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Shared code goes into chunks once, instead of into every entry.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Only `plugin-actors build` (the CLI) uses the WebAssembly tooling; it stays a dependency.
  external: ['@bytecodealliance/jco-transpile', 'assemblyscript', 'assemblyscript/*'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { PLUGIN_ACTORS_BUNDLE: 'true' },
  logLevel: 'warning',
});

// Builds the AssemblyScript test fixtures once per test run (the examples are built by `npm run build`).
import { buildPlugin, silentReporter } from '../guest-sdk/build/index.js';

export default async function setup(): Promise<void> {
  for (const dir of ['test/fixtures/faults/assemblyscript', 'test/fixtures/wasi/assemblyscript']) {
    await buildPlugin(dir, { reporter: silentReporter });
  }
}

// Builds the guest test plugins from source once per test run (the examples are built by `npm run build`).
import { buildPlugin, silentReporter } from '../guest-sdk/build/index.js';

export default async function setup(): Promise<void> {
  for (const dir of ['test/fixtures/faults/assemblyscript', 'test/fixtures/wasi/assemblyscript', 'test/fixtures/world-functions/assemblyscript', 'test/runtime/kitchen-sink/assemblyscript']) {
    await buildPlugin(dir, { reporter: silentReporter });
  }
}

// Builds the AssemblyScript test fixtures once per test run (the examples are built by `npm run build`).
import { buildPlugin, silentReporter } from '../guest-sdk/build/index.js';

export default async function setup(): Promise<void> {
  await buildPlugin('test/fixtures/faults/assemblyscript', { reporter: silentReporter });
}

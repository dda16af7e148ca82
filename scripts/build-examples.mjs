// Builds what the demo and the tests run: the AssemblyScript example components, and the
// WIT the Node example plugins read next to their compiled JavaScript.
import { cp } from 'node:fs/promises';
import { buildPlugin } from '../dist/guest-sdk/build/index.js';

await cp('examples/greeter/wit', 'dist/examples/greeter/wit', { recursive: true });
await cp('examples/crash-test/wit', 'dist/examples/crash-test/wit', { recursive: true });
await cp('examples/pipeline/wit', 'dist/examples/pipeline/wit', { recursive: true });
await buildPlugin('examples/greeter/assemblyscript');
